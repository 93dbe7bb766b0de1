import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { EmbeddedDatabase } from '../../src/database/embedded-database';

/** A database of its own for one test file: in-memory PGlite, or a fresh PostgreSQL database. */
export interface TestDatabase {
  url: string;
  embedded: boolean;
  drop(): Promise<void>;
}

/**
 * With `TEST_DATABASE_URL` set, creates a new database on that server (the URL's own
 * database is used only to run CREATE/DROP DATABASE); otherwise starts in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await EmbeddedDatabase.open();
    return { url: embedded.url, embedded: true, drop: () => embedded.close() };
  }

  return createServerDatabase(serverUrl);
}

/** Creates a new database on the PostgreSQL server of `serverUrl`, whose own database runs only CREATE/DROP DATABASE. */
export async function createServerDatabase(serverUrl: string, prefix = 'deskbridge_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    drop: async () => {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
