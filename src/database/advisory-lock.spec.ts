import { Client } from 'pg';

import { createTestDataSource, TestDataSource } from '../../test/support/test-data-source';
import { advisoryLockKey, withTryAdvisoryLock } from './advisory-lock';

const LOCK = 'deskbridge:test:advisory-lock';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Blocks the event loop, as a frozen process would: no timer and no keep-alive query runs meanwhile. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy wait.
  }
}

describe('withTryAdvisoryLock', () => {
  let database: TestDataSource;

  beforeAll(async () => {
    database = await createTestDataSource();
  });

  afterAll(async () => {
    await database.close();
  });

  it('runs work under a free lock', async () => {
    const outcome = await withTryAdvisoryLock(database.dataSource, LOCK, async () => 'done', { releaseAfterSilenceMs: 1_000 });
    expect(outcome).toEqual({ acquired: true, result: 'done' });
  });

  it('leaves no session timeout on the pooled connection', async () => {
    await withTryAdvisoryLock(database.dataSource, LOCK, async () => undefined, { releaseAfterSilenceMs: 1_000 });

    const settings: Array<{ timeout: string }> = await Promise.all(
      Array.from({ length: 4 }, () => database.dataSource.query(`SELECT current_setting('idle_session_timeout') AS timeout`).then(([row]) => row)),
    );
    expect(settings.map((row) => row.timeout)).toEqual(['0', '0', '0', '0']);
  });

  // PGlite serves every connection from one session, where advisory locks never exclude.
  const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

  onPostgres('against another session (PostgreSQL only)', () => {
    let other: Client;

    beforeEach(async () => {
      other = new Client({ connectionString: database.database.url });
      await other.connect();
    });

    afterEach(async () => {
      await other.end();
    });

    async function otherTakesLock(): Promise<boolean> {
      const [{ locked }] = (await other.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [advisoryLockKey(LOCK)])).rows;
      if (locked) await other.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockKey(LOCK)]);
      return locked;
    }

    it('skips work while another session holds the lock', async () => {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockKey(LOCK)]);
      let ran = false;

      const outcome = await withTryAdvisoryLock(database.dataSource, LOCK, async () => {
        ran = true;
      });

      expect(outcome).toEqual({ acquired: false });
      expect(ran).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockKey(LOCK)]);
    });

    it('keeps the lock of a holder that stays responsive', async () => {
      let takenMeanwhile: boolean | undefined;

      await withTryAdvisoryLock(
        database.dataSource,
        LOCK,
        async () => {
          await sleep(1_000);
          takenMeanwhile = await otherTakesLock();
        },
        { releaseAfterSilenceMs: 300 },
      );

      expect(takenMeanwhile).toBe(false);
      expect(await otherTakesLock()).toBe(true);
    });

    it('releases the lock of a silent holder', async () => {
      let takenMeanwhile: boolean | undefined;

      const outcome = await withTryAdvisoryLock(
        database.dataSource,
        LOCK,
        async () => {
          blockEventLoop(1_200);
          // Lets the client read the server's notice that it ended the session.
          await sleep(200);
          takenMeanwhile = await otherTakesLock();
          return 'finished without the lock';
        },
        { releaseAfterSilenceMs: 300 },
      );

      expect(takenMeanwhile).toBe(true);
      expect(outcome).toEqual({ acquired: true, result: 'finished without the lock' });
      expect(await database.dataSource.query('SELECT 1 AS alive')).toEqual([{ alive: 1 }]);
    });
  });
});
