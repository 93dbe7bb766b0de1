import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

import { bigintAsNumber } from '../common/bigint-column';

export const OUTBOX_STATUSES = ['pending', 'in_progress', 'done', 'dead', 'discarded'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Operations the outbox accepts; an adapter's deliverer decides how each reaches its backend. */
export const OUTBOX_OPERATIONS = [
  'issue.create',
  'issue.update',
  'issue.delete',
  'comment.create',
  'comment.update',
  'comment.delete',
  'attachment.create',
  'attachment.delete',
  'feedback.create',
] as const;
export type OutboxOperation = (typeof OUTBOX_OPERATIONS)[number];

export type OutboxTargetType = 'issue' | 'comment' | 'attachment' | 'feedback';

/**
 * One push to a backend, written in the transaction of the local change that causes it
 * and delivered after commit. Rows of one issue are delivered in id order.
 */
@Entity({ name: 'sync_outbox' })
export class OutboxEntry {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber, primaryKeyConstraintName: 'sync_outbox_pkey' })
  @Generated('increment')
  id: number;

  @Index('sync_outbox_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  uuid: string;

  @Column({ type: 'varchar', length: 32 })
  backendName: string;

  /** The issue whose rows are delivered in order; null for pushes that belong to no issue. */
  @Column({ type: 'integer', nullable: true })
  issueId: number | null;

  @Column({ type: 'uuid', nullable: true })
  issueUuid: string | null;

  @Column({ type: 'varchar', length: 64 })
  operation: OutboxOperation;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType: OutboxTargetType | null;

  @Column({ type: 'integer', nullable: true })
  targetId: number | null;

  @Column({ type: 'uuid', nullable: true })
  targetUuid: string | null;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  /**
   * Marker the adapter stores on the remote object it creates (a property, tag or field),
   * so a retry after a lost response finds that object instead of creating a second one.
   */
  @Column({ type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: OutboxStatus;

  /** Claims so far; the claim that delivers is attempt number `attempts`. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  claimedBy: string | null;

  /** End of the claim's lease; after it another worker may claim the row again. */
  @Column({ type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  /** Id of the remote object the delivery made or changed, when the deliverer reports it. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  remoteId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  modified: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
