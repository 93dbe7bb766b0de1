/**
 * Outbox benchmark against the in-memory remote double.
 *
 *   npx tsx scripts/bench-outbox.ts [--rows 10000] [--issues 1000] [--workers 2] [--latency-ms 0]
 *                                   [--batch 50] [--soon-rows 1000] [--soon-clients 8]
 *
 * Runs on in-memory PGlite, or on a fresh database of the PostgreSQL server named by
 * TEST_DATABASE_URL (created and dropped here). It builds the outbox services by hand
 * instead of booting Nest, because tsx does not emit the decorator metadata Nest's
 * injection needs. Two phases:
 *   drain: enqueue all rows (spread over --issues issues, so per-issue ordering is
 *          exercised), then drain them with --workers concurrent poll loops;
 *   soon:  --soon-clients concurrent callers each commit one row and call deliverSoon,
 *          as an API request does.
 *
 * NOTE: on embedded PGlite the soon phase defaults to one client. With several, pglite-socket
 * 0.2.17 interleaves the extended-protocol messages of a connection opening a transaction with
 * those of another connection's query, which fails with `portal "" does not exist`.
 */
import { parseArgs } from 'node:util';

import { DataSource, EntityManager } from 'typeorm';

import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MetricsService } from '../src/metrics/metrics.service';
import { EchoGuard } from '../src/support/sync/echo/echo-guard.service';
import { CircuitBreakers } from '../src/support/sync/outbox/circuit-breakers.service';
import { DeliveryResult, OutboxDelivererRegistry, OutboxDelivery } from '../src/support/sync/outbox/outbox-deliverer';
import { OutboxDeliveryService } from '../src/support/sync/outbox/outbox-delivery.service';
import { OutboxWorker } from '../src/support/sync/outbox/outbox-worker.service';
import { OutboxService } from '../src/support/sync/outbox/outbox.service';
import { OutboxRepository } from '../src/support/sync/outbox/outbox.repository';
import { SyncMetrics } from '../src/support/sync/status/sync-metrics.service';
import { loadSyncConfig, SyncConfig } from '../src/support/sync/sync.config';
import { createTestDatabase } from '../test/support/test-database';
import { RemoteDouble, RemoteDoubleDeliverer } from '../test/support/sync-remote-double';

const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    issues: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    'latency-ms': { type: 'string', default: '0' },
    batch: { type: 'string', default: '50' },
    'soon-rows': { type: 'string', default: '1000' },
    'soon-clients': { type: 'string' },
  },
});
const rows = Number(options.rows);
const issues = Number(options.issues);
const workers = Number(options.workers);
const latencyMs = Number(options['latency-ms']);
const batchSize = Number(options.batch);
const soonRows = Number(options['soon-rows']);
const BACKEND = 'bench';

/** Times each attempt from the start of `deliver` to `applyResult`, in the transaction that marks it done. */
class TimedDeliverer extends RemoteDoubleDeliverer {
  readonly attemptMs: number[] = [];
  private readonly startedAt = new Map<string, number>();

