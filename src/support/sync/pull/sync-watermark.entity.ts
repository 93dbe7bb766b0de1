import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a backend's pull of one scope (issues, for example) has got. */
@Entity({ name: 'sync_watermarks' })
export class SyncWatermark {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'sync_watermarks_pkey' })
  backendName: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'sync_watermarks_pkey' })
  scope: string;

  /** Remote change time up to which every change is applied; null before the first pull. */
  @Column({ type: 'timestamptz', nullable: true })
  watermark: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastReconciledAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  modified: Date;
}
