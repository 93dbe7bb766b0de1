import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';

import { MetricsService } from '../../../metrics/metrics.service';

/** Counters of the sync machinery on the app's Prometheus registry; gauges live in `SyncGauges`. */
@Injectable()
export class SyncMetrics {
  readonly outboxAttempts: Counter<'backend' | 'operation' | 'outcome'>;
  readonly outboxDeliverySeconds: Histogram<'backend' | 'operation'>;
  readonly inboxReceived: Counter<'source' | 'outcome'>;
  readonly inboxProcessed: Counter<'source' | 'outcome'>;
  readonly pullObjects: Counter<'backend' | 'scope' | 'outcome'>;
  readonly jobRuns: Counter<'job' | 'status'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.outboxAttempts = new Counter({
      name: 'deskbridge_sync_outbox_attempts_total',
      help: 'Outbox delivery attempts by backend, operation and outcome (delivered, adopted, retry, dead, lost_claim)',
      labelNames: ['backend', 'operation', 'outcome'] as const,
      registers,
    });
    this.outboxDeliverySeconds = new Histogram({
      name: 'deskbridge_sync_outbox_delivery_seconds',
      help: 'Duration of successful outbox deliveries in seconds, from claim to done',
      labelNames: ['backend', 'operation'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.inboxReceived = new Counter({
      name: 'deskbridge_sync_inbox_received_total',
      help: 'Webhook deliveries received by source and outcome (stored, duplicate, rejected)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    });
    this.inboxProcessed = new Counter({
      name: 'deskbridge_sync_inbox_processed_total',
      help: 'Inbox processing attempts by source and outcome (processed, ignored, failed)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    });
    this.pullObjects = new Counter({
      name: 'deskbridge_sync_pull_objects_total',
      help: 'Objects seen by scheduled pulls by backend, scope and outcome (applied, skipped, failed, gone)',
      labelNames: ['backend', 'scope', 'outcome'] as const,
      registers,
    });
    this.jobRuns = new Counter({
      name: 'deskbridge_sync_job_runs_total',
      help: 'Scheduled job runs in this process by job and status (succeeded, failed, skipped)',
      labelNames: ['job', 'status'] as const,
      registers,
    });
  }
}
