import { SYNC_CONFIG, SyncConfig } from '../../src/support/sync/sync.config';
import { TestDatabase } from './test-database';
import { createTestApp, TestApp } from './test-app';

/**
 * Sync timings for tests: short, with workers and scheduled jobs off so each test drives
 * delivery itself (`OutboxWorker.drainUntilIdle`, `InboxWorker.drainUntilIdle`).
 * Services read the config when they use it, so a test may change fields of the returned
 * object while the app runs (the polling intervals excepted).
 */
export function syncTestConfig(overrides: Partial<SyncConfig> = {}): SyncConfig {
  return {
    replicaId: 'test-replica',
    workersEnabled: false,
    jobsEnabled: false,
    outbox: {
      pollIntervalMs: 50,
      batchSize: 20,
      leaseMs: 5_000,
      deliveryTimeoutMs: 2_000,
      maxAttempts: 5,
      retryBaseMs: 100,
      retryCapMs: 10_000,
      deliverWaitMs: 2_000,
    },
    circuit: { failureThreshold: 3, coolDownMs: 300 },
    inbox: {
      sweepIntervalMs: 50,
      batchSize: 20,
      leaseMs: 5_000,
      maxAttempts: 5,
      retryBaseMs: 100,
      retryCapMs: 10_000,
      derivedIdWindowMs: 60_000,
    },
    echo: { windowMs: 60_000 },
    pull: { overlapMs: 120_000, reconcileGraceMs: 0, reconcileMaxGoneRatio: 0.5 },
    jobs: { leaseMs: 2_000 },
    retention: { outboxDays: 14, inboxDays: 30, jobRunDays: 30 },
    shutdownGraceMs: 2_000,
    random: () => 0.5,
    ...overrides,
  };
}

export interface SyncTestApp extends TestApp {
  syncConfig: SyncConfig;
}

/** Boots the whole app with `config` as its sync config. */
export async function createSyncTestApp(config: SyncConfig = syncTestConfig(), database?: TestDatabase): Promise<SyncTestApp> {
  const testApp = await createTestApp({
    database,
    configure: (builder) => builder.overrideProvider(SYNC_CONFIG).useValue(config),
  });
  return Object.assign(testApp, { syncConfig: config });
}

/** Makes every open outbox row and inbox delivery due now, skipping back-off waits. */
export async function makeEverythingDue(testApp: TestApp): Promise<void> {
  await testApp.dataSource.query(`UPDATE sync_outbox SET next_attempt_at = now() WHERE status = 'pending'`);
  await testApp.dataSource.query(`UPDATE sync_inbox SET next_attempt_at = now() WHERE status IN ('pending', 'failed')`);
}
