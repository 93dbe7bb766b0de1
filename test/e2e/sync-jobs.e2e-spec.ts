import { sleep } from '../../src/support/sync/common/abort';
import { JobRun } from '../../src/support/sync/jobs/job-run.entity';
import { ScheduledJobRunner } from '../../src/support/sync/jobs/scheduled-job-runner.service';
import { SyncScheduler } from '../../src/support/sync/jobs/sync-scheduler.service';
import { createStaff } from '../support/factories';
import { createSyncTestApp, syncTestConfig, SyncTestApp } from '../support/sync-test-app';

describe('sync scheduled jobs', () => {
  let testApp: SyncTestApp;
  let runner: ScheduledJobRunner;
  let testNumber = 0;
  let job: string;

  beforeAll(async () => {
    testApp = await createSyncTestApp();
    runner = testApp.app.get(ScheduledJobRunner);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    testNumber += 1;
    job = `test.job-${testNumber}`;
    testApp.syncConfig.jobs.leaseMs = 2_000;
    testApp.syncConfig.jobs.intervalOverridesMs = {};
  });

  async function runs(): Promise<JobRun[]> {
    return testApp.dataSource.getRepository(JobRun).find({ where: { jobName: job }, order: { id: 'ASC' } });
  }

  async function insertRun(tick: string, replicaId: string, leaseOffsetSeconds: number): Promise<void> {
    await testApp.dataSource.query(
      `INSERT INTO sync_job_runs (job_name, tick, replica_id, started_at, lease_until)
       VALUES ($1, $2, $3, now() - interval '1 hour', now() + $4 * interval '1 second')`,
      [job, tick, replicaId, leaseOffsetSeconds],
    );
  }

  it('runs a tick once', async () => {
    let calls = 0;
    const work = async () => ({ pulled: ++calls });

    const first = await runner.run(job, 'tick-1', work);
    const second = await runner.run(job, 'tick-1', work);

    expect(first).toEqual({ status: 'succeeded', counts: { pulled: 1 } });
    expect(second).toEqual({ status: 'skipped', reason: 'already_ran' });
    expect(calls).toBe(1);
    const [run] = await runs();
    expect(run.status).toBe('succeeded');
    expect(run.counts).toEqual({ pulled: 1 });
    expect(run.replicaId).toBe('test-replica');
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it('runs each tick', async () => {
    let calls = 0;
    await runner.run(job, 'tick-1', async () => void calls++);
    await runner.run(job, 'tick-2', async () => void calls++);
    expect(calls).toBe(2);
  });

  it('records a failed run', async () => {
    const outcome = await runner.run(job, 'tick-1', async () => {
      throw new Error('Backend is down');
    });

    expect(outcome).toEqual({ status: 'failed', error: 'Backend is down' });
    const [run] = await runs();
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Backend is down');
    expect(await runner.run(job, 'tick-1', async () => undefined)).toEqual({ status: 'skipped', reason: 'already_ran' });
  });

  it('reports a run it cannot record as failed', async () => {
    let calls = 0;
    await testApp.dataSource.query('ALTER TABLE sync_job_runs RENAME TO sync_job_runs_unavailable');
    let outcome;
    try {
      outcome = await runner.run(job, 'tick-1', async () => void calls++);
    } finally {
      await testApp.dataSource.query('ALTER TABLE sync_job_runs_unavailable RENAME TO sync_job_runs');
    }

    expect(outcome).toEqual({ status: 'failed', error: 'relation "sync_job_runs" does not exist' });
    expect(calls).toBe(0);
    expect(await runner.run(job, 'tick-1', async () => void calls++)).toEqual({ status: 'succeeded', counts: {} });
    expect(calls).toBe(1);
  });

  it('keeps the record another replica wrote over a silent run', async () => {
    const outcome = await runner.run(job, 'tick-1', async () => {
      // What the next replica writes when this run's lease expired while it was frozen.
      await testApp.dataSource.query(
        `UPDATE sync_job_runs SET status = 'abandoned', finished_at = now(), error = 'closed by replica-b' WHERE job_name = $1`,
        [job],
      );
      return { pulled: 1 };
    });

    expect(outcome).toEqual({ status: 'succeeded', counts: { pulled: 1 } });
    const [run] = await runs();
    expect(run.status).toBe('abandoned');
    expect(run.error).toBe('closed by replica-b');
  });

  it('closes a run left by a dead replica', async () => {
    await insertRun('tick-1', 'dead-replica', -10);

    const outcome = await runner.run(job, 'tick-2', async () => ({ pulled: 3 }));

    expect(outcome.status).toBe('succeeded');
    const [abandoned, next] = await runs();
    expect(abandoned.status).toBe('abandoned');
    expect(abandoned.finishedAt).toBeInstanceOf(Date);
    expect(abandoned.error).toBe('Replica dead-replica stopped before finishing; closed by the run of tick tick-2');
    expect(next.status).toBe('succeeded');
  });

  it('takes over its own tick from a dead replica', async () => {
    await insertRun('tick-1', 'dead-replica', -10);
    let calls = 0;

    const outcome = await runner.run(job, 'tick-1', async () => ({ calls: ++calls }));

    expect(outcome.status).toBe('succeeded');
    expect(calls).toBe(1);
    const [run] = await runs();
    expect(run.replicaId).toBe('test-replica');
    expect(run.status).toBe('succeeded');
  });

  it('leaves a live run of another replica alone', async () => {
    await insertRun('tick-1', 'live-replica', 60);
    await insertRun('tick-0', 'live-replica', 60);

    const outcome = await runner.run(job, 'tick-1', async () => undefined);

    expect(outcome).toEqual({ status: 'skipped', reason: 'already_ran' });
    await runner.run(job, 'tick-2', async () => undefined);
    const earlier = (await runs()).find((run) => run.tick === 'tick-0');
    expect(earlier?.status).toBe('started');
  });

  it('extends the lease while running', async () => {
    testApp.syncConfig.jobs.leaseMs = 300;
    let leaseDuringRun: Date | undefined;

    await runner.run(job, 'tick-1', async () => {
      await sleep(500);
      const [run] = await runs();
      leaseDuringRun = run.leaseUntil;
    });

    expect(leaseDuringRun!.getTime()).toBeGreaterThan(Date.now() - 150);
  });

  it('shows the latest run of each job in the status', async () => {
    const staff = await createStaff(testApp.dataSource);
    await runner.run(job, 'tick-1', async () => ({ pulled: 1 }));
    await runner.run(job, 'tick-2', async () => ({ pulled: 2 }));

    const response = await testApp.http().get('/api/support-sync-status/').set('Authorization', staff.auth).expect(200);
    const latest = response.body.jobs.filter((run: { job_name: string }) => run.job_name === job);
    expect(latest).toEqual([expect.objectContaining({ tick: 'tick-2', status: 'succeeded', counts: { pulled: 2 } })]);
  });

  describe('scheduler', () => {
    it('registers the support jobs', () => {
      expect(testApp.app.get(SyncScheduler).jobNames()).toEqual(
        expect.arrayContaining([
          'support.pull-issues',
          'support.pull-support-users',
          'support.pull-priorities',
          'support.pull-request-types',
          'support.reconcile-issues',
          'sync.cleanup',
        ]),
      );
    });

    it('runs a job once per slot', async () => {
      const scheduler = testApp.app.get(SyncScheduler);
      const ticks: string[] = [];
      scheduler.register({ name: job, schedule: { everyMs: () => 200 }, run: async () => void ticks.push('ran') });
      scheduler.start();
      await sleep(1100);
      await scheduler.beforeApplicationShutdown();

      // About five slots pass; a loaded machine may skip one whose timer fired late.
      const recorded = await runs();
      expect(recorded.length).toBeGreaterThanOrEqual(3);
      expect(ticks).toHaveLength(recorded.length);
      for (const run of recorded) {
        expect(run.status).toBe('succeeded');
        expect(new Date(run.tick).getTime() % 200).toBe(0);
      }
    });

    it('runs a job at its SYNC_JOB_INTERVALS interval', async () => {
      const scheduler = testApp.app.get(SyncScheduler);
      let calls = 0;
      scheduler.register({ name: job, schedule: { dailyAt: { hour: 1, minute: 0 } }, run: async () => void calls++ });
      testApp.syncConfig.jobs.intervalOverridesMs = { [job]: 200 };
      scheduler.start();
      await sleep(1100);
      await scheduler.beforeApplicationShutdown();

      // About five slots pass, where the daily schedule would give none.
      const recorded = await runs();
      expect(recorded.length).toBeGreaterThanOrEqual(3);
      expect(calls).toBe(recorded.length);
      for (const run of recorded) expect(new Date(run.tick).getTime() % 200).toBe(0);
    });

    it('refuses to start with an unknown job in SYNC_JOB_INTERVALS', async () => {
      const scheduler = testApp.app.get(SyncScheduler);
      testApp.syncConfig.jobs.intervalOverridesMs = { 'support.pull-isues': 60_000 };

      expect(() => scheduler.start()).toThrow('SYNC_JOB_INTERVALS names unknown jobs: support.pull-isues. Scheduled jobs are: support.pull-issues');
      await scheduler.beforeApplicationShutdown();
    });

    it('runs a job on demand through the tick guard', async () => {
      const scheduler = testApp.app.get(SyncScheduler);
      let calls = 0;
      scheduler.register({ name: job, schedule: { dailyAt: { hour: 1, minute: 0 } }, run: async () => void calls++ });

      expect((await scheduler.runNow(job, 'manual-1')).status).toBe('succeeded');
      expect((await scheduler.runNow(job, 'manual-1')).status).toBe('skipped');
      expect(calls).toBe(1);
    });

    it('runs the cleanup job', async () => {
      await testApp.dataSource.query(
        `INSERT INTO sync_job_runs (job_name, tick, replica_id, status, started_at, lease_until)
         VALUES ($1, 'ancient', 'old-replica', 'succeeded', now() - interval '400 days', now() - interval '400 days')`,
        [job],
      );
      const outcome = await testApp.app.get(SyncScheduler).runNow('sync.cleanup');
      expect(outcome).toEqual({ status: 'succeeded', counts: expect.objectContaining({ jobRuns: 1 }) });
      expect(await runs()).toEqual([]);
    });
  });
});

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
// Two app instances need a database server both connect to; PGlite is embedded in one
// process, and embedded mode runs one instance by design.
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('sync scheduled jobs on two replicas (PostgreSQL only)', () => {
  let first: SyncTestApp;
  let second: SyncTestApp;
  let testNumber = 0;
  let job: string;

  beforeAll(async () => {
    first = await createSyncTestApp(syncTestConfig({ replicaId: 'replica-a' }));
    second = await createSyncTestApp(syncTestConfig({ replicaId: 'replica-b' }), first.database);
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  beforeEach(() => {
    testNumber += 1;
    job = `replicated.job-${testNumber}`;
  });

  it('runs a tick once when both fire together', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      await sleep(200);
      return { calls };
    };

    const outcomes = await Promise.all([
      first.app.get(ScheduledJobRunner).run(job, 'tick-1', work),
      second.app.get(ScheduledJobRunner).run(job, 'tick-1', work),
    ]);

    expect(calls).toBe(1);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['skipped', 'succeeded']);
  });

  it('runs a tick once when one replica fires late', async () => {
    let calls = 0;
    const work = async () => void calls++;

    await first.app.get(ScheduledJobRunner).run(job, 'tick-1', work);
    const late = await second.app.get(ScheduledJobRunner).run(job, 'tick-1', work);

    expect(late).toEqual({ status: 'skipped', reason: 'already_ran' });
    expect(calls).toBe(1);
  });

  it('holds the advisory lock across replicas', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const running = first.app.get(ScheduledJobRunner).run(job, 'tick-1', () => blocked);
    await sleep(100);

    const other = await second.app.get(ScheduledJobRunner).run(job, 'tick-2', async () => undefined);
    release();

    expect(other).toEqual({ status: 'skipped', reason: 'locked' });
    expect((await running).status).toBe('succeeded');
  });

  it('finishes a run the other replica left behind', async () => {
    await first.dataSource.query(
      `INSERT INTO sync_job_runs (job_name, tick, replica_id, lease_until) VALUES ($1, 'tick-1', 'replica-a', now() - interval '1 second')`,
      [job],
    );

    const outcome = await second.app.get(ScheduledJobRunner).run(job, 'tick-2', async () => undefined);

    expect(outcome.status).toBe('succeeded');
    const [left] = await first.dataSource.query(`SELECT status, error FROM sync_job_runs WHERE job_name = $1 AND tick = 'tick-1'`, [job]);
    expect(left.status).toBe('abandoned');
  });

  it('runs each scheduled slot once across both', async () => {
    const ranOn: string[] = [];
    for (const [replica, testApp] of [['a', first], ['b', second]] as const) {
      const scheduler = testApp.app.get(SyncScheduler);
      scheduler.register({
        name: job,
        schedule: { everyMs: () => 250 },
        run: async () => {
          ranOn.push(replica);
          await sleep(30);
        },
      });
      scheduler.start();
    }
    await sleep(1600);
    await first.app.get(SyncScheduler).beforeApplicationShutdown();
    await second.app.get(SyncScheduler).beforeApplicationShutdown();

    const rows = await first.dataSource.query(`SELECT tick, status FROM sync_job_runs WHERE job_name = $1`, [job]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(ranOn).toHaveLength(rows.length);
    expect(rows.every((row: { status: string }) => row.status === 'succeeded')).toBe(true);
  });
});
