import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { APP_CONFIG, AppConfig, loadAppConfig } from '../../src/config/app.config';
import { loadSyncConfig, SYNC_CONFIG } from '../../src/support/sync/sync.config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  database: TestDatabase;
  /** A supertest client bound to the app's HTTP server. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  /** Hook to override providers, e.g. a fake mail transport. */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Reuse a database (for restart tests); the caller then drops it. */
  database?: TestDatabase;
}

/** Boots the whole app on a database of its own, set up exactly as `main.ts` sets it up. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-test-'));
  const config: AppConfig = {
    ...loadAppConfig({ LOG_LEVEL: 'silent' }),
    databaseUrl: database.url,
    dataDir,
    secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    ...options.config,
  };

  // Background sync workers and scheduled jobs stay off unless a test turns them on, so
  // tests drive delivery themselves and nothing polls behind their back.
  const syncConfig = loadSyncConfig({ ...process.env, SYNC_WORKERS_ENABLED: 'false', SYNC_JOBS_ENABLED: 'false' });
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(SYNC_CONFIG)
    .useValue(syncConfig);
  if (options.configure) builder = options.configure(builder);
  const moduleRef = await builder.compile();

  const app = moduleRef.createNestApplication({ bodyParser: false });
  setupApp(app);
  await app.init();

  const server = app.getHttpServer();
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    database,
    http: () => request(server),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
