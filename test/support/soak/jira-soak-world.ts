import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, startFakeJira, type FakeJira } from '../../fakes/jira';
import { jiraOverrideSettings } from '../jira-settings';
import { createServerDatabase, type TestDatabase } from '../test-database';
import { freePort, runCli, SoakAppProcess } from './soak-app-process';
import { SoakApi } from './soak-api';

export const WEBHOOK_SECRET = 'soak-webhook-secret';
const ADMIN_PASSWORD = 'Soak-admin-pass-1';

/**
 * Sync timings of the app under test: short back-offs, leases and polls, so faults clear
 * within seconds. The search visibility delay of a run must stay below half of
 * `SYNC_RETRY_BASE_SECONDS`, and the timeout fault's latency above
 * `SYNC_DELIVERY_TIMEOUT_SECONDS`.
 */
export const SOAK_SYNC_ENV = {
  SYNC_OUTBOX_POLL_SECONDS: '0.25',
  SYNC_DELIVER_WAIT_SECONDS: '1',
  SYNC_DELIVERY_TIMEOUT_SECONDS: '4',
  SYNC_OUTBOX_LEASE_SECONDS: '10',
  SYNC_RETRY_BASE_SECONDS: '2',
  SYNC_RETRY_CAP_SECONDS: '10',
  SYNC_CIRCUIT_COOL_DOWN_SECONDS: '2',
  SYNC_INBOX_SWEEP_SECONDS: '1',
  SYNC_INBOX_RETRY_BASE_SECONDS: '1',
  SYNC_INBOX_RETRY_CAP_SECONDS: '10',
  SYNC_INBOX_LEASE_SECONDS: '10',
  SYNC_JOB_LEASE_SECONDS: '20',
  SYNC_SHUTDOWN_GRACE_SECONDS: '2',
} as const;

export interface SoakUser {
  uuid: string;
  fullName: string;
  api: SoakApi;
}

export interface SoakWorldOptions {
  /** A PostgreSQL server URL: the run gets a fresh database there. Without it the app uses embedded PGlite. */
  databaseUrl?: string;
  callers: number;
  /**
   * Outbox claim lease. A row in progress when the app is killed is retried after it, and
   * a write Jira stores later than that is made a second time, so runs with writes slower
   * than the Jira client's 30 s timeout need a longer lease. Default 10 s.
   */
  outboxLeaseSeconds?: number;
  /** Folder for the app's data and log; a temporary one when not given. */
  workDir?: string;
}

/** The fake Jira, the app process on its fresh database, and the accounts that act on our side. */
export interface SoakWorld {
  fake: FakeJira;
  app: SoakAppProcess;
  workDir: string;
  database: 'postgresql' | 'embedded';
  /** The fresh PostgreSQL database, when the run uses one. */
  databaseUrl?: string;
  staff: SoakUser;
  support: SoakUser;
  callers: SoakUser[];
  customerUrl: string;
  projectUrl: string;
  close(options?: { keepWorkDir?: boolean }): Promise<void>;
}

/**
 * Starts the fake Jira on 127.0.0.1 and the built app as a child process on a fresh
 * database. Then it sets the app up as an admin would: a staff user from the CLI, the
 * Jira settings through `/api/override-settings/`, the webhook through Jira's admin API,
 * Jira's "Cancelled" status as canceled, and a customer with its users.
 */
