import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { waitAtMost } from '../common/abort';
import { ChangeContext, currentChangeContext } from '../common/change-origin';
import { queryRows } from '../common/sql';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { OUTBOX_OPERATIONS, OutboxEntry, OutboxOperation, OutboxTargetType } from './outbox-entry.entity';
import { OutboxDeliveryService } from './outbox-delivery.service';
import { OutboxWorker } from './outbox-worker.service';
import { OutboxRepository, toOutboxEntry } from './outbox.repository';

export interface OutboxEnqueueInput {
  backendName: string;
  operation: OutboxOperation;
  /** The issue the push belongs to; its rows are delivered in the order they were enqueued. */
  issue?: { id: number; uuid: string } | null;
  /** The local row the push is about (the comment of a `comment.create`, for example). */
  target?: { type: OutboxTargetType; id: number; uuid: string } | null;
  payload?: Record<string, unknown>;
  /** Marker for the remote object; defaults to the new row's uuid. */
  idempotencyKey?: string;
  /** Earliest time of the first attempt; defaults to now. */
  notBefore?: Date;
}

/**
 * The outbox as feature services use it: `enqueue` inside the transaction of a local
 * change, then `deliverSoon` after that transaction committed.
 *
 * ```ts
 * const row = await dataSource.transaction(async (manager) => {
 *   const comment = await manager.save(Comment, {...});
 *   return outbox.enqueue(manager, { backendName, operation: 'comment.create', issue, target: {...} });
 * });
 * await outbox.deliverSoon([row]); // the response is 201 whether or not it finished
 * ```
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('Outbox');

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly repository: OutboxRepository,
    private readonly delivery: OutboxDeliveryService,
    private readonly worker: OutboxWorker,
  ) {}

  /**
   * Writes an outbox row through `manager`, so it commits or rolls back with the change.
   * Returns null without writing when the change came from a backend (`context.origin` is
   * `remote`, by default taken from `runWithChangeContext`), because a remote change is
   * never pushed back.
   */
  async enqueue(manager: EntityManager, input: OutboxEnqueueInput, context: ChangeContext = currentChangeContext()): Promise<OutboxEntry | null> {
    if (context.origin === 'remote') return null;
    if (!OUTBOX_OPERATIONS.includes(input.operation)) {
      throw new Error(`Unknown outbox operation "${input.operation}"; expected one of ${OUTBOX_OPERATIONS.join(', ')}`);
    }

    const uuid = randomUUID();
    const rows = await queryRows(
      manager,
      `INSERT INTO sync_outbox
         (uuid, backend_name, issue_id, issue_uuid, operation, target_type, target_id, target_uuid, payload, idempotency_key, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($11, now()))
       RETURNING *`,
      [
        uuid,
        input.backendName,
        input.issue?.id ?? null,
        input.issue?.uuid ?? null,
        input.operation,
        input.target?.type ?? null,
        input.target?.id ?? null,
        input.target?.uuid ?? null,
        JSON.stringify(input.payload ?? {}),
        input.idempotencyKey ?? uuid,
        input.notBefore ?? null,
      ],
    );
    return toOutboxEntry(rows[0]);
  }

  /**
   * Tries to deliver freshly committed rows at once and waits at most `waitMs` for them.
   * Returns true when every row was delivered in time. The attempt goes on after the wait.
   * Rows it could not take, because an earlier row of the issue is still open or the
   * circuit is open, are left to the worker. Call it only after the enqueueing transaction
   * committed: on embedded PGlite a call inside the transaction waits forever.
   */
  async deliverSoon(
    rows: Iterable<OutboxEntry | number | null | undefined>,
    options: { waitMs?: number } = {},
  ): Promise<boolean> {
    const ids = [...rows]
      .map((row) => (typeof row === 'number' ? row : row?.id))
      .filter((id): id is number => id !== undefined);
    if (ids.length === 0) return true;

    const work = this.delivery.deliverDue(ids).then(
      (attempted) => {
        // Later rows of the same issues may have waited for these; let the worker take them now.
        if (attempted > 0) this.worker.wake();
        return attempted;
      },
      (error: unknown) => {
        this.logger.error(`Immediate delivery of outbox rows ${ids.join(', ')} failed; the worker retries them`, error);
        return 0;
      },
    );
    const waitMs = options.waitMs ?? this.config.outbox.deliverWaitMs;
    if ((await waitAtMost(work, waitMs)) === undefined) return false;
    return (await this.repository.countNotDone(ids)) === 0;
  }
}
