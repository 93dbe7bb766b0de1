import { DataSource, EntityManager } from 'typeorm';

import { sleep } from '../../src/support/sync/common/abort';
import { remoteChange, runWithChangeContext } from '../../src/support/sync/common/change-origin';
import { contentHash } from '../../src/support/sync/common/content-hash';
import { RemoteError } from '../../src/support/sync/common/remote-error';
import { EchoGuard } from '../../src/support/sync/echo/echo-guard.service';
import { InboxDelivery, InboxOutcome, InboxProcessor, parseJsonBody } from '../../src/support/sync/inbox/inbox-processor';
import { acceptIfNewer } from '../../src/support/sync/inbox/remote-versions';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { DeliveryResult, OutboxDeliverer, OutboxDelivery } from '../../src/support/sync/outbox/outbox-deliverer';
import { OutboxService } from '../../src/support/sync/outbox/outbox.service';
import { PulledObject, PullPage, RemotePuller } from '../../src/support/sync/pull/remote-puller';

/** An object kept by the remote double. */
export interface RemoteObject {
  id: string;
  type: string;
  fields: Record<string, unknown>;
  /** The idempotency marker stored with the object when it was created. */
  marker: string | null;
  version: number;
  updatedAt: Date;
}

export interface RemoteCall {
  operation: string;
  rowUuid: string;
  issueUuid: string | null;
  attempt: number;
  outcome: 'ok' | 'failed' | 'dropped';
}

type Fault = { kind: 'fail'; error: () => RemoteError } | { kind: 'drop-after-commit' };

/**
 * An in-memory ticketing system standing in for Jira, Zammad or SMAX in sync tests. It
 * keeps objects with markers and versions, logs every call, and injects faults: failures
 * before the write, and commit-then-drop, where the write is kept but the caller gets a
 * connection error, as when the response is lost in transit.
 */
export class RemoteDouble {
  readonly objects = new Map<string, RemoteObject>();
  readonly calls: RemoteCall[] = [];
  /** Milliseconds each write takes. */
  latencyMs = 0;
  /** Writes currently running per issue, to prove the outbox never overlaps one issue's rows. */
  readonly inFlightByIssue = new Map<string, number>();
  maxInFlightPerIssue = 0;
  private faults: Fault[] = [];
  private nextId = 1;

  /** Makes the next `count` writes fail with the error `make` builds. */
  failNext(count: number, make: () => RemoteError): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'fail', error: make });
  }

  /** Makes the next write commit and then lose its response. */
  dropAfterCommitNext(): void {
    this.faults.push({ kind: 'drop-after-commit' });
  }

  clearFaults(): void {
    this.faults = [];
  }

  findByMarker(marker: string): RemoteObject | undefined {
    return [...this.objects.values()].find((object) => object.marker === marker);
  }

  /** Runs one write through latency and the fault queue, logging the call. */
  async write<T>(delivery: OutboxDelivery, apply: () => T): Promise<T> {
    const issueKey = delivery.issueUuid ?? `row:${delivery.uuid}`;
    const running = (this.inFlightByIssue.get(issueKey) ?? 0) + 1;
    this.inFlightByIssue.set(issueKey, running);
    this.maxInFlightPerIssue = Math.max(this.maxInFlightPerIssue, running);
    const call: RemoteCall = {
      operation: delivery.operation,
      rowUuid: delivery.uuid,
      issueUuid: delivery.issueUuid,
      attempt: delivery.attempt,
      outcome: 'ok',
    };
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      const fault = this.faults.shift();
      if (fault?.kind === 'fail') {
        call.outcome = 'failed';
        throw fault.error();
      }
      const result = apply();
      if (fault?.kind === 'drop-after-commit') {
        call.outcome = 'dropped';
        throw new RemoteError('socket hang up', { retryable: true });
      }
      return result;
    } finally {
      this.calls.push(call);
      this.inFlightByIssue.set(issueKey, (this.inFlightByIssue.get(issueKey) ?? 1) - 1);
    }
  }

  create(type: string, fields: Record<string, unknown>, marker: string | null, updatedAt = new Date()): RemoteObject {
    const object: RemoteObject = { id: `R-${this.nextId++}`, type, fields, marker, version: 1, updatedAt };
    this.objects.set(object.id, object);
    return object;
  }

  update(id: string, fields: Record<string, unknown>, updatedAt = new Date()): RemoteObject {
    const object = this.objects.get(id);
    if (!object) throw new RemoteError(`Object ${id} does not exist`, { retryable: false, status: 404 });
    object.fields = { ...object.fields, ...fields };
    object.version += 1;
    object.updatedAt = updatedAt;
    return object;
  }
}

