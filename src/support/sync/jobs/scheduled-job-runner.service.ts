import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { withTryAdvisoryLock } from '../../../database/advisory-lock';
import { stripNullCharacter } from '../../common/null-characters';
import { millisecondsParam, queryRows } from '../common/sql';
import { SyncMetrics } from '../status/sync-metrics.service';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';

/** Counts a job reports about its work, logged and stored with the run. */
export type JobCounts = Record<string, number>;

export type JobRunOutcome =
  | { status: 'succeeded'; counts: JobCounts }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: 'locked' | 'already_ran' };

/**
 * Runs a job at most once per tick across replicas. On PostgreSQL it takes an advisory
 * lock named for the job, so two replicas never run it at once. It also records the tick
 * in `sync_job_runs`, whose unique (job_name, tick) key keeps a replica whose timer fires
 * after another replica finished the tick from running it again. On embedded PGlite the
 * advisory lock does not exclude (all connections share one session), so the tick row
 * alone dedupes there, which suffices because embedded mode runs one instance.
 *
 * The running replica extends the run's lease while it works. A run left `started` with
 * an expired lease belongs to a replica that died: the next run of the job marks it
 * `abandoned`, or takes it over when it is the same tick. A replica that froze or lost
 * the database keeps its session open, so on PostgreSQL 14 and later the server ends
 * the lock's session after a lease without keep-alive queries, and the next replica
 * gets the lock.
 */
