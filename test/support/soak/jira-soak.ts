import { readFileSync } from 'node:fs';

import { compareSides, SoakComparison } from './jira-soak-compare';
import { KillRecord, SoakDriver, syncStatus, SoakSyncStatus } from './jira-soak-driver';
import { CLIENT_TIMEOUT_LEASE_SECONDS, FAULT_KINDS, FaultKind, FaultLedger, faultSchedule } from './jira-soak-faults';
import { planSoak } from './jira-soak-plan';
import { SoakWorld, startSoakWorld } from './jira-soak-world';

export interface JiraSoakOptions {
  issues: number;
  comments: number;
  seed: number;
  /** A PostgreSQL server URL for a fresh database; embedded PGlite when undefined. */
  databaseUrl?: string;
  /** SIGKILL restarts of the app; the first lands during outbox deliveries, the others during scheduled pulls. */
  kills: number;
  /** Operations in flight at once. */
  concurrency: number;
  callers: number;
  /** Maximum wait for the sync to settle after the last operation. */
  settleTimeoutMs: number;
  /** Add a write slower than the Jira client's 30 s timeout, which Jira still stores after the client gave up. */
  clientTimeouts?: boolean;
  /** Keep the work folder (app log and data) after the run. */
  keepWorkDir?: boolean;
  /** Progress lines; silent when not given. */
  progress?: (line: string) => void;
}

export const DEFAULT_SOAK_OPTIONS: JiraSoakOptions = {
  issues: 200,
  comments: 1000,
  seed: 1,
  kills: 2,
  concurrency: 4,
  callers: 5,
  settleTimeoutMs: 600_000,
  clientTimeouts: true,
};

