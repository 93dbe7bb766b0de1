import { DataSource } from 'typeorm';

import { buildDataSourceOptions } from '../../src/database/data-source-options';
import type { SmaxBackendOptions } from '../../src/support/backends/smax/smax.config';
import { FakeSmax } from '../fakes/smax/fake-smax';
import { RequestLogEntry } from '../fakes/smax/request-log';
import { INTEGRATION_USER } from '../fakes/smax/seed';
import { createTestDatabase, TestDatabase } from './test-database';

/** Options of a SMAX adapter that talks to `fake` as the integration user, with short waits. */
export function smaxOptionsFor(fake: FakeSmax, overrides: Partial<SmaxBackendOptions> = {}): SmaxBackendOptions {
  return {
    apiUrl: fake.url,
    tenantId: fake.tenantId,
    login: INTEGRATION_USER.login,
    password: INTEGRATION_USER.password,
    authCookieName: 'LWSSO_COOKIE_KEY',
    verifySsl: true,
    timeoutMs: 5_000,
    readRetries: 2,
    maxRetryDelayMs: 1_000,
    organisationField: '',
    projectField: '',
    affectedResourceField: '',
    creationSourceName: '',
    requestsOffering: '',
    timesToPull: 3,
    secondsToWait: 0,
    ...overrides,
  };
}

/** A migrated database and a data source on it, for specs that need tables but not the whole app. */
export interface MigratedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function openMigratedDatabase(): Promise<MigratedDatabase> {
  const database: TestDatabase = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions({ url: database.url, embedded: database.embedded }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Lists the fake's logged REST and login calls as `METHOD path?query` lines. */
export function callLines(fake: FakeSmax): string[] {
  return fake.requestLog().map((entry) => `${entry.method} ${entry.url}`);
}

/** Parses the JSON body of a logged request. */
export function jsonOf(entry: RequestLogEntry): unknown {
  return JSON.parse(entry.body.toString('utf8'));
}

/** Logged calls whose method and path match, in order. */
export function callsTo(fake: FakeSmax, method: string, pathSuffix: string): RequestLogEntry[] {
  return fake.requestLog().filter((entry) => entry.method === method && entry.path.endsWith(pathSuffix));
}