export async function startSoakWorld(options: SoakWorldOptions): Promise<SoakWorld> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'deskbridge-soak-'));
  const fake = await startFakeJira({ host: '127.0.0.1', flavour: 'cloud', webhookRetryDelaysMs: [500, 2_000, 5_000], webhookTimeoutMs: 5_000 });
  let database: TestDatabase | undefined;
  let app: SoakAppProcess | undefined;
  try {
    database = options.databaseUrl ? await createServerDatabase(options.databaseUrl, 'deskbridge_soak') : undefined;
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...SOAK_SYNC_ENV,
      ...(options.outboxLeaseSeconds ? { SYNC_OUTBOX_LEASE_SECONDS: String(options.outboxLeaseSeconds) } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(workDir, 'data'),
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    if (database) env.DATABASE_URL = database.url;
    app = new SoakAppProcess(`http://127.0.0.1:${port}`, env, join(workDir, 'app.log'));
    await app.start();

    runCli(env, ['createstaffuser', '--username', 'soak-admin', '--password', ADMIN_PASSWORD, '--email', 'soak-admin@example.com', '--first-name', 'Sam', '--last-name', 'Staff']);
    const anonymous = new SoakApi(app.url);
    const { token } = await anonymous.post<{ token: string }>('/api-auth/password/', { username: 'soak-admin', password: ADMIN_PASSWORD });
    const staffApi = anonymous.as(token);
    const me = await staffApi.get<{ uuid: string; full_name: string }>('/api/users/me/');

    await staffApi.post('/api/override-settings/', { ...jiraOverrideSettings(fake, WEBHOOK_SECRET), SUPPORT_PULL_INTERVAL_MINUTES: 1 });
    await registerJiraWebhook(fake, `${app.url}/api/support-jira-webhook/`);
    await staffApi.post('/api/support-issue-statuses/', { name: 'Cancelled', type: 1 });

    const customer = await staffApi.post<{ url: string; uuid: string }>('/api/customers/', { name: 'Soak Research' });
    const project = await staffApi.post<{ url: string }>('/api/projects/', { name: 'Soak Models', customer: customer.url });
    const callers: SoakUser[] = [];
    for (let index = 0; index < options.callers; index += 1) {
      const caller = await createUser(staffApi, `caller${index}`, 'Casey', `Caller ${index}`);
      await staffApi.post(`/api/customers/${customer.uuid}/add_user/`, { user: caller.uuid, role: 'CUSTOMER.OWNER' });
      callers.push(caller);
    }
    const support = await createUser(staffApi, 'support', 'Sue', 'Support', { is_support: true });

    const finalDatabase = database;
    const finalApp = app;
    return {
      fake,
      app,
      workDir,
      database: database ? 'postgresql' : 'embedded',
      databaseUrl: database?.url,
      staff: { uuid: me.uuid, fullName: me.full_name, api: staffApi },
      support,
      callers,
      customerUrl: customer.url,
      projectUrl: project.url,
      async close(closeOptions = {}) {
        await finalApp.close();
        if (closeOptions.keepWorkDir) writeFakeLog(fake, join(workDir, 'jira-requests.jsonl'));
        await fake.close();
        // A kept work folder comes with its database, for looking into a failed run.
        if (!closeOptions.keepWorkDir) await finalDatabase?.drop();
        if (!closeOptions.keepWorkDir && !options.workDir) rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await fake.close();
    await database?.drop();
    throw error;
  }
}

/** Writes the fake's request log and webhook deliveries as JSON lines, without bodies of uploads. */
function writeFakeLog(fake: FakeJira, path: string): void {
  const requests = fake.requests().map((request) => ({
    type: 'request',
    at: request.receivedAt,
    method: request.method,
    path: request.path,
    status: request.status ?? null,
    body: request.multipart ? null : request.rawBody.slice(0, 500),
  }));
  const deliveries = fake.deliveries().map((delivery) => ({
    type: 'delivery',
    id: delivery.identifier,
    event: delivery.webhookEvent,
    state: delivery.state,
    faults: delivery.faults,
    attempts: delivery.attempts.map((attempt) => ({ at: attempt.startedAt, status: attempt.status ?? null, error: attempt.error ?? null })),
  }));
  writeFileSync(path, [...requests, ...deliveries].map((entry) => JSON.stringify(entry)).join('\n'));
}

async function createUser(staff: SoakApi, username: string, firstName: string, lastName: string, extra: Record<string, unknown> = {}): Promise<SoakUser> {
  const user = await staff.post<{ uuid: string; full_name: string }>('/api/users/', {
    username: `soak-${username}`,
    email: `soak-${username}@example.org`,
    first_name: firstName,
    last_name: lastName,
    ...extra,
  });
  const { token } = await staff.get<{ token: string }>(`/api/users/${user.uuid}/token/`);
  return { uuid: user.uuid, fullName: user.full_name, api: staff.as(token) };
}

/** Registers our receiver through Jira's admin webhook API, as a Jira administrator does. */
async function registerJiraWebhook(fake: FakeJira, url: string): Promise<void> {
  const response = await fetch(`${fake.url}/rest/webhooks/1.0/webhook`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${INTEGRATION_EMAIL}:${INTEGRATION_TOKEN}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      name: 'Deskbridge soak',
      url,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'],
      secret: WEBHOOK_SECRET,
    }),
  });
  if (response.status !== 201) throw new Error(`Registering the Jira webhook failed with ${response.status}: ${await response.text()}`);
}
