import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { stripNullCharacter } from '../../common/null-characters';
import { millisecondsParam, queryRows } from '../common/sql';
import { OutboxEntry, OutboxStatus } from './outbox-entry.entity';

/** Statuses that hold back later rows of the same issue. */
export const BLOCKING_STATUSES: readonly OutboxStatus[] = ['pending', 'in_progress', 'dead'];

export interface OutboxClaim {
  backendName: string;
  limit: number;
  claimedBy: string;
  leaseMs: number;
  /** Claim only among these rows (for `deliverSoon`). */
  ids?: readonly number[];
}

/** Guard for finishing an attempt: the row must still carry the claim that made it. */
export interface AttemptKey {
  id: number;
  attempt: number;
}

/** Per backend and status, the row count and the oldest row's age. */
export interface OutboxDepth {
  backendName: string;
  status: OutboxStatus;
  count: number;
  oldestCreated: Date | null;
}

/** The SQL of the outbox: claiming, finishing attempts and the operator's replay and discard. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims due rows of one backend with `FOR UPDATE SKIP LOCKED`, so replicas never claim
   * the same row. A row is due when it is pending and its next attempt time has come, or
   * in progress with an expired lease (its worker died). A row is skipped while an earlier
   * row of its issue is pending, in progress or dead, which delivers each issue's rows in
   * order and at most one at a time. Each claim counts as an attempt.
   */
  async claim(claim: OutboxClaim): Promise<OutboxEntry[]> {
    const rows = await queryRows(
      this.dataSource,
      `WITH candidates AS (
         SELECT o.id FROM sync_outbox o
         WHERE o.backend_name = $1
           AND ((o.status = 'pending' AND o.next_attempt_at <= now())
             OR (o.status = 'in_progress' AND o.claimed_until < now()))
           AND ($5::bigint[] IS NULL OR o.id = ANY($5::bigint[]))
           AND NOT EXISTS (
             SELECT 1 FROM sync_outbox earlier
             WHERE earlier.issue_id = o.issue_id
               AND earlier.id < o.id
               AND earlier.status IN ('pending', 'in_progress', 'dead'))
         ORDER BY o.id
         LIMIT $2
         FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE sync_outbox AS row
       SET status = 'in_progress',
           attempts = row.attempts + 1,
           claimed_by = $3,
           claimed_until = now() + ${millisecondsParam(4)},
           modified = now()
       FROM candidates
       WHERE row.id = candidates.id
       RETURNING row.*`,
      [claim.backendName, claim.limit, claim.claimedBy, claim.leaseMs, claim.ids ? [...claim.ids] : null],
    );
    return rows.map(toOutboxEntry).sort((a, b) => a.id - b.id);
  }

  /** Marks the attempt delivered; false when the row lost this claim (lease expired and taken over). */
  async markDone(manager: EntityManager, key: AttemptKey, remoteId: string | undefined): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `UPDATE sync_outbox
       SET status = 'done', delivered_at = now(), last_error = NULL, claimed_by = NULL, claimed_until = NULL,
           remote_id = COALESCE($3, remote_id), modified = now()
       WHERE id = $1 AND status = 'in_progress' AND attempts = $2
       RETURNING id`,
      [key.id, key.attempt, remoteId ?? null],
    );
    return rows.length === 1;
  }

  /** Moves the lease of a claimed attempt to `leaseMs` from now; false when the row no longer carries this claim. */
  async extendClaim(key: AttemptKey, leaseMs: number): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_outbox
       SET claimed_until = now() + ${millisecondsParam(3)}
       WHERE id = $1 AND status = 'in_progress' AND attempts = $2
       RETURNING id`,
      [key.id, key.attempt, leaseMs],
    );
    return rows.length === 1;
  }

  async scheduleRetry(key: AttemptKey, delayMs: number, error: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_outbox
       SET status = 'pending', next_attempt_at = now() + ${millisecondsParam(3)}, last_error = $4,
           claimed_by = NULL, claimed_until = NULL, modified = now()
       WHERE id = $1 AND status = 'in_progress' AND attempts = $2
       RETURNING id`,
      [key.id, key.attempt, delayMs, stripNullCharacter(error)],
    );
    return rows.length === 1;
  }

  async markDead(manager: EntityManager, key: AttemptKey, error: string): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `UPDATE sync_outbox
       SET status = 'dead', last_error = $3, claimed_by = NULL, claimed_until = NULL, modified = now()
       WHERE id = $1 AND status = 'in_progress' AND attempts = $2
       RETURNING id`,
      [key.id, key.attempt, stripNullCharacter(error)],
    );
    return rows.length === 1;
  }

  /** Puts a dead or discarded row back in the queue with a fresh attempt count. */
  async replay(uuid: string): Promise<OutboxEntry | undefined> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_outbox
       SET status = 'pending', attempts = 0, next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL, modified = now()
       WHERE uuid = $1 AND status IN ('dead', 'discarded')
       RETURNING *`,
      [uuid],
    );
    return rows.length === 1 ? toOutboxEntry(rows[0]) : undefined;
  }

  /** Gives up on a pending or dead row, which releases the later rows of its issue. */
  async discard(uuid: string): Promise<OutboxEntry | undefined> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_outbox
       SET status = 'discarded', claimed_by = NULL, claimed_until = NULL, modified = now()
       WHERE uuid = $1 AND status IN ('pending', 'dead')
       RETURNING *`,
      [uuid],
    );
    return rows.length === 1 ? toOutboxEntry(rows[0]) : undefined;
  }

  async findByUuid(uuid: string): Promise<OutboxEntry | null> {
    return this.dataSource.getRepository(OutboxEntry).findOneBy({ uuid });
  }

  async countNotDone(ids: readonly number[]): Promise<number> {
    const rows = await queryRows<{ count: string }>(
      this.dataSource,
      `SELECT count(*) AS count FROM sync_outbox WHERE id = ANY($1::bigint[]) AND status <> 'done'`,
      [[...ids]],
    );
    return Number(rows[0].count);
  }

  async backendsOf(ids: readonly number[]): Promise<string[]> {
    const rows = await queryRows<{ backend_name: string }>(
      this.dataSource,
      `SELECT DISTINCT backend_name FROM sync_outbox WHERE id = ANY($1::bigint[])`,
      [[...ids]],
    );
    return rows.map((row) => row.backend_name);
  }

  async depth(): Promise<OutboxDepth[]> {
    const rows = await queryRows<{ backend_name: string; status: OutboxStatus; count: string; oldest: Date | null }>(
      this.dataSource,
      `SELECT backend_name, status, count(*) AS count, min(created) AS oldest
       FROM sync_outbox
       WHERE status IN ('pending', 'in_progress', 'dead')
       GROUP BY backend_name, status`,
    );
    return rows.map((row) => ({
      backendName: row.backend_name,
      status: row.status,
      count: Number(row.count),
      oldestCreated: row.oldest ? new Date(row.oldest) : null,
    }));
  }

  /** Returns the `limit` most recently parked dead rows of each backend, newest first. */
  async latestDead(limit: number): Promise<OutboxEntry[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM (
         SELECT o.*, row_number() OVER (PARTITION BY o.backend_name ORDER BY o.modified DESC, o.id DESC) AS position
         FROM sync_outbox o
         WHERE o.status = 'dead'
       ) AS ranked
       WHERE position <= $1
       ORDER BY backend_name, position`,
      [limit],
    );
    return rows.map(toOutboxEntry);
  }

  /** Deletes delivered and discarded rows last changed before `before`; returns how many. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM sync_outbox WHERE status IN ('done', 'discarded') AND modified < $1 RETURNING id`,
      [before],
    );
    return rows.length;
  }
}

