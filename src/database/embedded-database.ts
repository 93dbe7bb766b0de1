import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import { PGliteServer } from './pglite-server';

/** More than the app pool and the scheduler need together, so a CLI can join. */
const MAX_SOCKET_CONNECTIONS = 24;

interface LockRecord {
  pid: number;
  port: number;
}

export class EmbeddedDatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockRecord,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holder.pid} ` +
        `(socket on 127.0.0.1:${holder.port}). Stop it or connect through that socket.`,
    );
  }
}

/**
 * PGlite (PostgreSQL compiled to WASM) served on 127.0.0.1 by `PGliteServer`, so the
 * app and the CLI talk to it with the ordinary `pg` driver.
 *
 * A folder-backed instance holds `embedded.lock` (pid and port) while it runs,
 * because PGlite does not lock its data folder and two writers would corrupt it.
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGliteServer,
    readonly port: number,
    private readonly lockPath?: string,
  ) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Opens the database kept in `dataDir`, or an in-memory one when `dataDir` is undefined. */
  static async open(dataDir?: string): Promise<EmbeddedDatabase> {
    let lockPath: string | undefined;
    let lockFd: number | undefined;
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      lockPath = join(dataDir, 'embedded.lock');
      lockFd = acquireLock(dataDir, lockPath);
    }

    try {
      const db = await PGlite.create(dataDir ? join(dataDir, 'pgdata') : 'memory://');
      const server = new PGliteServer(db, MAX_SOCKET_CONNECTIONS);
      await server.start();
      const port = server.port;
      if (lockFd !== undefined) {
        writeSync(lockFd, JSON.stringify({ pid: process.pid, port } satisfies LockRecord));
        closeSync(lockFd);
      }
      return new EmbeddedDatabase(db, server, port, lockPath);
    } catch (error) {
      if (lockFd !== undefined) closeSync(lockFd);
      if (lockPath) rmSync(lockPath, { force: true });
      throw error;
    }
  }

  /** Returns the socket URL of a live process holding `dataDir`, if there is one. */
  static runningInstanceUrl(dataDir: string): string | undefined {
    const holder = readLock(join(dataDir, 'embedded.lock'));
    if (!holder || !isAlive(holder.pid) || holder.port <= 0) return undefined;
    return `postgresql://postgres@127.0.0.1:${holder.port}/postgres`;
  }

  async close(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    if (this.lockPath) rmSync(this.lockPath, { force: true });
  }
}

function acquireLock(dataDir: string, lockPath: string): number {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(lockPath);
      if (holder && isAlive(holder.pid) && holder.pid !== process.pid) {
        throw new EmbeddedDatabaseLockedError(dataDir, holder);
      }
      // The holder died without cleaning up, or the file is half-written: take it over.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function readLock(lockPath: string): LockRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockRecord>;
    if (typeof record.pid !== 'number') return undefined;
    return { pid: record.pid, port: typeof record.port === 'number' ? record.port : 0 };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
