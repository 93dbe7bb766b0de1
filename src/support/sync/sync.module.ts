import { Module } from '@nestjs/common';

import { EchoGuard } from './echo/echo-guard.service';
import { DeliveriesAdminService } from './inbox/deliveries-admin.service';
import { DeliveriesController } from './inbox/deliveries.controller';
import { InboxProcessorRegistry } from './inbox/inbox-processor';
import { InboxWorker } from './inbox/inbox-worker.service';
import { InboxService } from './inbox/inbox.service';
import { InboxRepository } from './inbox/inbox.repository';
import { ScheduledJobRunner } from './jobs/scheduled-job-runner.service';
import { SupportSyncJobs } from './jobs/support-sync.cron';
import { SyncMaintenance } from './jobs/sync-maintenance.service';
import { SyncScheduler } from './jobs/sync-scheduler.service';
import { CircuitBreakers } from './outbox/circuit-breakers.service';
import { OutboxAdminService } from './outbox/outbox-admin.service';
import { OutboxDelivererRegistry } from './outbox/outbox-deliverer';
import { OutboxDeliveryService } from './outbox/outbox-delivery.service';
import { OutboxWorker } from './outbox/outbox-worker.service';
import { OutboxController } from './outbox/outbox.controller';
import { OutboxService } from './outbox/outbox.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { PullRunner } from './pull/pull-runner.service';
import { RemotePullerRegistry } from './pull/remote-puller';
import { WatermarksRepository } from './pull/watermarks.repository';
import { SyncGauges } from './status/sync-gauges.provider';
import { SyncMetrics } from './status/sync-metrics.service';
import { SyncStatusViewService } from './status/sync-status-view.service';
import { SyncStatusController } from './status/sync-status.controller';
import { SyncStatusService } from './status/sync-status.service';
import { loadSyncConfig, SYNC_CONFIG } from './sync.config';

/**
 * Exactly-once sync machinery shared by the backend adapters: the outbox (pushes),
 * the webhook inbox, echo suppression, watermarked pulls, once-per-tick scheduled jobs
 * and the staff endpoints that show and repair them.
 *
 * Adapters plug in by registering an `OutboxDeliverer`, an `InboxProcessor` and a
 * `RemotePuller` in the registries this module exports. Feature services write through
 * `OutboxService.enqueue` inside their transaction and call `deliverSoon` after commit.
 */
@Module({
  controllers: [OutboxController, DeliveriesController, SyncStatusController],
  providers: [
    { provide: SYNC_CONFIG, useFactory: () => loadSyncConfig() },
    SyncMetrics,
    SyncGauges,
    CircuitBreakers,
    OutboxDelivererRegistry,
    OutboxRepository,
    OutboxDeliveryService,
    OutboxWorker,
    OutboxService,
    OutboxAdminService,
    EchoGuard,
    InboxProcessorRegistry,
    InboxRepository,
    InboxService,
    InboxWorker,
    DeliveriesAdminService,
    RemotePullerRegistry,
    WatermarksRepository,
    PullRunner,
    ScheduledJobRunner,
    SyncScheduler,
    SyncMaintenance,
    SupportSyncJobs,
    SyncStatusService,
    SyncStatusViewService,
  ],
  exports: [
    SYNC_CONFIG,
    OutboxService,
    OutboxDelivererRegistry,
    OutboxWorker,
    EchoGuard,
    InboxService,
    InboxProcessorRegistry,
    InboxWorker,
    RemotePullerRegistry,
    PullRunner,
    ScheduledJobRunner,
    SyncScheduler,
    SyncStatusService,
  ],
})
export class SyncModule {}
