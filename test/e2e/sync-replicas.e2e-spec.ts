import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { formatUuid } from '../../src/common/http/uuid';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, startFakeJira, type FakeJira, type LoggedRequest } from '../fakes/jira';
import { AppProcess, buildApp, startAppProcess } from '../support/app-process';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const REPLICA_IDS = ['replica-1', 'replica-2', 'replica-3'];
const JOB_INTERVAL_SECONDS = 2;
const JOB_INTERVAL_MS = JOB_INTERVAL_SECONDS * 1000;
/** Short, so the run of a killed replica is marked abandoned within the test; heartbeats come every third of it. */
const JOB_LEASE_SECONDS = 6;
const JOB_NAMES = [
  'support.pull-issues',
  'support.pull-support-users',
  'support.pull-priorities',
  'support.pull-request-types',
  'support.reconcile-issues',
  'sync.cleanup',
];
const ISSUE_COUNT = 3;

/**
 * Per job, the one fake Jira request that each run of that job makes and nothing else
 * makes while no user acts. `sync.cleanup` calls no backend.
 */
const REQUEST_OF_JOB: Record<string, (request: LoggedRequest) => boolean> = {
  'support.pull-issues': (request) => isSearch(request) && jqlOf(request).includes('ORDER BY'),
  'support.reconcile-issues': (request) => isSearch(request) && !jqlOf(request).includes('ORDER BY'),
  'support.pull-support-users': (request) => request.method === 'GET' && request.path.startsWith('/rest/api/2/user/assignable/'),
  'support.pull-priorities': (request) => request.method === 'GET' && request.path === '/rest/api/2/priority',
  'support.pull-request-types': (request) => request.method === 'GET' && /^\/rest\/servicedeskapi\/servicedesk\/[^/]+\/requesttype$/.test(request.path),
};

interface JobRunRow {
  job_name: string;
  tick: string;
  replica_id: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  counts: Record<string, number>;
  error: string | null;
}

function isSearch(request: LoggedRequest): boolean {
  return request.method === 'GET' && request.path === '/rest/api/2/search/jql';
}

function jqlOf(request: LoggedRequest): string {
  return String(request.query.jql ?? '');
}

