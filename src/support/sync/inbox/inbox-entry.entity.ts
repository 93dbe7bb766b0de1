import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

import { bigintAsNumber } from '../common/bigint-column';

export const INBOX_STATUSES = ['pending', 'processed', 'ignored', 'failed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export const SIGNATURE_VERDICTS = ['valid', 'invalid', 'missing', 'not_required'] as const;
/** `not_required` means no secret is configured, so there was nothing to check. */
export type SignatureVerdict = (typeof SIGNATURE_VERDICTS)[number];

/** One webhook delivery, stored with its exact bytes before anything processes it. */
@Entity({ name: 'sync_inbox' })
@Index('sync_inbox_delivery_key', ['source', 'deliveryId'], { unique: true })
export class InboxEntry {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber, primaryKeyConstraintName: 'sync_inbox_pkey' })
  @Generated('increment')
  id: number;

  @Index('sync_inbox_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  uuid: string;

  /** Backend the delivery came from. */
  @Column({ type: 'varchar', length: 32 })
  source: string;

  /** The sender's delivery id (repeated on its retries), or one derived from the body. */
  @Column({ type: 'varchar', length: 255 })
  deliveryId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** Request headers with lower-case names, credentials removed. */
  @Column({ type: 'jsonb', default: {} })
  headers: Record<string, string>;

  @Column({ type: 'bytea' })
  body: Buffer;

  @Column({ type: 'varchar', length: 16 })
  signatureVerdict: SignatureVerdict;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: InboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** End of the current processing claim; null when no worker is processing the row. */
  @Column({ type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  remoteObjectType: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  remoteObjectId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  remoteVersion: string | null;
}