/** What the deliverer double handed to `applyResult`, for assertions. */
export interface AppliedResult {
  rowUuid: string;
  operation: string;
  remoteId: string | undefined;
  adopted: boolean;
}

/**
 * The outbox deliverer of the remote double. Creates store the row's idempotency key as
 * the object's marker and `findDelivered` searches by it, as a real adapter does with a
 * Jira issue property, a Zammad tag or a SMAX external id.
 */
export class RemoteDoubleDeliverer extends OutboxDeliverer {
  readonly applied: AppliedResult[] = [];
  readonly dead: { rowUuid: string; error: RemoteError }[] = [];
  readonly searches: { rowUuid: string; attempt: number; marker: string }[] = [];

  constructor(
    readonly backendName: string,
    readonly remote: RemoteDouble,
  ) {
    super();
  }

  async findDelivered(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    if (!delivery.operation.endsWith('.create')) return undefined;
    this.searches.push({ rowUuid: delivery.uuid, attempt: delivery.attempt, marker: delivery.idempotencyKey });
    const found = this.remote.findByMarker(delivery.idempotencyKey);
    return found ? { ...this.resultFor(found), data: { adopted: true } } : undefined;
  }

  async deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const type = delivery.operation.split('.')[0];
    const fields = delivery.payload;
    if (delivery.operation.endsWith('.create')) {
      const object = await this.remote.write(delivery, () => this.remote.create(type, fields, delivery.idempotencyKey));
      return this.resultFor(object);
    }
    if (delivery.operation.endsWith('.update')) {
      const remoteId = String(fields.remoteId);
      const object = await this.remote.write(delivery, () => this.remote.update(remoteId, fields));
      return this.resultFor(object);
    }
    await this.remote.write(delivery, () => this.remote.objects.delete(String(fields.remoteId)));
    return { remoteId: String(fields.remoteId) };
  }

  async applyResult(_manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    this.applied.push({
      rowUuid: delivery.uuid,
      operation: delivery.operation,
      remoteId: result.remoteId,
      adopted: result.data?.adopted === true,
    });
  }

  async onDead(_manager: EntityManager, delivery: OutboxDelivery, error: RemoteError): Promise<void> {
    this.dead.push({ rowUuid: delivery.uuid, error });
  }

  private resultFor(object: RemoteObject): DeliveryResult {
    return {
      remoteId: object.id,
      echoes: [{ objectType: object.type, remoteId: object.id, contentHash: contentHash(object.fields) }],
    };
  }
}

export interface PulledRemoteObject extends PulledObject {
  updatedAt: Date;
  fields: Record<string, unknown>;
}

/**
 * The puller of the remote double: pages of objects sorted by update time, applied to a
 * local map. `failOn` makes applying the listed ids throw.
 */
export class RemoteDoublePuller extends RemotePuller<PulledRemoteObject> {
  readonly scope = 'issues';
  readonly local = new Map<string, PulledRemoteObject>();
  readonly pulls: { since: Date | null; overlapMs: number; cursor?: string }[] = [];
  readonly gone: string[][] = [];
  readonly localListings: Date[] = [];
  readonly failOn = new Set<string>();
  pageSize = 100;
  failPulls = false;
  /** Called inside `applyObject`, to observe the change context. */
  onApply: ((object: PulledRemoteObject) => Promise<void>) | undefined;

  constructor(
    readonly backendName: string,
    readonly remote: RemoteDouble,
  ) {
    super();
  }

