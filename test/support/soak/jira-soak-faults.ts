import type { FakeJira, RouteFaultInput } from '../../fakes/jira';
import { SOAK_SYNC_ENV } from './jira-soak-world';

/** The fault kinds of a soak run, named as the sync requirements list them. */
export const FAULT_KINDS = [
  '5xx',
  '429 with Retry-After',
  '429 without Retry-After',
  'timeout',
  'dropped after commit',
  'duplicate delivery',
  'reordered deliveries',
  'delayed search visibility',
  'SIGKILL mid-sync',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A step of the fault schedule, due once this fraction of the operations has started. */
export interface ScheduledFault {
  at: number;
  kind: FaultKind;
  label: string;
  apply: (context: FaultContext) => void | Promise<void>;
}

/** What a fault step may act on: the fake, and the driver's restart of the app. */
export interface FaultContext {
  fake: FakeJira;
  /** Stops the app with SIGKILL while sync work is in flight and starts it again; `duringPull` waits for a scheduled pull to start first. */
  killAndRestart(options: { duringPull: boolean }): Promise<void>;
}

const CREATE_REQUEST = '/rest/servicedeskapi/request';
const REQUEST_COMMENT = '/rest/servicedeskapi/request/{key}/comment';
const ISSUE = '/rest/api/2/issue/{id}';
const ISSUE_COMMENTS = '/rest/api/2/issue/{id}/comment';
const ATTACHMENTS = '/rest/api/2/issue/{id}/attachments';
const SEARCH = '/rest/api/2/search/jql';

/** Latency of a timeout fault: longer than one outbox delivery attempt may take. */
const TIMEOUT_LATENCY_MS = Number(SOAK_SYNC_ENV.SYNC_DELIVERY_TIMEOUT_SECONDS) * 1000 + 1_500;
/** Latency beyond the Jira client's own 30 s request timeout, after which Jira still stores the write. */
const CLIENT_TIMEOUT_LATENCY_MS = 31_000;
/** Outbox lease of runs with that latency: longer than it, so a row in flight when the app dies is claimed again after Jira stored its write. */
export const CLIENT_TIMEOUT_LEASE_SECONDS = 40;
/** Delay before Jira's search shows a change: below the shortest outbox retry back-off, half its base. */
export const SEARCH_DELAY_MS = (Number(SOAK_SYNC_ENV.SYNC_RETRY_BASE_SECONDS) * 1000 * 3) / 8;

/** Counts what each route fault really hit, from the fake's remaining `times`. */
export class FaultLedger {
  private readonly routeFaults: Array<{ id: number; kind: FaultKind; label: string; times: number }> = [];
  private readonly other = new Map<FaultKind, number>();
  /** Periods with delayed search visibility, as [start, end) epoch milliseconds. */
  private readonly searchDelays: Array<[number, number]> = [];
  readonly log: string[] = [];

  addRoute(fake: FakeJira, kind: FaultKind, label: string, fault: RouteFaultInput & { times: number }): void {
    const id = fake.addFault(fault);
    this.routeFaults.push({ id, kind, label, times: fault.times });
  }

  count(kind: FaultKind, amount = 1): void {
    this.other.set(kind, (this.other.get(kind) ?? 0) + amount);
  }

  searchDelay(on: boolean): void {
    if (on) this.searchDelays.push([Date.now(), Infinity]);
    else if (this.searchDelays.length > 0) this.searchDelays.at(-1)![1] = Date.now();
  }

  note(line: string): void {
    this.log.push(`${new Date().toISOString()} ${line}`);
  }

  /** Faults that took effect per kind: route faults by the requests they hit, the others as counted. */
  hits(fake: FakeJira): Map<FaultKind, number> {
    const remaining = new Map<number, number>();
    for (const fault of fake.faults() as Array<RouteFaultInput & { id?: number }>) {
      if (fault.id !== undefined) remaining.set(fault.id, fault.times ?? 0);
    }
    const hits = new Map<FaultKind, number>(FAULT_KINDS.map((kind) => [kind, this.other.get(kind) ?? 0]));
    const lagging = fake
      .requests()
      .filter((request) => request.path.endsWith(SEARCH) && this.searchDelays.some(([start, end]) => request.receivedAt >= start && request.receivedAt < end));
    hits.set('delayed search visibility', lagging.length);
    hits.set('duplicate delivery', fake.deliveries().filter((delivery) => delivery.faults.includes('duplicate')).length);
    for (const fault of this.routeFaults) hits.set(fault.kind, hits.get(fault.kind)! + fault.times - (remaining.get(fault.id) ?? 0));
    return hits;
  }

  /** Route faults that did not hit every time they were set for, as `label: hit/times`. */
  partlyUnused(fake: FakeJira): string[] {
    const remaining = new Map<number, number>();
    for (const fault of fake.faults() as Array<RouteFaultInput & { id?: number }>) {
      if (fault.id !== undefined) remaining.set(fault.id, fault.times ?? 0);
    }
    return this.routeFaults.filter((fault) => remaining.has(fault.id)).map((fault) => `${fault.label}: ${fault.times - remaining.get(fault.id)!}/${fault.times}`);
  }
}

/**
 * Builds the fault schedule: every kind at least once, most twice, spread over the run.
 * Creates happen in the first 60 % of the operations, so faults on the create route come
 * early. `kills` is the number of SIGKILL restarts, and those after the first land during
 * a scheduled pull.
 */
export function faultSchedule(ledger: FaultLedger, options: { issues: number; kills: number; clientTimeouts?: boolean }): ScheduledFault[] {
  // Route faults hit more requests in bigger runs: once per 40 issues, at least once.
  const scale = Math.max(1, Math.round(options.issues / 40));
  const route = (at: number, kind: FaultKind, label: string, fault: RouteFaultInput & { times: number }): ScheduledFault => ({
    at,
    kind,
    label,
    apply: ({ fake }) => ledger.addRoute(fake, kind, label, { ...fault, times: fault.times * scale }),
  });
  const duplicates = Math.max(10, Math.round(options.issues / 2));
  const holdFor = (at: number, until: number, label: string): ScheduledFault[] => [
    { at, kind: 'reordered deliveries', label: `${label}: hold`, apply: ({ fake }) => fake.holdWebhooks() },
    {
      at: until,
      kind: 'reordered deliveries',
      label: `${label}: release reversed`,
      apply: async ({ fake }) => {
        // A small run may reach the release before Jira sent anything; wait up to 10 s for a few deliveries.
        const heldCount = () => fake.deliveries().filter((delivery) => delivery.state === 'held').length;
        for (let waited = 0; heldCount() < 3 && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
        const held = heldCount();
        ledger.count('reordered deliveries', held);
        ledger.note(`released ${held} held webhook deliveries in reverse order`);
        await fake.releaseWebhooks('reverse');
      },
    },
  ];

  const schedule: ScheduledFault[] = [
    route(0.04, '5xx', 'create 503', { method: 'POST', path: CREATE_REQUEST, status: 503, times: 3 }),
    route(0.07, 'dropped after commit', 'create dropped', { method: 'POST', path: CREATE_REQUEST, dropConnection: true, afterCommit: true, times: 2 }),
    route(0.1, '429 with Retry-After', 'comment 429 Retry-After: 1', { method: 'POST', path: REQUEST_COMMENT, status: 429, retryAfter: 1, times: 4 }),
    { at: 0.12, kind: 'duplicate delivery', label: 'duplicate deliveries', apply: ({ fake }) => fake.addWebhookFault({ kind: 'duplicate', times: duplicates }) },
    route(0.15, '5xx', 'comment 502', { method: 'POST', path: REQUEST_COMMENT, status: 502, times: 3 }),
    route(0.16, '5xx', 'issue read 500', { method: 'GET', path: ISSUE, status: 500, times: 4 }),
    route(0.18, 'timeout', 'comment slow', { method: 'POST', path: REQUEST_COMMENT, latencyMs: TIMEOUT_LATENCY_MS, times: 2 }),
    route(0.2, 'timeout', 'create slow', { method: 'POST', path: CREATE_REQUEST, latencyMs: TIMEOUT_LATENCY_MS, times: 1 }),
    ...holdFor(0.22, 0.27, 'reorder 1'),
    {
      at: 0.25,
      kind: 'delayed search visibility',
      label: `search delay ${SEARCH_DELAY_MS} ms on`,
      apply: ({ fake }) => {
        fake.setSearchVisibilityDelay(SEARCH_DELAY_MS);
        ledger.searchDelay(true);
      },
    },
    route(0.28, 'dropped after commit', 'create dropped while search lags', { method: 'POST', path: CREATE_REQUEST, dropConnection: true, afterCommit: true, times: 2 }),
    route(0.3, 'dropped after commit', 'comment dropped', { method: 'POST', path: REQUEST_COMMENT, dropConnection: true, afterCommit: true, times: 3 }),
    route(0.32, 'dropped after commit', 'attachment dropped', { method: 'POST', path: ATTACHMENTS, dropConnection: true, afterCommit: true, times: 2 }),
    route(0.35, '429 without Retry-After', 'attachment 429', { method: 'POST', path: ATTACHMENTS, status: 429, times: 2 }),
    route(0.36, '429 without Retry-After', 'search 429', { method: 'GET', path: SEARCH, status: 429, times: 2 }),
    route(0.38, '429 without Retry-After', 'comment 429', { method: 'POST', path: REQUEST_COMMENT, status: 429, times: 2 }),
    route(0.4, '5xx', 'attachment 500', { method: 'POST', path: ATTACHMENTS, status: 500, times: 2 }),
    {
      at: 0.45,
      kind: 'delayed search visibility',
      label: 'search delay off',
      apply: ({ fake }) => {
        fake.setSearchVisibilityDelay(0);
        ledger.searchDelay(false);
      },
    },
    route(0.47, 'timeout', 'comment slow before kill', { method: 'POST', path: REQUEST_COMMENT, latencyMs: TIMEOUT_LATENCY_MS, times: 2 }),
    { at: 0.5, kind: 'SIGKILL mid-sync', label: 'SIGKILL during deliveries', apply: ({ killAndRestart }) => killAndRestart({ duringPull: false }) },
    route(0.6, '429 with Retry-After', 'comment list 429 Retry-After: 1', { method: 'GET', path: ISSUE_COMMENTS, status: 429, retryAfter: 1, times: 3 }),
    { at: 0.65, kind: 'duplicate delivery', label: 'duplicate deliveries again', apply: ({ fake }) => fake.addWebhookFault({ kind: 'duplicate', times: duplicates }) },
    ...holdFor(0.68, 0.72, 'reorder 2'),
    route(0.75, 'timeout', 'attachment slow', { method: 'POST', path: ATTACHMENTS, latencyMs: TIMEOUT_LATENCY_MS, times: 1 }),
    route(0.78, '5xx', 'search 503', { method: 'GET', path: SEARCH, status: 503, times: 3 }),
  ];
  if (options.clientTimeouts) {
    schedule.push(
      route(0.52, 'timeout', 'comment slower than the Jira client timeout', { method: 'POST', path: REQUEST_COMMENT, latencyMs: CLIENT_TIMEOUT_LATENCY_MS, times: 1 }),
    );
  }
  for (let kill = 1; kill < options.kills; kill += 1) {
    const at = Math.min(0.95, 0.8 + (kill - 1) * 0.05);
    schedule.push({ at, kind: 'SIGKILL mid-sync', label: `SIGKILL during a pull (${kill})`, apply: ({ killAndRestart }) => killAndRestart({ duringPull: true }) });
  }
  return schedule.sort((a, b) => a.at - b.at);
}
