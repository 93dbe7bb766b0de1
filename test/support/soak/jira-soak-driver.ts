import { createHash } from 'node:crypto';

import { FaultContext, FaultLedger, ScheduledFault } from './jira-soak-faults';
import { LocalActor, SoakOperation, SoakPlan } from './jira-soak-plan';
import { SoakUser, SoakWorld } from './jira-soak-world';

/** A comment the run made, on our side (`local`) or as a Jira agent. */
export interface ExpectedComment {
  issue: number;
  text: string;
  isPublic: boolean;
  origin: 'local' | 'agent';
  /** The name Jira shows before a comment pushed from our side. */
  authorName?: string;
}

export interface ExpectedAttachment {
  issue: number;
  fileName: string;
  size: number;
  sha256: string;
  origin: 'local' | 'agent';
}

export interface SoakIssueState {
  caller: number;
  uuid?: string;
  key?: string;
  transitionsDone: number;
}

/** One SIGKILL of the app: what the sync had in flight when it died and how long the restart took. */
export interface KillRecord {
  duringPull: boolean;
  pullRunning: boolean;
  outboxInFlight: number;
  inboxBacklog: number;
  restartMs: number;
}

/** Lets calls of our API through, except while the app is being killed and restarted. */
class ApiGate {
  private inFlight = 0;
  private reopened: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private drained: (() => void) | undefined;

