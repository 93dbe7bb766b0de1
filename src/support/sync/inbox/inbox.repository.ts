import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { stripNullCharacter } from '../../common/null-characters';
import { millisecondsParam, queryRows } from '../common/sql';
import { InboxEntry, InboxStatus, SignatureVerdict } from './inbox-entry.entity';

export interface NewInboxEntry {
  source: string;
  deliveryId: string;
  headers: Record<string, string>;
  body: Buffer;
  signatureVerdict: SignatureVerdict;
}

export interface InboxAttemptKey {
  id: number;
  attempt: number;
}

export interface InboxFinish {
  status: 'processed' | 'ignored';
  reason: string | null;
  remoteObjectType: string | null;
  remoteObjectId: string | null;
  remoteVersion: string | null;
}

export interface ReplayRange {
  source?: string;
  receivedAfter: Date;
  receivedBefore: Date;
}

/** The SQL of the webhook inbox. */
@Injectable()
export class InboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a delivery once per source and delivery id; returns undefined for a repeat. */
  async insertOnce(entry: NewInboxEntry): Promise<InboxEntry | undefined> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO sync_inbox (source, delivery_id, headers, body, signature_verdict)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source, delivery_id) DO NOTHING
       RETURNING *`,
      [entry.source, entry.deliveryId, JSON.stringify(entry.headers), entry.body, entry.signatureVerdict],
    );
    return rows.length === 1 ? toInboxEntry(rows[0]) : undefined;
  }

  async findExisting(source: string, deliveryId: string): Promise<InboxEntry | null> {
    return this.dataSource.getRepository(InboxEntry).findOneBy({ source, deliveryId });
  }

  /** Claims one row for processing if it is open, belongs to one of `sources` and no worker holds it. */
  async claimOne(id: number, sources: readonly string[], leaseMs: number): Promise<InboxEntry | undefined> {
    if (sources.length === 0) return undefined;
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_inbox
       SET claimed_until = now() + ${millisecondsParam(3)}, attempts = attempts + 1
       WHERE id = $1 AND source = ANY($2::varchar[]) AND status IN ('pending', 'failed')
         AND (claimed_until IS NULL OR claimed_until < now())
       RETURNING *`,
      [id, [...sources], leaseMs],
    );
    return rows.length === 1 ? toInboxEntry(rows[0]) : undefined;
  }

  /** Claims due open rows of the given sources, skipping rows other replicas hold. */
  async claimDue(sources: readonly string[], limit: number, leaseMs: number, maxAttempts: number): Promise<InboxEntry[]> {
    if (sources.length === 0) return [];
    const rows = await queryRows(
      this.dataSource,
      `WITH due AS (
         SELECT id FROM sync_inbox
         WHERE source = ANY($1::varchar[])
           AND status IN ('pending', 'failed')
           AND next_attempt_at <= now()
           AND attempts < $4
           AND (claimed_until IS NULL OR claimed_until < now())
         ORDER BY id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE sync_inbox AS row
       SET claimed_until = now() + ${millisecondsParam(3)}, attempts = row.attempts + 1
       FROM due
       WHERE row.id = due.id
       RETURNING row.*`,
      [[...sources], limit, leaseMs, maxAttempts],
    );
    return rows.map(toInboxEntry).sort((a, b) => a.id - b.id);
  }

  async finish(key: InboxAttemptKey, finish: InboxFinish): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_inbox
       SET status = $3, last_error = $4, remote_object_type = $5, remote_object_id = $6, remote_version = $7,
           processed_at = now(), claimed_until = NULL
       WHERE id = $1 AND attempts = $2`,
      [
        key.id,
        key.attempt,
        finish.status,
        nullableText(finish.reason),
        nullableText(finish.remoteObjectType),
        nullableText(finish.remoteObjectId),
        nullableText(finish.remoteVersion),
      ],
    );
  }

  /** Marks an attempt failed; `retryInMs` undefined stops automatic retries (attempts set to the maximum). */
  async fail(key: InboxAttemptKey, error: string, retryInMs: number | undefined, maxAttempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_inbox
       SET status = 'failed', last_error = $3, claimed_until = NULL,
           next_attempt_at = now() + ${millisecondsParam(4)},
           attempts = CASE WHEN $5::boolean THEN GREATEST(attempts, $6) ELSE attempts END
       WHERE id = $1 AND attempts = $2`,
      [key.id, key.attempt, stripNullCharacter(error), retryInMs ?? 0, retryInMs === undefined, maxAttempts],
    );
  }

  /** Reopens one delivery for processing; undefined when it is unknown or being processed now. */
  async replay(uuid: string): Promise<InboxEntry | undefined> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_inbox
       SET status = 'pending', attempts = 0, next_attempt_at = now(), processed_at = NULL
       WHERE uuid = $1 AND (claimed_until IS NULL OR claimed_until < now())
       RETURNING *`,
      [uuid],
    );
    return rows.length === 1 ? toInboxEntry(rows[0]) : undefined;
  }

  /** Reopens every delivery received in the range that no worker is processing now; returns their ids. */
  async replayRange(range: ReplayRange): Promise<number[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE sync_inbox
       SET status = 'pending', attempts = 0, next_attempt_at = now(), processed_at = NULL
       WHERE received_at >= $1 AND received_at < $2
         AND ($3::varchar IS NULL OR source = $3)
         AND (claimed_until IS NULL OR claimed_until < now())
       RETURNING id`,
      [range.receivedAfter, range.receivedBefore, range.source ?? null],
    );
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  async backlog(): Promise<{ source: string; status: InboxStatus; count: number; oldest: Date | null }[]> {
    const rows = await queryRows<{ source: string; status: InboxStatus; count: string; oldest: Date | null }>(
      this.dataSource,
      `SELECT source, status, count(*) AS count, min(received_at) AS oldest
       FROM sync_inbox WHERE status IN ('pending', 'failed') GROUP BY source, status`,
    );
    return rows.map((row) => ({
      source: row.source,
      status: row.status,
      count: Number(row.count),
      oldest: row.oldest ? new Date(row.oldest) : null,
    }));
  }

  async deleteFinishedBefore(before: Date): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM sync_inbox WHERE status IN ('processed', 'ignored') AND received_at < $1 RETURNING id`,
      [before],
    );
    return rows.length;
  }
}

/** Text for a text column: PostgreSQL rejects U+0000, which a backend's message or id may carry. */
function nullableText(value: string | null): string | null {
  return value === null ? null : stripNullCharacter(value);
}

export function toInboxEntry(raw: Record<string, unknown>): InboxEntry {
  const entry = new InboxEntry();
  entry.id = Number(raw.id);
  entry.uuid = raw.uuid as string;
  entry.source = raw.source as string;
  entry.deliveryId = raw.delivery_id as string;
  entry.receivedAt = new Date(raw.received_at as string);
  entry.headers = (raw.headers ?? {}) as Record<string, string>;
  entry.body = raw.body as Buffer;
  entry.signatureVerdict = raw.signature_verdict as SignatureVerdict;
  entry.status = raw.status as InboxStatus;
  entry.attempts = Number(raw.attempts);
  entry.nextAttemptAt = new Date(raw.next_attempt_at as string);
  entry.claimedUntil = raw.claimed_until ? new Date(raw.claimed_until as string) : null;
  entry.lastError = raw.last_error as string | null;
  entry.processedAt = raw.processed_at ? new Date(raw.processed_at as string) : null;
  entry.remoteObjectType = raw.remote_object_type as string | null;
  entry.remoteObjectId = raw.remote_object_id as string | null;
  entry.remoteVersion = raw.remote_version as string | null;
  return entry;
}
