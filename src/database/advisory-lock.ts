import { createHash } from 'node:crypto';

import { DataSource } from 'typeorm';

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

/**
 * Runs `work` only if the advisory lock is free, returning `{ acquired: false }` otherwise.
 * PGlite has one backend session, so there the lock never excludes: embedded mode is
 * single-instance anyway.
 */
export async function withTryAdvisoryLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
): Promise<{ acquired: true; result: T } | { acquired: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = advisoryLockKey(name);
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!locked) return { acquired: false };
    try {
      return { acquired: true, result: await work() };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  } finally {
    await runner.release();
  }
}