export interface JiraSoakReport {
  options: Omit<JiraSoakOptions, 'progress'>;
  database: 'postgresql' | 'embedded';
  workDir: string;
  logPath: string;
  workloadMs: number;
  settleMs: number;
  settled: boolean;
  comparison: SoakComparison;
  faults: Map<FaultKind, number>;
  unusedFaults: string[];
  faultLog: string[];
  kills: KillRecord[];
  outbox: { rows: number; retriedRows: number; retries: number; dead: number };
  inbox: { deliveries: number; retries: number; failed: number; ignored: number };
  appLog: { clientRetries: number; adoptions: number; errors: number; errorSamples: string[] };
  driverErrors: string[];
  /** Every reason the run failed; empty when both sides ended identical. */
  failures: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the Jira soak: starts the fake and the app, drives both directions under the fault
 * schedule, lets the sync settle (outbox drained, inbox processed, one scheduled pull run
 * after that), then compares both sides. The report lists every mismatch.
 */
export async function runJiraSoak(options: JiraSoakOptions): Promise<JiraSoakReport> {
  const progress = options.progress ?? (() => undefined);
  const plan = planSoak({ issues: options.issues, comments: options.comments, seed: options.seed, callers: options.callers });
  progress(`Planned ${plan.operations.length} operations for ${options.issues} issues and ${options.comments} comments (seed ${options.seed})`);
  const world = await startSoakWorld({
    databaseUrl: options.databaseUrl,
    callers: options.callers,
    // As in the default setup (a 120 s lease over the client's 30 s timeout), a write that
    // was in flight when the app died must be stored before its row is claimed again.
    outboxLeaseSeconds: options.clientTimeouts ? CLIENT_TIMEOUT_LEASE_SECONDS : undefined,
  });
  progress(`App on ${world.database}${world.databaseUrl ? ` (${world.databaseUrl})` : ''} at ${world.app.url} (log ${world.app.logPath}), fake Jira at ${world.fake.url}`);
  let keepWorkDir = options.keepWorkDir ?? false;
  try {
    const ledger = new FaultLedger();
    const driver = new SoakDriver(world, plan, faultSchedule(ledger, { issues: options.issues, kills: options.kills, clientTimeouts: options.clientTimeouts }), ledger, {
      concurrency: options.concurrency,
      deferredTimeoutMs: 300_000,
    });
    const started = Date.now();
    const ticker = setInterval(() => progress(`... ${driver.comments.length} comments, ${driver.attachments.length} files, ${driver.kills.length} kills`), 15_000);
    try {
      await driver.run();
    } finally {
      clearInterval(ticker);
    }
    const workloadMs = Date.now() - started;
    progress(`Workload done in ${(workloadMs / 1000).toFixed(1)} s; settling`);

    const faults = ledger.hits(world.fake);
    const unusedFaults = ledger.partlyUnused(world.fake);
    const settleStarted = Date.now();
    const settled = await settle(world, options.settleTimeoutMs, progress);
    const settleMs = Date.now() - settleStarted;
    await driver.refreshKeys(true);
    progress(`Settled in ${(settleMs / 1000).toFixed(1)} s; comparing`);

    const comparison = await compareSides(world.staff.api, world.fake, { ...plan, issues: driver.issues, comments: driver.comments, attachments: driver.attachments });
    const outbox = await outboxFigures(world);
    const inbox = await inboxFigures(world);
    const appLog = appLogFigures(world.app.logPath);

    const failures = [...driver.errors, ...comparison.mismatches];
    if (!settled.done) failures.push(`The sync did not settle within ${options.settleTimeoutMs} ms: ${JSON.stringify(settled.status)}`);
    if (outbox.dead > 0) failures.push(`${outbox.dead} outbox rows are dead`);
    for (const kind of FAULT_KINDS) if ((faults.get(kind) ?? 0) === 0) failures.push(`Fault kind "${kind}" never took effect`);

    keepWorkDir ||= failures.length > 0;
    const { progress: _progress, ...reportedOptions } = options;
    return {
      options: reportedOptions,
      database: world.database,
      workDir: world.workDir,
      logPath: world.app.logPath,
      workloadMs,
      settleMs,
      settled: settled.done,
      comparison,
      faults,
      unusedFaults,
      faultLog: ledger.log,
      kills: driver.kills,
      outbox,
      inbox,
      appLog,
      driverErrors: driver.errors,
      failures,
    };
  } catch (error) {
    keepWorkDir = true;
    throw error;
  } finally {
    await world.close({ keepWorkDir });
  }
}

/**
 * Clears every fault and waits until nothing moves: webhooks sent, the outbox empty and
 * no delivery waiting in the inbox. Then it waits for a scheduled issue pull that starts
 * after that to finish, and for quiet once more.
 */
async function settle(world: SoakWorld, timeoutMs: number, progress: (line: string) => void): Promise<{ done: boolean; status: SoakSyncStatus }> {
  const fake = world.fake;
  fake.clearFaults();
  fake.clearWebhookFaults();
  fake.setSearchVisibilityDelay(0);
  await fake.releaseWebhooks('fifo');
  const deadline = Date.now() + timeoutMs;

  let status = await waitForQuiet(world, deadline);
  if (!status.done) return status;
  const since = Date.now();
  progress('Quiet; waiting for the next scheduled pull');
  while (Date.now() < deadline) {
    const current = await syncStatus(world.staff.api);
    if (current.lastPull && current.lastPull.startedAt >= since && current.lastPull.status !== 'started') break;
    await sleep(500);
  }
  status = await waitForQuiet(world, deadline);
  return status;
}

async function waitForQuiet(world: SoakWorld, deadline: number): Promise<{ done: boolean; status: SoakSyncStatus }> {
  let quietRounds = 0;
  let status = await syncStatus(world.staff.api);
  while (Date.now() < deadline) {
    await world.fake.whenWebhooksIdle();
    status = await syncStatus(world.staff.api);
    quietRounds = status.outboxInFlight === 0 && status.inboxPending === 0 ? quietRounds + 1 : 0;
    if (quietRounds >= 3) return { done: true, status };
    await sleep(1_000);
  }
  return { done: false, status };
}

async function outboxFigures(world: SoakWorld): Promise<JiraSoakReport['outbox']> {
  const rows = await world.staff.api.list<{ attempts: number; status: string }>('/api/support-sync-outbox/?backend=atlassian');
  return {
    rows: rows.length,
    retriedRows: rows.filter((row) => row.attempts > 1).length,
    retries: rows.reduce((sum, row) => sum + Math.max(0, row.attempts - 1), 0),
    dead: rows.filter((row) => row.status === 'dead').length,
  };
}

async function inboxFigures(world: SoakWorld): Promise<JiraSoakReport['inbox']> {
  const rows = await world.staff.api.list<{ attempts: number; status: string }>('/api/support-sync-deliveries/?source=atlassian');
  return {
    deliveries: rows.length,
    retries: rows.reduce((sum, row) => sum + Math.max(0, row.attempts - 1), 0),
    failed: rows.filter((row) => row.status === 'failed').length,
    ignored: rows.filter((row) => row.status === 'ignored').length,
  };
}

/** Counts from the app's log: HTTP retries inside the Jira client, adopted creates, and errors with a few distinct messages. */
function appLogFigures(logPath: string): JiraSoakReport['appLog'] {
  const log = readFileSync(logPath, 'utf8');
  const count = (pattern: RegExp) => (log.match(pattern) ?? []).length;
  const samples = new Set<string>();
  for (const line of log.split('\n').filter((candidate) => candidate.includes('"level":50'))) {
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      samples.add(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>').slice(0, 300));
    } catch {
      samples.add(line.slice(0, 300));
    }
  }
  return {
    clientRetries: count(/Retrying (GET|POST|PUT|DELETE) /g),
    adoptions: count(/adopted remote object|Adopted Jira/g),
    errors: count(/"level":50/g),
    errorSamples: [...samples].slice(0, 10),
  };
}

/** Formats the report as the lines the script prints. */
export function formatSoakReport(report: JiraSoakReport): string[] {
  const { comparison: c } = report;
  const side = (name: string, counts: SoakComparison['ours']) =>
    `${name.padEnd(9)} ${String(counts.issues).padStart(6)} issues ${String(counts.comments).padStart(6)} comments (${counts.internalComments} internal) ${String(counts.attachments).padStart(5)} files`;
  const lines = [
    `Jira soak on ${report.database}: ${report.options.issues} issues, ${report.options.comments} comments, seed ${report.options.seed}, ${report.options.kills} kills`,
    side('expected', c.expected),
    side('ours', c.ours),
    side('Jira', c.jira),
    `workload ${(report.workloadMs / 1000).toFixed(1)} s, settle ${(report.settleMs / 1000).toFixed(1)} s${report.settled ? '' : ' (did not settle)'}`,
    'faults that took effect:',
    ...[...report.faults].map(([kind, hits]) => `  ${kind.padEnd(26)} ${hits}`),
    ...(report.unusedFaults.length > 0 ? [`route faults not fully used: ${report.unusedFaults.join('; ')}`] : []),
    ...report.kills.map(
      (kill, index) =>
        `kill ${index + 1}: ${kill.outboxInFlight} outbox rows open, ${kill.inboxBacklog} deliveries waiting, pull running ${kill.pullRunning}, restart ${(kill.restartMs / 1000).toFixed(1)} s`,
    ),
    `outbox: ${report.outbox.rows} rows, ${report.outbox.retriedRows} retried, ${report.outbox.retries} retries, ${report.outbox.dead} dead`,
    `inbox: ${report.inbox.deliveries} deliveries, ${report.inbox.retries} retries, ${report.inbox.ignored} ignored, ${report.inbox.failed} failed`,
    `app log: ${report.appLog.clientRetries} HTTP retries in the Jira client, ${report.appLog.adoptions} adopted creates, ${report.appLog.errors} error lines (${report.logPath})`,
    ...report.appLog.errorSamples.map((sample) => `  error: ${sample}`),
    `mismatches: ${c.mismatches.length}, driver errors: ${report.driverErrors.length}`,
    ...report.failures.slice(0, 200).map((failure) => `  ${failure}`),
  ];
  if (report.failures.length > 200) lines.push(`  ... and ${report.failures.length - 200} more`);
  return lines;
}