@Injectable()
export class ScheduledJobRunner {
  private readonly logger = new Logger('ScheduledJobs');

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: SyncMetrics,
  ) {}

  /**
   * Never rejects: an error of the lock or of the run's bookkeeping, such as an unreachable
   * database, is logged and returned as a failed outcome. Schedulers call this from timers,
   * where a rejection would be unhandled and end the process.
   */
  async run(jobName: string, tick: string, work: () => Promise<JobCounts | void>): Promise<JobRunOutcome> {
    try {
      // A replica that stops heartbeating loses the lock together with the run's lease.
      const locked = await withTryAdvisoryLock(this.dataSource, `deskbridge:sync-job:${jobName}`, () => this.runLocked(jobName, tick, work), {
        releaseAfterSilenceMs: this.config.jobs.leaseMs,
      });
      if (!locked.acquired) {
        this.logger.debug(`Job ${jobName} tick ${tick} skipped: another replica holds its lock`);
        this.metrics.jobRuns.inc({ job: jobName, status: 'skipped' });
        return { status: 'skipped', reason: 'locked' };
      }
      return locked.result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.metrics.jobRuns.inc({ job: jobName, status: 'failed' });
      this.logger.error(`Job ${jobName} tick ${tick} failed in its lock or run record: ${message}`, error);
      return { status: 'failed', error: message };
    }
  }

  private async runLocked(jobName: string, tick: string, work: () => Promise<JobCounts | void>): Promise<JobRunOutcome> {
    await this.closeAbandoned(jobName, tick);
    const runId = await this.claimTick(jobName, tick);
    if (runId === undefined) {
      this.logger.debug(`Job ${jobName} tick ${tick} skipped: it already ran`);
      this.metrics.jobRuns.inc({ job: jobName, status: 'skipped' });
      return { status: 'skipped', reason: 'already_ran' };
    }

    const startedAt = Date.now();
    this.logger.log(`Job ${jobName} tick ${tick} started on replica ${this.config.replicaId}`);
    const heartbeat = setInterval(() => void this.extendLease(runId, jobName), Math.max(10, Math.floor(this.config.jobs.leaseMs / 3)));
    try {
      const counts = (await work()) ?? {};
      const recorded = await this.finish(runId, jobName, tick, 'succeeded', counts, null);
      this.metrics.jobRuns.inc({ job: jobName, status: 'succeeded' });
      if (recorded) this.logger.log(`Job ${jobName} tick ${tick} finished in ${Date.now() - startedAt} ms: ${formatCounts(counts)}`);
      return { status: 'succeeded', counts };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.finish(runId, jobName, tick, 'failed', {}, message).catch((finishError: unknown) =>
        this.logger.error(`Recording the failure of job ${jobName} tick ${tick} failed`, finishError),
      );
      this.metrics.jobRuns.inc({ job: jobName, status: 'failed' });
      this.logger.error(`Job ${jobName} tick ${tick} failed after ${Date.now() - startedAt} ms`, error);
      return { status: 'failed', error: message };
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Marks earlier runs of the job whose replica died as abandoned. */
  private async closeAbandoned(jobName: string, tick: string): Promise<void> {
    const rows = await queryRows<{ tick: string; replica_id: string }>(
      this.dataSource,
      `UPDATE sync_job_runs
       SET status = 'abandoned', finished_at = now(),
           error = 'Replica ' || replica_id || ' stopped before finishing; closed by the run of tick ' || $2
       WHERE job_name = $1 AND status = 'started' AND lease_until < now() AND tick <> $2
       RETURNING tick, replica_id`,
      [jobName, tick],
    );
    for (const row of rows) {
      this.logger.warn(`Job ${jobName} tick ${row.tick} was abandoned by replica ${row.replica_id}; marked abandoned`);
    }
  }

  /** Records the tick as started by this replica; returns the run id, or undefined when the tick is taken. */
  private async claimTick(jobName: string, tick: string): Promise<number | undefined> {
    const leaseMs = this.config.jobs.leaseMs;
    const inserted = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO sync_job_runs (job_name, tick, replica_id, lease_until)
       VALUES ($1, $2, $3, now() + ${millisecondsParam(4)})
       ON CONFLICT (job_name, tick) DO NOTHING
       RETURNING id`,
      [jobName, tick, this.config.replicaId, leaseMs],
    );
    if (inserted.length === 1) return Number(inserted[0].id);

    const takenOver = await queryRows<{ id: string; previous: string }>(
      this.dataSource,
      `UPDATE sync_job_runs AS run
       SET replica_id = $3, started_at = now(), lease_until = now() + ${millisecondsParam(4)}, finished_at = NULL, error = NULL
       FROM (SELECT id, replica_id FROM sync_job_runs WHERE job_name = $1 AND tick = $2) AS previous
       WHERE run.id = previous.id AND run.status = 'started' AND run.lease_until < now()
       RETURNING run.id, previous.replica_id AS previous`,
      [jobName, tick, this.config.replicaId, leaseMs],
    );
    if (takenOver.length === 0) return undefined;
    this.logger.warn(`Job ${jobName} tick ${tick} was left unfinished by replica ${takenOver[0].previous}; running it again`);
    return Number(takenOver[0].id);
  }

  private async extendLease(runId: number, jobName: string): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE sync_job_runs SET lease_until = now() + ${millisecondsParam(2)}
         WHERE id = $1 AND status = 'started' AND replica_id = $3`,
        [runId, this.config.jobs.leaseMs, this.config.replicaId],
      );
    } catch (error) {
      this.logger.warn(`Extending the lease of job ${jobName} run ${runId} failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  /**
   * Records the end of the run and returns true. While this replica was silent (frozen or
   * cut off from the database), another one may have closed the run as abandoned or taken
   * its tick over. That record then stays and this returns false, because this replica
   * worked on without the lock after its lease ended.
   */
  private async finish(
    runId: number,
    jobName: string,
    tick: string,
    status: 'succeeded' | 'failed',
    counts: JobCounts,
    error: string | null,
  ): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE sync_job_runs SET status = $2, finished_at = now(), counts = $3, error = $4
       WHERE id = $1 AND replica_id = $5 AND status = 'started'
       RETURNING id`,
      [runId, status, JSON.stringify(counts), error === null ? null : stripNullCharacter(error), this.config.replicaId],
    );
    if (rows.length === 1) return true;
    this.logger.warn(
      `Job ${jobName} tick ${tick} ended (${status}: ${error ?? formatCounts(counts)}) after its lease expired and another replica ` +
        `closed or took over the run; its record was left as that replica wrote it`,
    );
    return false;
  }
}

function formatCounts(counts: JobCounts): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'no counts' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}