  async run<T>(call: () => Promise<T>): Promise<T> {
    while (this.reopened) await this.reopened;
    this.inFlight += 1;
    try {
      return await call();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Holds new calls back and waits for those in flight to finish. */
  async close(): Promise<void> {
    this.reopened = new Promise((resolve) => (this.open = resolve));
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = undefined;
  }

  reopen(): void {
    const open = this.open;
    this.reopened = undefined;
    this.open = undefined;
    open?.();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * Runs a soak plan against the world. `concurrency` workers take the operations in plan
 * order and hold back those whose issue is not ready (not created here yet, or without
 * its Jira key yet). Meanwhile the fault schedule is applied as the run progresses. Only
 * what succeeded is recorded as expected, and any failed call is kept in `errors`.
 */
export class SoakDriver {
  readonly issues: SoakIssueState[];
  readonly comments: ExpectedComment[] = [];
  readonly attachments: ExpectedAttachment[] = [];
  readonly errors: string[] = [];
  readonly kills: KillRecord[] = [];
  private readonly gate = new ApiGate();
  private readonly deferred: SoakOperation[] = [];
  private cursor = 0;
  private keysReadAt = 0;

  constructor(
    private readonly world: SoakWorld,
    private readonly plan: SoakPlan,
    private readonly schedule: ScheduledFault[],
    private readonly ledger: FaultLedger,
    private readonly options: { concurrency: number; deferredTimeoutMs: number },
  ) {
    this.issues = Array.from({ length: plan.finalStatus.length }, () => ({ caller: 0, transitionsDone: 0 }));
  }

  async run(): Promise<void> {
    const faults = this.applyFaults();
    await Promise.all(Array.from({ length: this.options.concurrency }, () => this.worker()));
    await faults;
  }

  /** Reads the Jira keys our API shows for issues that have none here yet. */
  async refreshKeys(force = false): Promise<void> {
    if (!force && Date.now() - this.keysReadAt < 1_000) return;
    this.keysReadAt = Date.now();
    const rows = await this.gate.run(() => this.world.staff.api.list<{ uuid: string; key: string }>('/api/support-issues/'));
    const keys = new Map(rows.map((row) => [row.uuid, row.key]));
    for (const issue of this.issues) {
      if (issue.uuid && !issue.key && keys.get(issue.uuid)) issue.key = keys.get(issue.uuid);
    }
  }

  private get progress(): number {
    return this.cursor / this.plan.operations.length;
  }

  private async applyFaults(): Promise<void> {
    const context: FaultContext = { fake: this.world.fake, killAndRestart: (options) => this.killAndRestart(options) };
    for (const fault of this.schedule) {
      while (this.progress < fault.at) await sleep(50);
      this.ledger.note(`at ${(this.progress * 100).toFixed(0)} %: ${fault.label}`);
      try {
        await fault.apply(context);
      } catch (error) {
        this.errors.push(`Fault "${fault.label}" failed: ${(error as Error).message}`);
      }
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const operation = await this.nextOperation();
      if (!operation) return;
      try {
        await this.execute(operation);
      } catch (error) {
        this.errors.push(`${describe(operation)} failed: ${(error as Error).message}`);
      }
    }
  }

  private async nextOperation(): Promise<SoakOperation | undefined> {
    let deadline: number | undefined;
    for (;;) {
      const ready = this.deferred.findIndex((operation) => this.isReady(operation));
      if (ready >= 0) return this.deferred.splice(ready, 1)[0];
      if (this.cursor < this.plan.operations.length) {
        const operation = this.plan.operations[this.cursor];
        this.cursor += 1;
        if (this.isReady(operation)) return operation;
        this.deferred.push(operation);
        continue;
      }
      if (this.deferred.length === 0) return undefined;
      deadline ??= Date.now() + this.options.deferredTimeoutMs;
      if (Date.now() > deadline) {
        for (const operation of this.deferred.splice(0)) this.errors.push(`${describe(operation)} was never ready: its issue has no Jira key`);
        return undefined;
      }
      await this.refreshKeys().catch((error: unknown) => this.errors.push(`Reading issue keys failed: ${(error as Error).message}`));
      await sleep(300);
    }
  }

  private isReady(operation: SoakOperation): boolean {
    const issue = this.issues[operation.issue];
    switch (operation.kind) {
      case 'create-issue':
        return true;
      case 'local-comment':
      case 'local-attachment':
        return issue.uuid !== undefined;
      case 'agent-comment':
      case 'agent-attachment':
        return issue.key !== undefined;
      case 'agent-transition':
        return issue.key !== undefined && issue.transitionsDone === operation.step;
    }
  }

  private actor(issue: number, actor: LocalActor): SoakUser {
    if (actor === 'staff') return this.world.staff;
    if (actor === 'support') return this.world.support;
    return this.world.callers[this.issues[issue].caller];
  }

  private issueUrl(issue: number): string {
    return `${this.world.app.url}/api/support-issues/${this.issues[issue].uuid}/`;
  }

  private async execute(operation: SoakOperation): Promise<void> {
    const fake = this.world.fake;
    const issue = this.issues[operation.issue];
    switch (operation.kind) {
      case 'create-issue': {
        issue.caller = operation.caller;
        const created = await this.gate.run(() =>
          this.world.callers[operation.caller].api.post<{ uuid: string; key: string }>('/api/support-issues/', {
            summary: this.plan.summaries[operation.issue],
            description: `Filed by the soak run for issue ${operation.issue}.`,
            type: 'Service Request',
            customer: this.world.customerUrl,
            project: this.world.projectUrl,
          }),
        );
        issue.uuid = created.uuid;
        if (created.key) issue.key = created.key;
        return;
      }
      case 'local-comment': {
        const author = this.actor(operation.issue, operation.actor);
        await this.gate.run(() =>
          author.api.post(`/api/support-issues/${issue.uuid}/comment/`, { description: operation.text, ...(operation.isPublic ? {} : { is_public: false }) }),
        );
        this.comments.push({ issue: operation.issue, text: operation.text, isPublic: operation.isPublic, origin: 'local', authorName: author.fullName });
        return;
      }
      case 'local-attachment': {
        const author = this.actor(operation.issue, operation.actor);
        await this.gate.run(() =>
          author.api.upload('/api/support-attachments/', { issue: this.issueUrl(operation.issue) }, { name: operation.fileName, content: operation.content, type: 'application/octet-stream' }),
        );
        this.attachments.push(expectedFile(operation.issue, operation.fileName, operation.content, 'local'));
        return;
      }
      case 'agent-comment':
        fake.comment({ issue: issue.key!, body: operation.text, internal: operation.internal });
        this.comments.push({ issue: operation.issue, text: operation.text, isPublic: !operation.internal, origin: 'agent' });
        return;
      case 'agent-attachment':
        fake.attach({ issue: issue.key!, filename: operation.fileName, content: operation.content, mimeType: 'application/octet-stream' });
        this.attachments.push(expectedFile(operation.issue, operation.fileName, operation.content, 'agent'));
        return;
      case 'agent-transition':
        fake.transition({ issue: issue.key!, transition: operation.transition });
        issue.transitionsDone += 1;
        return;
    }
  }

  /**
   * Kills the app with SIGKILL and starts it again on the same database. Calls of our API
   * wait meanwhile (a request cut off mid-way would leave the expected state unknown), but
   * the sync is busy: outbox deliveries and webhook processing run, or with `duringPull`
   * a scheduled pull. Agent work in Jira goes on while the app is down.
   */
  private async killAndRestart(options: { duringPull: boolean }): Promise<void> {
    const api = this.world.staff.api;
    if (options.duringPull) await this.waitForPull();
    await this.gate.close();
    try {
      const status = await syncStatus(api);
      const started = Date.now();
      await this.world.app.stop('SIGKILL');
      this.ledger.count('SIGKILL mid-sync');
      await this.world.app.start();
      const record: KillRecord = {
        duringPull: options.duringPull,
        pullRunning: status.pullRunning,
        outboxInFlight: status.outboxInFlight,
        inboxBacklog: status.inboxPending,
        restartMs: Date.now() - started,
      };
      this.kills.push(record);
      this.ledger.note(`SIGKILL with ${record.outboxInFlight} outbox rows open, ${record.inboxBacklog} deliveries waiting, pull running: ${record.pullRunning}; restarted in ${record.restartMs} ms`);
    } finally {
      this.gate.reopen();
    }
  }

  /** Waits up to 70 s (the pull runs every minute) until a scheduled issue pull starts. */
  private async waitForPull(): Promise<void> {
    const since = Date.now();
    const deadline = since + 70_000;
    while (Date.now() < deadline) {
      const status = await syncStatus(this.world.staff.api);
      if (status.pullRunning && status.lastPull!.startedAt >= since - 1_000) return;
      await sleep(100);
    }
  }
}

interface SyncStatusBody {
  backends: Array<{ backend_name: string; outbox: { depth: number; dead: number }; inbox: { pending: number; failed: number } }>;
  jobs: Array<{ job_name: string; status: string; started_at: string; finished_at: string | null }>;
}

/** The sync figures of the atlassian backend that a soak run waits on. */
export interface SoakSyncStatus {
  /** Outbox rows pending or in progress. */
  outboxInFlight: number;
  outboxDead: number;
  inboxPending: number;
  /** Deliveries whose processing failed for good. */
  inboxFailed: number;
  pullRunning: boolean;
  /** The latest scheduled issue pull. */
  lastPull?: { startedAt: number; status: string };
}

export async function syncStatus(api: SoakWorld['staff']['api']): Promise<SoakSyncStatus> {
  const status = await api.get<SyncStatusBody>('/api/support-sync-status/');
  const backend = status.backends.find((candidate) => candidate.backend_name === 'atlassian');
  const pull = status.jobs.find((job) => job.job_name === 'support.pull-issues');
  return {
    outboxInFlight: backend?.outbox.depth ?? 0,
    outboxDead: backend?.outbox.dead ?? 0,
    inboxPending: backend?.inbox.pending ?? 0,
    inboxFailed: backend?.inbox.failed ?? 0,
    pullRunning: pull?.status === 'started',
    ...(pull ? { lastPull: { startedAt: Date.parse(pull.started_at), status: pull.status } } : {}),
  };
}

function expectedFile(issue: number, fileName: string, content: Buffer, origin: 'local' | 'agent'): ExpectedAttachment {
  return { issue, fileName, size: content.length, sha256: sha256(content), origin };
}

function describe(operation: SoakOperation): string {
  switch (operation.kind) {
    case 'create-issue':
      return `Creating issue ${operation.issue}`;
    case 'local-comment':
    case 'agent-comment':
      return `${operation.kind} "${operation.text}"`;
    case 'local-attachment':
    case 'agent-attachment':
      return `${operation.kind} ${operation.fileName} on issue ${operation.issue}`;
    case 'agent-transition':
      return `Transition ${operation.step} (${operation.transition}) of issue ${operation.issue}`;
  }
}