  override async deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    this.startedAt.set(delivery.uuid, performance.now());
    return super.deliver(delivery);
  }

  /** Keeps only the timing: there is no local copy to update. */
  override async applyResult(_manager: EntityManager, delivery: OutboxDelivery): Promise<void> {
    const started = this.startedAt.get(delivery.uuid);
    if (started !== undefined) this.attemptMs.push(performance.now() - started);
  }

  override async findDelivered(): Promise<DeliveryResult | undefined> {
    return undefined;
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const format = (value: number) => `${value.toFixed(1)} ms`;
  return `${label}: p50 ${format(percentile(sorted, 0.5))}, p95 ${format(percentile(sorted, 0.95))}, p99 ${format(percentile(sorted, 0.99))}, max ${format(sorted[sorted.length - 1] ?? NaN)}`;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const dataSource = await new DataSource(buildDataSourceOptions({ url: database.url, embedded: database.embedded })).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });

    const config: SyncConfig = {
      ...loadSyncConfig({}),
      replicaId: 'bench',
      workersEnabled: false,
      jobsEnabled: false,
    };
    config.outbox.batchSize = batchSize;
    const remote = new RemoteDouble();
    remote.latencyMs = latencyMs;
    const deliverer = new TimedDeliverer(BACKEND, remote);
    const registry = new OutboxDelivererRegistry();
    registry.add(deliverer);
    const repository = new OutboxRepository(dataSource);
    const delivery = new OutboxDeliveryService(
      config,
      dataSource,
      repository,
      registry,
      new CircuitBreakers(config),
      new EchoGuard(config),
      new SyncMetrics(new MetricsService()),
    );
    const worker = new OutboxWorker(config, delivery);
    const outbox = new OutboxService(config, repository, delivery, worker);

    const soonClients = Number(options['soon-clients'] ?? (database.embedded ? 1 : 8));
    const target = database.embedded ? 'embedded PGlite (in memory)' : 'PostgreSQL';
    console.log(`Outbox benchmark on ${target}: ${rows} rows over ${issues} issues, ${workers} workers, batch ${batchSize}, remote latency ${latencyMs} ms`);

    // Phase 1: bulk enqueue, then drain.
    const enqueueStarted = performance.now();
    const perTransaction = 500;
    for (let offset = 0; offset < rows; offset += perTransaction) {
      await dataSource.transaction(async (manager) => {
        for (let index = offset; index < Math.min(rows, offset + perTransaction); index++) {
          const issueId = (index % issues) + 1;
          await outbox.enqueue(manager, {
            backendName: BACKEND,
            operation: 'comment.create',
            issue: { id: issueId, uuid: `00000000-0000-4000-8000-${String(issueId).padStart(12, '0')}` },
            payload: { index },
          });
        }
      });
    }
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    console.log(`enqueue: ${(rows / enqueueSeconds).toFixed(0)} rows/s (${enqueueSeconds.toFixed(2)} s)`);

    const drainStarted = performance.now();
    await Promise.all(Array.from({ length: workers }, () => worker.drainUntilIdle()));
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const [{ done }] = await dataSource.query(`SELECT count(*) AS done FROM sync_outbox WHERE status = 'done'`);
    const [{ p95 }] = await dataSource.query(
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created)) * 1000 AS p95 FROM sync_outbox`,
    );
    console.log(`drain: ${(Number(done) / drainSeconds).toFixed(0)} rows/s (${done} of ${rows} delivered in ${drainSeconds.toFixed(2)} s)`);
    console.log(summary('drain attempt latency (deliver start to done)', deliverer.attemptMs));
    console.log(`drain queue-to-delivered p95: ${Number(p95).toFixed(0)} ms (all rows were queued before the drain began)`);
    const markers = new Set([...remote.objects.values()].map((object) => object.marker));
    console.log(`remote objects: ${remote.objects.size} for ${rows} rows, ${remote.objects.size - markers.size} duplicates`);

    // Phase 2: one row per request, delivered at once.
    deliverer.attemptMs.length = 0;
    const requestMs: number[] = [];
    let next = 0;
    let delivered = 0;
    const soonStarted = performance.now();
    await Promise.all(
      Array.from({ length: soonClients }, async () => {
        while (next < soonRows) {
          const index = next++;
          const started = performance.now();
          const row = await dataSource.transaction((manager) =>
            outbox.enqueue(manager, {
              backendName: BACKEND,
              operation: 'comment.create',
              issue: { id: issues + index + 1, uuid: `00000000-0000-4000-9000-${String(index).padStart(12, '0')}` },
            }),
          );
          if (await outbox.deliverSoon([row], { waitMs: 5000 })) delivered += 1;
          requestMs.push(performance.now() - started);
        }
      }),
    );
    const soonSeconds = (performance.now() - soonStarted) / 1000;
    console.log(
      `deliverSoon: ${(soonRows / soonSeconds).toFixed(0)} requests/s with ${soonClients} clients, ${delivered} of ${soonRows} delivered within the wait`,
    );
    console.log(summary('deliverSoon request latency (commit + delivery)', requestMs));
    await delivery.stop(5000);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
