/**
 * Throughput of the embedded database socket: Deskbridge's PGliteServer against
 * pglite-socket's PGLiteSocketServer, which it replaced.
 *
 *   npx tsx scripts/bench-embedded.ts [--duration-ms 3000] [--clients 1,8]
 *
 * Each run starts a fresh in-memory PGlite behind one of the servers and lets N `pg`
 * clients loop for the given time over one workload:
 *   select:      SELECT $1::int (extended protocol: Parse/Bind/Describe/Execute/Sync);
 *   transaction: BEGIN; INSERT INTO items (n) VALUES ($1); COMMIT;
 *   mixed:       half the clients run `transaction`, the others `select` (only with 2+ clients).
 * A client stops at its first error, because its replies may now belong to another
 * client. The table counts such clients as failed.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Client } from 'pg';

import { PGliteServer } from '../src/database/pglite-server';

const { values: options } = parseArgs({
  options: {
    'duration-ms': { type: 'string', default: '3000' },
    clients: { type: 'string', default: '1,8' },
  },
});
const durationMs = Number(options['duration-ms']);
const clientCounts = options.clients.split(',').map(Number);

type Workload = 'select' | 'transaction' | 'mixed';

interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

interface Outcome {
  server: string;
  workload: Workload;
  clients: number;
  operations: number;
  failedClients: number;
  firstError?: string;
}

const servers: Record<string, (db: PGlite) => Promise<RunningServer>> = {
  PGliteServer: async (db) => {
    const server = new PGliteServer(db, 24);
    await server.start();
    return { port: server.port, stop: () => server.stop() };
  },
  'pglite-socket 0.2.17': async (db) => {
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 24 });
    await server.start();
    return { port: Number(server.getServerConn().split(':').pop()), stop: () => server.stop() };
  },
};

async function runOnce(serverName: string, workload: Workload, clientCount: number): Promise<Outcome> {
  const db = await PGlite.create('memory://');
  await db.exec('CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL)');
  const server = await servers[serverName](db);
  const url = `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
  const clients = await Promise.all(
    Array.from({ length: clientCount }, async () => {
      // A reply lost to another connection would otherwise leave the client waiting forever.
      const client = new Client({ connectionString: url, query_timeout: 2_000 });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );

  const outcome: Outcome = { server: serverName, workload, clients: clientCount, operations: 0, failedClients: 0 };
  const deadline = Date.now() + durationMs;
  await Promise.all(
    clients.map(async (client, index) => {
      const selects = workload === 'select' || (workload === 'mixed' && index % 2 === 1);
      for (let i = 0; Date.now() < deadline; i++) {
        try {
          if (selects) {
            const result = await client.query<{ value: number }>('SELECT $1::int AS value', [i]);
            if (result.rows[0]?.value !== i) throw new Error(`expected ${i}, got ${JSON.stringify(result.rows)}`);
          } else {
            await client.query('BEGIN');
            await client.query('INSERT INTO items (n) VALUES ($1)', [i]);
            await client.query('COMMIT');
          }
          outcome.operations++;
        } catch (error) {
          outcome.failedClients++;
          outcome.firstError ??= (error as Error).message;
          return;
        }
      }
    }),
  );

  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  await server.stop();
  await db.close();
  return outcome;
}

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} threads), ${durationMs} ms per run`);
  console.log('server                 workload     clients   ops/s   failed clients  first error');
  for (const workload of ['select', 'transaction', 'mixed'] as const) {
    for (const clientCount of clientCounts) {
      if (workload === 'mixed' && clientCount < 2) continue;
      for (const serverName of Object.keys(servers)) {
        const outcome = await runOnce(serverName, workload, clientCount);
        const perSecond = Math.round((outcome.operations * 1000) / durationMs);
        console.log(
          `${outcome.server.padEnd(22)} ${workload.padEnd(12)} ${String(clientCount).padStart(7)} ${String(perSecond).padStart(7)}` +
            ` ${String(outcome.failedClients).padStart(16)}  ${outcome.firstError ?? ''}`,
        );
      }
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
