import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { MetricsService } from '../../../metrics/metrics.service';
import { CircuitState } from '../outbox/circuit-breakers.service';
import { SyncStatus, SyncStatusService } from './sync-status.service';

const CIRCUIT_STATE_VALUES: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** How long one status snapshot serves the gauges of a scrape. */
const SNAPSHOT_TTL_MS = 1000;

/**
 * Sync gauges on the app's Prometheus registry, filled on scrape from one status
 * snapshot, so `/metrics` shows the same numbers as `/api/support-sync-status/`.
 */
@Injectable()
export class SyncGauges implements OnModuleInit {
  private readonly logger = new Logger(SyncGauges.name);
  private cached: { at: number; snapshot: Promise<SyncStatus> } | undefined;

  constructor(
    private readonly metrics: MetricsService,
    private readonly status: SyncStatusService,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const snapshot = () => this.snapshot();

    new Gauge({
      name: 'deskbridge_sync_outbox_rows',
      help: 'Outbox rows not yet delivered, by backend and status (pending, in_progress, dead)',
      labelNames: ['backend', 'status'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          this.set({ backend: backend.backendName, status: 'pending' }, backend.outbox.pending);
          this.set({ backend: backend.backendName, status: 'in_progress' }, backend.outbox.inProgress);
          this.set({ backend: backend.backendName, status: 'dead' }, backend.outbox.dead);
        }
      },
    });
    new Gauge({
      name: 'deskbridge_sync_outbox_oldest_pending_age_seconds',
      help: 'Age in seconds of the oldest outbox row not yet delivered, by backend; 0 when there is none',
      labelNames: ['backend'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          this.set({ backend: backend.backendName }, backend.outbox.oldestPendingAgeSeconds ?? 0);
        }
      },
    });
    new Gauge({
      name: 'deskbridge_sync_inbox_backlog_rows',
      help: 'Webhook deliveries waiting for processing, by source and status (pending, failed)',
      labelNames: ['source', 'status'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          this.set({ source: backend.backendName, status: 'pending' }, backend.inbox.pending);
          this.set({ source: backend.backendName, status: 'failed' }, backend.inbox.failed);
        }
      },
    });
    new Gauge({
      name: 'deskbridge_sync_circuit_state',
      help: 'Circuit breaker state per backend in this process: 0 closed, 1 half-open, 2 open',
      labelNames: ['backend'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          this.set({ backend: backend.backendName }, CIRCUIT_STATE_VALUES[backend.circuit.state]);
        }
      },
    });
    new Gauge({
      name: 'deskbridge_sync_pull_watermark_timestamp_seconds',
      help: 'Pull watermark per backend and scope, as a Unix timestamp',
      labelNames: ['backend', 'scope'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          for (const pull of backend.pulls) {
            if (pull.watermark) this.set({ backend: pull.backendName, scope: pull.scope }, pull.watermark.getTime() / 1000);
          }
        }
      },
    });
    new Gauge({
      name: 'deskbridge_sync_pull_last_success_timestamp_seconds',
      help: 'Time of the last successful pull per backend and scope, as a Unix timestamp',
      labelNames: ['backend', 'scope'] as const,
      registers,
      async collect() {
        this.reset();
        for (const backend of (await snapshot()).backends) {
          for (const pull of backend.pulls) {
            if (pull.lastSuccessAt) this.set({ backend: pull.backendName, scope: pull.scope }, pull.lastSuccessAt.getTime() / 1000);
          }
        }
      },
    });
  }

  private snapshot(): Promise<SyncStatus> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > SNAPSHOT_TTL_MS) {
      // A database outage leaves the sync gauges empty instead of failing the whole scrape.
      const snapshot = this.status.snapshot().catch((error: unknown): SyncStatus => {
        this.logger.warn(`Sync gauges are empty in this scrape: reading the sync status failed: ${error instanceof Error ? error.message : error}`);
        this.cached = undefined;
        return { replicaId: '', backends: [], jobs: [] };
      });
      this.cached = { at: now, snapshot };
    }
    return this.cached.snapshot;
  }
}