  async pullChanges(since: Date | null, overlapMs: number, cursor?: string): Promise<PullPage<PulledRemoteObject>> {
    this.pulls.push({ since, overlapMs, cursor });
    if (this.failPulls) throw new RemoteError('Service Unavailable', { retryable: true, status: 503 });
    const from = since ? since.getTime() - overlapMs : -Infinity;
    const changed = [...this.remote.objects.values()]
      .filter((object) => object.updatedAt.getTime() >= from)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id.localeCompare(b.id));
    const offset = cursor ? Number(cursor) : 0;
    const page = changed.slice(offset, offset + this.pageSize);
    const objects = page.map((object) => ({ remoteId: object.id, updatedAt: object.updatedAt, fields: { ...object.fields } }));
    const last = objects[objects.length - 1];
    return {
      objects,
      newWatermark: last ? last.updatedAt : null,
      nextCursor: offset + this.pageSize < changed.length ? String(offset + this.pageSize) : undefined,
    };
  }

  async applyObject(object: PulledRemoteObject): Promise<'applied' | 'skipped'> {
    if (this.failOn.has(object.remoteId)) throw new Error(`Cannot apply ${object.remoteId}`);
    await this.onApply?.(object);
    const existing = this.local.get(object.remoteId);
    if (existing && existing.updatedAt.getTime() >= object.updatedAt.getTime()) return 'skipped';
    this.local.set(object.remoteId, object);
    return 'applied';
  }

  async listRemoteIds(): Promise<Iterable<string>> {
    return this.remote.objects.keys();
  }

  async listLocalIds(createdBefore: Date): Promise<Iterable<string>> {
    this.localListings.push(createdBefore);
    return this.local.keys();
  }

  async reconcileGone(remoteIds: string[]): Promise<void> {
    this.gone.push(remoteIds);
    for (const id of remoteIds) this.local.delete(id);
  }
}

/** The webhook body the remote double sends. */
export interface RemoteDoubleEvent {
  type: string;
  id: string;
  version: number;
  fields: Record<string, unknown>;
}

/**
 * The inbox processor of the remote double, written the way an adapter's should be:
 * one transaction that checks echo and version, applies, and would enqueue a push, all
 * inside the remote change context so the push is skipped.
 */
export class RemoteDoubleProcessor extends InboxProcessor {
  readonly local = new Map<string, { version: number; fields: Record<string, unknown> }>();
  /** Delivery ids in the order `process` saw them. */
  readonly seen: string[] = [];
  /** What `OutboxService.enqueue` returned while applying: null, because the change is remote. */
  readonly enqueueResults: (OutboxEntry | null)[] = [];
  /** Number of upcoming calls that throw, to exercise retries. */
  failNext = 0;

  constructor(
    readonly source: string,
    private readonly dataSource: DataSource,
    private readonly echo: EchoGuard,
    private readonly outbox: OutboxService,
  ) {
    super();
  }

  async process(delivery: InboxDelivery): Promise<InboxOutcome> {
    this.seen.push(delivery.deliveryId);
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('Remote API is unavailable');
    }
    const event = parseJsonBody<RemoteDoubleEvent>(delivery);
    const remoteObject = { type: event.type, id: event.id, version: event.version };

    return runWithChangeContext(remoteChange(this.source), () =>
      this.dataSource.transaction(async (manager): Promise<InboxOutcome> => {
        if (await this.echo.isEcho(manager, this.source, event.type, event.id, contentHash(event.fields))) {
          return { status: 'ignored', reason: 'Echo of our own push', remoteObject };
        }
        if (!(await acceptIfNewer(manager, this.source, event.type, event.id, event.version))) {
          return { status: 'ignored', reason: `Version ${event.version} is not newer than the applied one`, remoteObject };
        }
        this.local.set(event.id, { version: event.version, fields: event.fields });
        this.enqueueResults.push(
          await this.outbox.enqueue(manager, { backendName: this.source, operation: 'issue.update', payload: event.fields }),
        );
        return { status: 'processed', remoteObject };
      }),
    );
  }
}
