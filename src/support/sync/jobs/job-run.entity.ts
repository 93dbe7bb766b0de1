import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

import { bigintAsNumber } from '../common/bigint-column';

export const JOB_RUN_STATUSES = ['started', 'succeeded', 'failed', 'abandoned'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/** One run of a scheduled job for one tick; the unique key lets only one replica run it. */
@Entity({ name: 'sync_job_runs' })
@Index('sync_job_runs_tick_key', ['jobName', 'tick'], { unique: true })
export class JobRun {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber, primaryKeyConstraintName: 'sync_job_runs_pkey' })
  @Generated('increment')
  id: number;

  @Column({ type: 'varchar', length: 100 })
  jobName: string;

  /** The schedule slot the run belongs to, such as `2024-05-01T10:10:00.000Z`. */
  @Column({ type: 'varchar', length: 64 })
  tick: string;

  @Column({ type: 'varchar', length: 255 })
  replicaId: string;

  @Column({ type: 'varchar', length: 16, default: 'started' })
  status: JobRunStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  /** Extended by the running replica's heartbeat; a started run past it has lost its replica. */
  @Column({ type: 'timestamptz' })
  leaseUntil: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'jsonb', default: {} })
  counts: Record<string, number>;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
