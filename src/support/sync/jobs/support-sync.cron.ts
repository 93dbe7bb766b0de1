import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SettingsService } from '../../../settings/settings.service';
import { SupportBackend } from '../../backends/support-backend';
import { SupportBackendProvider } from '../../backends/support-backend.provider';
import { PullRunner } from '../pull/pull-runner.service';
import { JobCounts } from './scheduled-job-runner.service';
import { SyncMaintenance } from './sync-maintenance.service';
import { SyncScheduler } from './sync-scheduler.service';

const PULL_INTERVAL_SETTING = 'SUPPORT_PULL_INTERVAL_MINUTES';
const DEFAULT_PULL_INTERVAL_MINUTES = 10;
const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

/**
 * The support sync schedule: issue pulls every `SUPPORT_PULL_INTERVAL_MINUTES`, support
 * users every 6 hours, priorities and request types daily at 01:00, reconciliation of
 * deleted issues daily at 02:00 and the sync tables' cleanup daily at 03:00 (server time).
 * The bodies only call the backend port and the pull runner.
 */
@Injectable()
export class SupportSyncJobs implements OnModuleInit {
  private readonly logger = new Logger('SupportSyncJobs');

  constructor(
    private readonly scheduler: SyncScheduler,
    private readonly settings: SettingsService,
    private readonly moduleRef: ModuleRef,
    private readonly pullRunner: PullRunner,
    private readonly maintenance: SyncMaintenance,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: 'support.pull-issues',
      schedule: { everyMs: () => this.pullIntervalMs() },
      run: () => this.whenSupportEnabled(async () => ({ ...(await this.pullRunner.pullAll()) })),
    });
    this.scheduler.register({
      name: 'support.pull-support-users',
      schedule: { everyMs: () => SIX_HOURS_MS },
      run: () => this.whenSupportEnabled(() => this.callBackend((backend) => backend.pullSupportUsers())),
    });
    this.scheduler.register({
      name: 'support.pull-priorities',
      schedule: { dailyAt: { hour: 1, minute: 0 } },
      run: () => this.whenSupportEnabled(() => this.callBackend((backend) => backend.pullPriorities())),
    });
    this.scheduler.register({
      name: 'support.pull-request-types',
      schedule: { dailyAt: { hour: 1, minute: 0 } },
      run: () => this.whenSupportEnabled(() => this.callBackend((backend) => backend.pullRequestTypes())),
    });
    this.scheduler.register({
      name: 'support.reconcile-issues',
      schedule: { dailyAt: { hour: 2, minute: 0 } },
      run: () => this.whenSupportEnabled(async () => ({ ...(await this.pullRunner.reconcileAll()) })),
    });
    this.scheduler.register({
      name: 'sync.cleanup',
      schedule: { dailyAt: { hour: 3, minute: 0 } },
      run: () => this.maintenance.deleteExpired(this.dataSource),
    });
  }

  @OnEvent('settings.changed')
  onSettingsChanged(event: { keys?: string[] }): void {
    if (event.keys?.includes(PULL_INTERVAL_SETTING)) this.scheduler.reschedule('support.pull-issues');
  }

  private pullIntervalMs(): number {
    const minutes = Number(this.settings.get(PULL_INTERVAL_SETTING));
    if (!Number.isFinite(minutes) || minutes <= 0) {
      this.logger.warn(`${PULL_INTERVAL_SETTING} is not a positive number; using ${DEFAULT_PULL_INTERVAL_MINUTES} minutes`);
      return DEFAULT_PULL_INTERVAL_MINUTES * 60_000;
    }
    return minutes * 60_000;
  }

  private async whenSupportEnabled(work: () => Promise<JobCounts>): Promise<JobCounts> {
    if (this.settings.get('WALDUR_SUPPORT_ENABLED') === false) return { skippedSupportDisabled: 1 };
    return work();
  }

  /**
   * Calls the active backend's adapter, taken from the provider when the job runs, because
   * the provider rebuilds the adapter when its settings change.
   */
  private async callBackend(call: (backend: SupportBackend) => Promise<void>): Promise<JobCounts> {
    const backend = this.moduleRef.get(SupportBackendProvider, { strict: false }).current();
    await call(backend);
    return {};
  }
}
