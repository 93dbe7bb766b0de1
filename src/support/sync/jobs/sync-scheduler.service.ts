import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { waitAtMost } from '../common/abort';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { JobCounts, JobRunOutcome, ScheduledJobRunner } from './scheduled-job-runner.service';
import { dailyTick, intervalTick, msUntilNextDaily, msUntilNextInterval } from './tick-key';

export type JobSchedule =
  /** Every interval, aligned to the epoch so all replicas fire at the same moments; read again for each tick. */
  | { everyMs: () => number }
  /** Once a day at this server-local time. */
  | { dailyAt: { hour: number; minute: number } };

export interface ScheduledJobDefinition {
  name: string;
  schedule: JobSchedule;
  run: () => Promise<JobCounts | void>;
}

/**
 * Arms the timers of scheduled jobs through `SchedulerRegistry` (as `sync:<job name>`)
 * and runs each firing through `ScheduledJobRunner`, so a tick runs once across replicas.
 * Timers are armed on bootstrap when `jobsEnabled`; jobs registered later are armed at once.
 * A job named in `jobs.intervalOverridesMs` (`SYNC_JOB_INTERVALS`) runs at that fixed
 * interval instead of its own schedule.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private readonly jobs = new Map<string, ScheduledJobDefinition>();
  private readonly running = new Map<string, Promise<JobRunOutcome>>();
  private armed = false;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly registry: SchedulerRegistry,
    private readonly runner: ScheduledJobRunner,
  ) {}

  register(job: ScheduledJobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`Scheduled job ${job.name} is already registered`);
    this.jobs.set(job.name, job);
    if (this.armed) this.arm(job);
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  onApplicationBootstrap(): void {
    if (this.config.jobsEnabled) this.start();
  }

  /**
   * Arms the timers of every registered job; later registrations are armed as they come.
   * Throws when `SYNC_JOB_INTERVALS` names a job that is not registered, so a misspelt
   * name stops the boot instead of leaving that job on its default schedule.
   */
  start(): void {
    if (this.armed) return;
    const unknown = Object.keys(this.intervalOverrides()).filter((name) => !this.jobs.has(name));
    if (unknown.length > 0) {
      throw new Error(`SYNC_JOB_INTERVALS names unknown jobs: ${unknown.join(', ')}. Scheduled jobs are: ${this.jobNames().join(', ')}`);
    }
    this.armed = true;
    for (const job of this.jobs.values()) this.arm(job);
    this.logger.log(`Scheduled jobs armed on replica ${this.config.replicaId}: ${this.jobNames().map((name) => this.describeJob(name)).join(', ') || 'none'}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.armed = false;
    for (const name of this.jobs.keys()) this.disarm(name);
    await waitAtMost(Promise.allSettled([...this.running.values()]), this.config.shutdownGraceMs);
  }

  /** Re-arms a job, for example after the setting behind its interval changed. */
  reschedule(name: string): void {
    const job = this.jobs.get(name);
    if (!job || !this.armed) return;
    this.disarm(name);
    this.arm(job);
  }

  /** Runs a job now for `tick` (a manual tick by default), through the same once-per-tick guard. */
  runNow(name: string, tick = `manual:${new Date().toISOString()}`): Promise<JobRunOutcome> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No scheduled job is named ${name}`);
    return this.fire(job, tick);
  }

  /** Sets the timer for the job's next slot; the tick is named after the planned time, not the actual firing. */
  private arm(job: ScheduledJobDefinition, after?: Date): void {
    // Node may fire a timer a millisecond before its planned time; planning from just
    // after the previous slot keeps that slot from being planned twice.
    const now = new Date(Math.max(Date.now(), after ? after.getTime() + 1 : 0));
    const schedule = this.scheduleOf(job);
    let delayMs: number;
    let tick: string;
    if ('everyMs' in schedule) {
      const intervalMs = schedule.everyMs();
      delayMs = msUntilNextInterval(now, intervalMs);
      tick = intervalTick(new Date(now.getTime() + delayMs), intervalMs);
    } else {
      const { hour, minute } = schedule.dailyAt;
      delayMs = msUntilNextDaily(now, hour, minute);
      tick = dailyTick(new Date(now.getTime() + delayMs), hour, minute);
    }
    const plannedAt = new Date(now.getTime() + delayMs);
    const timer = setTimeout(() => this.onTimer(job, tick, plannedAt), Math.max(0, plannedAt.getTime() - Date.now()));
    this.registry.addTimeout(timerName(job.name), timer);
  }

  private intervalOverrides(): Readonly<Record<string, number>> {
    return this.config.jobs.intervalOverridesMs ?? {};
  }

  private intervalOverrideOf(name: string): number | undefined {
    const overrides = this.intervalOverrides();
    return Object.hasOwn(overrides, name) ? overrides[name] : undefined;
  }

  private scheduleOf(job: ScheduledJobDefinition): JobSchedule {
    const overrideMs = this.intervalOverrideOf(job.name);
    return overrideMs === undefined ? job.schedule : { everyMs: () => overrideMs };
  }

  /** Names a job for the start-up log, with its interval when `SYNC_JOB_INTERVALS` sets one. */
  private describeJob(name: string): string {
    const overrideMs = this.intervalOverrideOf(name);
    return overrideMs === undefined ? name : `${name} (every ${overrideMs / 1000} s from SYNC_JOB_INTERVALS)`;
  }

  private disarm(name: string): void {
    if (this.registry.doesExist('timeout', timerName(name))) this.registry.deleteTimeout(timerName(name));
  }

  private onTimer(job: ScheduledJobDefinition, tick: string, plannedAt: Date): void {
    this.registry.deleteTimeout(timerName(job.name));
    if (this.armed) this.arm(job, plannedAt);
    void this.fire(job, tick);
  }

  private fire(job: ScheduledJobDefinition, tick: string): Promise<JobRunOutcome> {
    const inFlight = this.running.get(job.name);
    if (inFlight) {
      this.logger.warn(`Job ${job.name} tick ${tick} skipped: the previous run in this process is still going`);
      return Promise.resolve({ status: 'skipped', reason: 'locked' });
    }
    const run = this.runner.run(job.name, tick, job.run).finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }
}

function timerName(jobName: string): string {
  return `sync:${jobName}`;
}
