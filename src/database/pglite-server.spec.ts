import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { PGlite } from '@electric-sql/pglite';
import { Client, Pool, Query, QueryConfig, QueryResult } from 'pg';

import { PGliteServer } from './pglite-server';

/** Long enough for a query that could run to come back from the socket. */
const SETTLE_MS = 150;

interface Running {
  db: PGlite;
  server: PGliteServer;
  url: string;
  stop(): Promise<void>;
}

async function startServer(maxConnections = 24): Promise<Running> {
  const db = await PGlite.create('memory://');
  const server = new PGliteServer(db, maxConnections);
  await server.start();
  await db.exec('CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL)');
  return {
    db,
    server,
    url: `postgresql://postgres@127.0.0.1:${server.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

async function connectClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Wraps a promise so a test can see whether it settled yet. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { promise, settled: () => settled };
}

async function countItems(client: Client): Promise<number> {
  const result = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM items');
  return result.rows[0].count;
}

describe('PGliteServer', () => {
  let running: Running;
  const clients: Client[] = [];

  beforeAll(async () => {
    running = await startServer();
  });

  beforeEach(async () => {
    const admin = await client();
    await admin.query('TRUNCATE items');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((each) => each.end().catch(() => undefined)));
  });

  afterAll(async () => {
    await running.stop();
  });

  async function client(): Promise<Client> {
    const connected = await connectClient(running.url);
    clients.push(connected);
    return connected;
  }

  it('keeps concurrent transactions and parameterized queries apart', async () => {
    // A client whose reply went to another connection would wait forever without a timeout.
    const pool = new Pool({ connectionString: running.url, max: 8, query_timeout: 5_000 });
    const errors: string[] = [];
    pool.on('error', (error) => errors.push(`idle client: ${error.message}`));
    const iterations = 200;

    const writer = async (worker: number): Promise<void> => {
      for (let i = 0; i < iterations; i++) {
        const connection = await pool.connect();
        try {
          await connection.query('BEGIN');
          await connection.query('INSERT INTO items (n) VALUES ($1)', [worker * iterations + i]);
          await connection.query('COMMIT');
        } catch (error) {
          errors.push(`writer: ${(error as Error).message}`);
          await connection.query('ROLLBACK').catch(() => undefined);
          return;
        } finally {
          connection.release();
        }
      }
    };
    const reader = async (): Promise<void> => {
      for (let i = 0; i < iterations; i++) {
        try {
          const result = await pool.query<{ value: number }>('SELECT $1::int AS value', [i]);
          if (result.rows[0]?.value !== i) {
            errors.push(`reader: expected ${i}, got ${JSON.stringify(result.rows)}`);
            return;
          }
        } catch (error) {
          errors.push(`reader: ${(error as Error).message}`);
          return;
        }
      }
    };

    try {
      await Promise.all([0, 1, 2, 3].flatMap((worker) => [writer(worker), reader()]));
      expect([...new Set(errors)]).toEqual([]);
      const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM items');
      expect(rows[0].count).toBe(4 * iterations);
    } finally {
      await pool.end();
    }
  }, 30_000);

  it('makes a client wait while another has a transaction open', async () => {
    const writer = await client();
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);

    const count = track(countItems(reader));
    await sleep(SETTLE_MS);
    expect(count.settled()).toBe(false);

    await writer.query('ROLLBACK');
    expect(await count.promise).toBe(0);
  });

  it('lets a waiting client see rows committed meanwhile', async () => {
    const writer = await client();
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);
    const count = track(countItems(reader));
    await sleep(SETTLE_MS);

    await writer.query('COMMIT');
    expect(await count.promise).toBe(1);
  });

  it('holds the session through a failed transaction', async () => {
    const writer = await client();
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);
    await expect(writer.query('SELECT * FROM missing_table')).rejects.toThrow(/missing_table/);

    const count = track(countItems(reader));
    await sleep(SETTLE_MS);
    expect(count.settled()).toBe(false);

    await writer.query('ROLLBACK');
    expect(await count.promise).toBe(0);
  });

  it('rolls back a client dropped mid-transaction', async () => {
    const writer = await connectClient(running.url);
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);
    const count = track(countItems(reader));
    await sleep(SETTLE_MS);
    expect(count.settled()).toBe(false);

    writer.connection.stream.destroy();
    expect(await count.promise).toBe(0);
    expect(running.db.isInTransaction()).toBe(false);
  });

  it('rolls back a client that terminates mid-transaction', async () => {
    const writer = await connectClient(running.url);
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);

    await writer.end();
    expect(await countItems(reader)).toBe(0);
  });

  it('rolls back a dropped paged query', async () => {
    const writer = await connectClient(running.url);
    const reader = await client();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);
    // One row at a time makes pg send Flush instead of Sync after Execute.
    const paged = new Query({ text: 'SELECT 1 / (n - 1) FROM items', rows: 1 } as QueryConfig);
    const failed = new Promise((resolve) => paged.once('error', resolve));
    writer.query(paged);
    await failed;

    writer.connection.stream.destroy();
    expect(await countItems(reader)).toBe(0);
    expect(running.db.isInTransaction()).toBe(false);
  });

  it('keeps a paged query apart from other clients', async () => {
    const pager = await client();
    const other = await client();
    const paged = new Query({ text: 'SELECT n FROM generate_series(1, 50) AS n', rows: 1 } as QueryConfig);
    const pagedRows = new Promise<QueryResult>((resolve, reject) => {
      paged.once('end', resolve);
      paged.once('error', reject);
    });
    pager.query(paged);
    const otherValues = (async () => {
      const values: number[] = [];
      for (let i = 0; i < 20; i++) {
        const result = await other.query<{ value: number }>('SELECT $1::int AS value', [i]);
        values.push(result.rows[0].value);
      }
      return values;
    })();

    const result = await pagedRows;
    expect(result.rows.map((row) => row.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await otherValues).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('answers an SSL request with N', async () => {
    const secure = new Client({ connectionString: running.url, ssl: true });
    await expect(secure.connect()).rejects.toThrow(/does not support SSL/);
  });

  it('closes a cancel request without acting on it', async () => {
    const socket = connect(running.server.port, '127.0.0.1');
    const closed = new Promise<Buffer>((resolve) => {
      const received: Buffer[] = [];
      socket.on('data', (chunk) => received.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(received)));
    });
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(80877102, 4);
    socket.write(cancel);

    expect((await closed).length).toBe(0);
  });

});

describe('PGliteServer limits and shutdown', () => {
  let running: Running | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('rejects a client beyond the connection limit', async () => {
    running = await startServer(2);
    const first = await connectClient(running.url);
    const second = await connectClient(running.url);

    await expect(connectClient(running.url)).rejects.toThrow(/too many connections/);
    await Promise.all([first.end(), second.end()]);
  });

  it('rolls back open transactions on stop', async () => {
    running = await startServer();
    const writer = await connectClient(running.url);
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items (n) VALUES ($1)', [1]);

    await running.server.stop();

    expect(running.server.connectionCount).toBe(0);
    expect(running.db.isInTransaction()).toBe(false);
    const { rows } = await running.db.query<{ count: number }>('SELECT count(*)::int AS count FROM items');
    expect(rows[0].count).toBe(0);
  });
});
