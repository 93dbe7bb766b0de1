import { createHash } from 'node:crypto';

import { DataSource, QueryRunner } from 'typeorm';

/** Maps a lock name to the signed 64-bit key PostgreSQL advisory locks take. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `work` while holding a session-level advisory lock, waiting for it if another
 * session holds it. The lock lives on its own connection, so `work` may use any other.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = advisoryLockKey(name);
  try {
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  } finally {
    await runner.release();
  }
}

export interface TryAdvisoryLockOptions {
  /**
   * Has PostgreSQL end the lock's session, and so release the lock, once this process
   * has sent nothing on it for this many milliseconds (`idle_session_timeout`). A
   * keep-alive query every third of that keeps the session of a live process. Without
   * it, a process that freezes keeps the lock until it resumes, and one that loses its
   * network keeps it until the server's TCP keep-alive gives up (about two hours with
   * Linux defaults).
   */
  releaseAfterSilenceMs?: number;
}

/**
 * Runs `work` only if the advisory lock is free, returning `{ acquired: false }` otherwise.
 * PGlite has one backend session, so there the lock never excludes: embedded mode is
 * single-instance anyway.
 */
export async function withTryAdvisoryLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
  options: TryAdvisoryLockOptions = {},
): Promise<{ acquired: true; result: T } | { acquired: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = advisoryLockKey(name);
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!locked) return { acquired: false };
    let keepAlive: SessionKeepAlive | undefined;
    try {
      if (options.releaseAfterSilenceMs !== undefined) keepAlive = await SessionKeepAlive.start(runner, options.releaseAfterSilenceMs);
      return { acquired: true, result: await work() };
    } finally {
      await keepAlive?.stop();
      // TypeORM releases a runner whose connection failed; the session, and the lock
      // with it, is then gone already.
      if (!runner.isReleased) {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
        if (keepAlive) await runner.query('RESET idle_session_timeout');
      }
    }
  } finally {
    await runner.release();
  }
}

/** An `idle_session_timeout` on one session, kept from firing by periodic queries while this process runs. */
class SessionKeepAlive {
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly runner: QueryRunner,
    timeoutMs: number,
  ) {
    this.timer = setInterval(() => {
      // A failure means the session is gone, and the lock with it. The error is not
      // reported here because the holder notices the loss through its own bookkeeping.
      this.inFlight = this.runner.query('SELECT 1').catch(() => undefined);
    }, Math.max(10, Math.floor(timeoutMs / 3)));
  }

  /**
   * Sets the timeout and starts the keep-alive queries. Returns undefined without doing
   * either on PGlite, whose one session serves every connection, and on PostgreSQL
   * before 14, which has no `idle_session_timeout`.
   */
  static async start(runner: QueryRunner, timeoutMs: number): Promise<SessionKeepAlive | undefined> {
    const [{ applied }] = await runner.query(
      `SELECT CASE WHEN current_setting('server_version_num')::int >= 140000 AND version() NOT LIKE '%PGlite%'
         THEN set_config('idle_session_timeout', $1, false) END AS applied`,
      [String(Math.max(1, Math.round(timeoutMs)))],
    );
    return applied === null ? undefined : new SessionKeepAlive(runner, timeoutMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