export function toOutboxEntry(raw: Record<string, unknown>): OutboxEntry {
  const entry = new OutboxEntry();
  entry.id = Number(raw.id);
  entry.uuid = raw.uuid as string;
  entry.backendName = raw.backend_name as string;
  entry.issueId = raw.issue_id as number | null;
  entry.issueUuid = raw.issue_uuid as string | null;
  entry.operation = raw.operation as OutboxEntry['operation'];
  entry.targetType = raw.target_type as OutboxEntry['targetType'];
  entry.targetId = raw.target_id as number | null;
  entry.targetUuid = raw.target_uuid as string | null;
  entry.payload = (raw.payload ?? {}) as Record<string, unknown>;
  entry.idempotencyKey = raw.idempotency_key as string;
  entry.status = raw.status as OutboxStatus;
  entry.attempts = Number(raw.attempts);
  entry.nextAttemptAt = new Date(raw.next_attempt_at as string);
  entry.lastError = raw.last_error as string | null;
  entry.claimedBy = raw.claimed_by as string | null;
  entry.claimedUntil = raw.claimed_until ? new Date(raw.claimed_until as string) : null;
  entry.remoteId = raw.remote_id as string | null;
  entry.created = new Date(raw.created as string);
  entry.modified = new Date(raw.modified as string);
  entry.deliveredAt = raw.delivered_at ? new Date(raw.delivered_at as string) : null;
  return entry;
}