/** Polls `condition` every 200 ms until it holds; fails naming `what` after `timeoutMs`. */
async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Returns the jobs that one process logged as started (`Job <name> tick <tick> started on replica <id>`). */
function jobStarts(app: AppProcess): Array<{ job: string; tick: string; replica: string }> {
  const starts = [];
  for (const entry of app.logEntries()) {
    const match = /^Job (\S+) tick (\S+) started on replica (\S+)$/.exec(String(entry.msg ?? ''));
    if (match) starts.push({ job: match[1], tick: match[2], replica: match[3] });
  }
  return starts;
}

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
// Three processes need a database server they all connect to. Embedded PGlite lives inside
// one process and its advisory locks do not exclude, so embedded mode runs one instance.
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('sync on three app processes (PostgreSQL only; embedded PGlite serves one process)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let dataDir: string;
  let fake: FakeJira;
  let replicas: Map<string, AppProcess>;
  let staff: UserWithToken;
  let caller: UserWithToken;
  const issueKeys: string[] = [];

  async function api(replica: AppProcess, user: UserWithToken, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${replica.url}${path}`, {
      method,
      headers: { Authorization: user.auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function jobRuns(since: Date): Promise<JobRunRow[]> {
    return dataSource.query(
      `SELECT job_name, tick, replica_id, status, started_at, finished_at, counts, error
       FROM sync_job_runs WHERE started_at >= $1 ORDER BY started_at, id`,
      [since],
    );
  }

  /** Remote comment ids of our Jira issues' comments, one entry per local row. */
  async function localCommentIds(): Promise<string[]> {
    const rows: Array<{ backend_id: string }> = await dataSource.query(
      `SELECT c.backend_id FROM comments c JOIN issues i ON i.id = c.issue_id
       WHERE i.backend_name = 'atlassian' AND c.backend_id IS NOT NULL ORDER BY c.backend_id`,
    );
    return rows.map((row) => row.backend_id);
  }

  function remoteCommentIds(): string[] {
    return issueKeys.flatMap((key) => fake.commentRecords(key).map((comment) => comment.id)).sort();
  }

  beforeAll(async () => {
    buildApp();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-replicas-'));
    fake = await startFakeJira({ flavour: 'cloud' });

    const intervals = JOB_NAMES.map((name) => `${name}=${JOB_INTERVAL_SECONDS}`).join(',');
    const started = await Promise.all(
      REPLICA_IDS.map((replicaId) =>
        startAppProcess({
          env: {
            DATABASE_URL: database.url,
            DATA_DIR: dataDir,
            LOG_LEVEL: 'info',
            SYNC_REPLICA_ID: replicaId,
            SYNC_JOB_INTERVALS: intervals,
            SYNC_JOB_LEASE_SECONDS: String(JOB_LEASE_SECONDS),
            SYNC_OUTBOX_POLL_SECONDS: '0.2',
            SHUTDOWN_GRACE_SECONDS: '5',
            SYNC_SHUTDOWN_GRACE_SECONDS: '2',
          },
        }),
      ),
    );
    replicas = new Map(REPLICA_IDS.map((replicaId, index) => [replicaId, started[index]]));
    const [first, second, third] = started;

    // The replicas applied the migrations at start, one at a time under an advisory lock.
    dataSource = new DataSource({ ...buildDataSourceOptions({ url: database.url, embedded: false }), logging: false });
    await dataSource.initialize();
    staff = await createStaff(dataSource, { fullName: 'Sam Staff', email: 'staff@example.org' });
    caller = await createUser(dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe', email: 'jane.doe@example.org' });
    const customer = await createCustomer(dataSource, { name: 'Acme Research' });
    const project = await createProject(dataSource, customer, { name: 'Climate Models' });
    await grantRole(dataSource, caller.user, 'CUSTOMER.OWNER', customer);

    const configured = await api(first, staff, 'POST', '/api/override-settings/', {
      WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'atlassian',
      ATLASSIAN_API_URL: fake.url,
      ATLASSIAN_EMAIL: INTEGRATION_EMAIL,
      ATLASSIAN_TOKEN: INTEGRATION_TOKEN,
      ATLASSIAN_PROJECT_ID: 'SUP',
      ATLASSIAN_SEARCH_API: 'jql',
    });
    expect(configured.status).toBe(200);
    // Each replica polls the settings table, so the others see the write within a poll interval.
    for (const replica of started) {
      await waitFor('the Jira settings on every replica', async () => {
        const settings = await api(replica, staff, 'GET', '/api/override-settings/');
        return ((await settings.json()) as Record<string, unknown>).WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE === 'atlassian';
      });
    }

    // Issues are filed through different replicas; their outbox rows push them to Jira.
    for (const [index, replica] of [first, second, third].slice(0, ISSUE_COUNT).entries()) {
      const filed = await api(replica, caller, 'POST', '/api/support-issues/', {
        summary: `Replica test issue ${index + 1}`,
        description: 'Filed while three replicas run.',
        type: 'Service Request',
        customer: `http://127.0.0.1/api/customers/${formatUuid(customer.uuid)}/`,
        project: `http://127.0.0.1/api/projects/${formatUuid(project.uuid)}/`,
      });
      expect(filed.status).toBe(201);
    }
    await waitFor('every issue to reach Jira', async () => {
      const rows: Array<{ key: string }> = await dataSource.query(
        `SELECT key FROM issues WHERE backend_name = 'atlassian' AND backend_id IS NOT NULL ORDER BY id`,
      );
      issueKeys.splice(0, issueKeys.length, ...rows.map((row) => row.key));
      return rows.length === ISSUE_COUNT;
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...(replicas?.values() ?? [])].map((replica) => replica.stop()));
    await fake?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each job once per tick across the three', async () => {
    const windowStart = new Date();
    await waitFor(
      'three finished runs of every job',
      async () => {
        const runs = await jobRuns(windowStart);
        return JOB_NAMES.every((name) => runs.filter((run) => run.job_name === name && run.status !== 'started').length >= 3);
      },
      45_000,
    );

    const runs = (await jobRuns(windowStart)).filter((run) => run.status !== 'started');
    const requests = fake.requests();
    const starts = [...replicas.values()].flatMap(jobStarts);
    for (const name of JOB_NAMES) {
      const runsOfJob = runs.filter((run) => run.job_name === name);
      expect({ name, statuses: runsOfJob.map((run) => run.status) }).toEqual({ name, statuses: runsOfJob.map(() => 'succeeded') });
      for (const run of runsOfJob) {
        expect(new Date(run.tick).getTime() % JOB_INTERVAL_MS).toBe(0);
        // One process logged the start of this tick: no other replica ran it too.
        const started = starts.filter((start) => start.job === name && start.tick === run.tick);
        expect(started).toEqual([{ job: name, tick: run.tick, replica: run.replica_id }]);
      }

      const matches = REQUEST_OF_JOB[name];
      if (!matches) continue;
      // Each run made its request once, and between the first run's start and the last
      // run's end no request of this job came from outside a recorded run.
      const from = runsOfJob[0].started_at.getTime() - 1;
      const to = runsOfJob[runsOfJob.length - 1].finished_at!.getTime() + 1;
      const ofJob = requests.filter((request) => matches(request) && request.receivedAt >= from && request.receivedAt <= to);
      const perRun = runsOfJob.map(
        (run) => ofJob.filter((request) => request.receivedAt >= run.started_at.getTime() - 1 && request.receivedAt <= run.finished_at!.getTime() + 1).length,
      );
      expect({ name, perRun }).toEqual({ name, perRun: runsOfJob.map(() => 1) });
      expect({ name, requests: ofJob.length }).toEqual({ name, requests: runsOfJob.length });
    }

    const byTick = new Map<string, number>();
    for (const start of starts) byTick.set(`${start.job} ${start.tick}`, (byTick.get(`${start.job} ${start.tick}`) ?? 0) + 1);
    expect([...byTick].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('finishes a pull whose replica was killed mid-run', async () => {
    const phaseStart = Date.now();
    const [first, slow, last] = issueKeys;
    const slowIssueId = fake.issueRecord(slow)!.id;
    // The first pull to read the slow issue's comments hangs there, holding the job's lock.
    fake.addFault({ method: 'GET', path: new RegExp(`^/rest/api/2/issue/(${slowIssueId}|${slow})/comment$`), latencyMs: 10_000, times: 1 });
    for (const key of issueKeys) fake.comment({ issue: key, body: `Agent reply on ${key} before the pull` });

    let hanging: LoggedRequest | undefined;
    await waitFor('a pull to reach the slow issue', () => {
      hanging = fake
        .requests()
        .find((request) => request.receivedAt >= phaseStart && request.path.endsWith('/comment') && request.path.includes(`/issue/${slowIssueId}/`));
      return hanging !== undefined;
    });
    const [holder] = (await dataSource.query(
      `SELECT tick, replica_id FROM sync_job_runs WHERE job_name = 'support.pull-issues' AND status = 'started'`,
    )) as JobRunRow[];
    expect(holder).toBeDefined();
    expect(hanging!.status).toBeUndefined();

    // Agents keep working while the pull hangs: one more comment on every issue, the slow one included.
    for (const key of [first, slow, last]) fake.comment({ issue: key, body: `Agent reply on ${key} during the pull` });
    const victim = replicas.get(holder.replica_id)!;
    const exit = await victim.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const killedAt = new Date();
    const victimStarts = jobStarts(victim).filter((start) => start.job === 'support.pull-issues' && start.tick === holder.tick);
    expect(victimStarts).toHaveLength(1);
    expect(victim.logEntries().some((entry) => String(entry.msg).startsWith(`Job support.pull-issues tick ${holder.tick} finished`))).toBe(false);

    const expected = remoteCommentIds();
    expect(expected).toHaveLength(ISSUE_COUNT * 2);
    await waitFor('every Jira comment in our database', async () => (await localCommentIds()).length >= expected.length);
    expect(await localCommentIds()).toEqual(expected);

    await waitFor(
      'the killed run to be marked abandoned',
      async () => {
        const [row] = await dataSource.query(`SELECT status FROM sync_job_runs WHERE job_name = 'support.pull-issues' AND tick = $1`, [
          holder.tick,
        ]);
        return row.status === 'abandoned';
      },
      JOB_LEASE_SECONDS * 1000 + 20_000,
    );
    const after = (await jobRuns(killedAt)).filter((run) => run.job_name === 'support.pull-issues' && run.status === 'succeeded');
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((run) => run.replica_id !== holder.replica_id)).toBe(true);
    expect(after.some((run) => (run.counts.applied ?? 0) >= 1)).toBe(true);

    // Later pulls re-read the same issues and still add nothing.
    expect(await localCommentIds()).toEqual(expected);
    const bodies: Array<{ description: string }> = await dataSource.query(
      `SELECT c.description FROM comments c JOIN issues i ON i.id = c.issue_id WHERE i.backend_name = 'atlassian' ORDER BY c.description`,
    );
    expect(bodies.map((row) => row.description)).toEqual(
      issueKeys.flatMap((key) => [`Agent reply on ${key} before the pull`, `Agent reply on ${key} during the pull`]).sort(),
    );
  });

  it('runs a pull again while its replica is frozen mid-run', async () => {
    const phaseStart = Date.now();
    const slowIssueId = fake.issueRecord(issueKeys[1])!.id;
    // The latency only keeps the pull busy long enough to freeze its process there.
    fake.addFault({ method: 'GET', path: new RegExp(`^/rest/api/2/issue/${slowIssueId}/comment$`), latencyMs: 3_000, times: 1 });
    await waitFor('a pull to reach the slow issue', () =>
      fake.requests().some((request) => request.receivedAt >= phaseStart && request.path === `/rest/api/2/issue/${slowIssueId}/comment`),
    );
    const [holder] = (await dataSource.query(
      `SELECT tick, replica_id FROM sync_job_runs WHERE job_name = 'support.pull-issues' AND status = 'started' AND started_at >= $1`,
      [new Date(phaseStart - JOB_INTERVAL_MS)],
    )) as JobRunRow[];
    expect(holder).toBeDefined();

    // SIGSTOP models a replica that hangs: its connections stay open, so PostgreSQL keeps
    // its session and advisory lock, but it sends no heartbeat.
    const frozen = replicas.get(holder.replica_id)!;
    frozen.child.kill('SIGSTOP');
    const frozenAt = new Date();
    for (const key of issueKeys) fake.comment({ issue: key, body: `Agent reply on ${key} while a replica is frozen` });

    const expected = remoteCommentIds();
    expect(expected).toHaveLength(ISSUE_COUNT * 3);
    try {
      await waitFor(
        'another replica to pull every comment',
        async () => (await localCommentIds()).length >= expected.length,
        JOB_LEASE_SECONDS * 1000 + 20_000,
      );
      expect(await localCommentIds()).toEqual(expected);
      const rescuers = (await jobRuns(frozenAt)).filter((run) => run.job_name === 'support.pull-issues' && run.status === 'succeeded');
      expect(rescuers.map((run) => run.replica_id)).not.toContain(holder.replica_id);
      const [frozenRun] = await dataSource.query(`SELECT status FROM sync_job_runs WHERE job_name = 'support.pull-issues' AND tick = $1`, [holder.tick]);
      expect(frozenRun.status).toBe('abandoned');
    } finally {
      frozen.child.kill('SIGCONT');
    }

    // Resumed, the replica ends its stale run without reviving it or duplicating anything.
    await waitFor('the resumed replica to end its stale run', () =>
      frozen.logEntries().some((entry) => String(entry.msg).startsWith(`Job support.pull-issues tick ${holder.tick} `) && !String(entry.msg).includes(' started on ')),
    );
    expect({ exitCode: frozen.child.exitCode, signal: frozen.child.signalCode }).toEqual({ exitCode: null, signal: null });
    const [afterResume] = await dataSource.query(`SELECT status FROM sync_job_runs WHERE job_name = 'support.pull-issues' AND tick = $1`, [holder.tick]);
    expect(afterResume.status).toBe('abandoned');
    expect(await localCommentIds()).toEqual(expected);
  });

  it('keeps the replicas running when job bookkeeping fails', async () => {
    const survivors = [...replicas.values()].filter((replica) => replica.child.exitCode === null && replica.child.signalCode === null);
    expect(survivors).toHaveLength(REPLICA_IDS.length - 1);
    const failures = () =>
      survivors.flatMap((replica) => replica.logEntries()).filter((entry) => /^Job \S+ tick \S+ failed in its lock or run record: /.test(String(entry.msg)));
    const failuresBefore = failures().length;

    // Every replica's next job firing fails to record its run, as during a database outage.
    await dataSource.query('ALTER TABLE sync_job_runs RENAME TO sync_job_runs_unavailable');
    try {
      await waitFor('a replica to log a job it could not run', () => failures().length > failuresBefore);
    } finally {
      await dataSource.query('ALTER TABLE sync_job_runs_unavailable RENAME TO sync_job_runs');
    }
    const restoredAt = new Date();
    await waitFor('every job to run again', async () => {
      const runs = await jobRuns(restoredAt);
      return JOB_NAMES.every((name) => runs.some((run) => run.job_name === name && run.status === 'succeeded'));
    });

    for (const replica of survivors) expect({ exitCode: replica.child.exitCode, signal: replica.child.signalCode }).toEqual({ exitCode: null, signal: null });
  });
});
