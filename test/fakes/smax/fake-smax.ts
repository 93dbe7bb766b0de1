import { once } from 'node:events';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { AgentActions } from './agent';
import { createSmaxApp } from './app';
import { SessionStore } from './auth';
import { FakeClock } from './clock';
import { applyConfigPatch, defaultConfig, FakeSmaxConfig } from './config';
import { isEntityType } from './entity-schema';
import { FakeInputError } from './errors';
import { FakeContext } from './fake-context';
import { FaultRegistry, FaultRule, FaultRuleInput } from './faults';
import { describeFile, FileDescription } from './files';
import { RequestLog, RequestLogEntry } from './request-log';
import { EmsProperties, StoredComment, StoredFile, StoredRelationship } from './smax-types';
import { SmaxStore } from './store';
import { WebhookDelivery, WebhookFault, WebhookNotifier, WebhookTarget, WebhookTargetInput } from './webhooks';

export interface FakeSmaxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback address to bind; default 127.0.0.1. Other addresses are rejected. */
  host?: string;
  /** Tenant id in `/rest/{tenant}` and `?TENANTID=`; default 100000000. */
  tenantId?: string;
  /** Cookie that carries the token; default LWSSO_COOKIE_KEY (newer servers use SMAX_AUTH_TOKEN). */
  cookieName?: string;
  /** Time source in epoch milliseconds; default Date.now. */
  now?: () => number;
  /** Knobs to change from their defaults; they are restored by reset(). */
  config?: Partial<FakeSmaxConfig>;
}

function checkLoopback(host: string): void {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new FakeInputError(`The fake SMAX binds to loopback addresses only; got host ${host}.`);
  }
}

/**
 * A running fake SMAX server. The methods are the same controls that the
 * HTTP control API under `/__fake/` offers.
 */
export class FakeSmax {
  readonly url: string;
  readonly port: number;
  readonly tenantId: string;
  /** Base of the tenant's REST API: `<url>/rest/<tenant>`. */
  readonly restUrl: string;
  /** Actions of the SMAX agent, sent through the same operations as the REST API. */
  readonly agent: AgentActions;

  constructor(
    private readonly server: Server,
    private readonly ctx: FakeContext,
    private readonly initialConfig: FakeSmaxConfig,
    host: string,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    this.tenantId = ctx.tenantId;
    this.restUrl = `${this.url}/rest/${ctx.tenantId}`;
    this.agent = new AgentActions(ctx);
  }

  /** Stops the server, abandoning open connections and webhook deliveries. */
  async close(): Promise<void> {
    this.ctx.webhooks.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Restores the state after start: seed records only, no sessions, faults, targets or log, and the initial config. */
  reset(): void {
    this.ctx.config = structuredClone(this.initialConfig);
    this.ctx.clock.reset();
    this.ctx.store.reset();
    this.ctx.sessions.reset();
    this.ctx.faults.clear();
    this.ctx.webhooks.reset();
    this.ctx.requestLog.clear();
  }

  getConfig(): FakeSmaxConfig {
    return structuredClone(this.ctx.config);
  }

  /** Changes knobs; raises FakeInputError on unknown keys or invalid values and then changes nothing. */
  configure(patch: Partial<FakeSmaxConfig>): FakeSmaxConfig {
    this.ctx.config = applyConfigPatch(this.ctx.config, patch);
    return this.getConfig();
  }

  now(): number {
    return this.ctx.clock.now();
  }

  /** Moves the fake's clock forward, e.g. past a token lifetime or a visibility delay; returns the new time. */
  advanceClock(ms: number): number {
    if (!Number.isInteger(ms) || ms < 0) {
      throw new FakeInputError(`Clock advance must be an integer number of milliseconds >= 0, got ${JSON.stringify(ms)}.`);
    }
    return this.ctx.clock.advance(ms);
  }

  /** Expires every token, or only the tokens of `login`; the next request with one gets 401. Returns the count. */
  expireTokens(login?: string): number {
    return this.ctx.sessions.expireAll(login);
  }

  requestLog(): RequestLogEntry[] {
    return this.ctx.requestLog.list();
  }

  clearRequestLog(): void {
    this.ctx.requestLog.clear();
  }

  addFault(rule: FaultRuleInput): FaultRule {
    return this.ctx.faults.add(rule);
  }

  listFaults(): FaultRule[] {
    return this.ctx.faults.list();
  }

  removeFault(id: string): boolean {
    return this.ctx.faults.remove(id);
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  addWebhookTarget(target: WebhookTargetInput): WebhookTarget {
    return this.ctx.webhooks.addTarget(target);
  }

  listWebhookTargets(): WebhookTarget[] {
    return this.ctx.webhooks.listTargets();
  }

  removeWebhookTarget(id: string): boolean {
    return this.ctx.webhooks.removeTarget(id);
  }

  clearWebhookTargets(): void {
    this.ctx.webhooks.clearTargets();
  }

  /** Sends `{"id": requestId}` to every target now, even with `autoNotify` off, and returns the queued deliveries. */
  sendWebhook(requestId: string): WebhookDelivery[] {
    return this.ctx.webhooks.send(requestId);
  }

  addWebhookFault(fault: WebhookFault): void {
    this.ctx.webhooks.addFault(fault);
  }

  clearWebhookFaults(): void {
    this.ctx.webhooks.clearFaults();
  }

  /** Sends held deliveries one by one, newest first unless `order` is `fifo`; returns how many. */
  releaseWebhooks(order: 'reverse' | 'fifo' = 'reverse'): number {
    return this.ctx.webhooks.release(order);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.ctx.webhooks.deliveries();
  }

  /** Forgets finished deliveries; held and pending ones stay. */
  clearWebhookDeliveries(): void {
    this.ctx.webhooks.clearDeliveries();
  }

  /** Resolves when no delivery is being sent or retried; held deliveries do not count. */
  waitForWebhooks(timeoutMs?: number): Promise<void> {
    return this.ctx.webhooks.idle(timeoutMs);
  }

  /** Returns the latest stored properties of a record, whether EMS queries see them yet or not. */
  getEntity(type: string, id: string): EmsProperties | undefined {
    return this.ctx.store.current(this.entityType(type), id);
  }

  listEntities(type: string): EmsProperties[] {
    return this.ctx.store.list(this.entityType(type), 'current');
  }

  getComments(requestId: string): StoredComment[] {
    return this.ctx.store.commentsOf(requestId);
  }

  getFile(guid: string): StoredFile | undefined {
    const file = this.ctx.store.files.get(guid);
    return file ? { ...file, content: Buffer.from(file.content) } : undefined;
  }

  listFiles(): FileDescription[] {
    return [...this.ctx.store.files.values()].map(describeFile);
  }

  relationships(): StoredRelationship[] {
    return structuredClone(this.ctx.store.relationships);
  }

  private entityType(type: string) {
    if (!isEntityType(type)) {
      throw new FakeInputError(`Entity type "${type}" is not stored by the fake; use Request, Person or ITProcessRecordCategory.`);
    }
    return type;
  }
}

/** Starts a fake SMAX on a loopback address and resolves once it listens. */
export async function startFakeSmax(options: FakeSmaxOptions = {}): Promise<FakeSmax> {
  const host = options.host ?? '127.0.0.1';
  checkLoopback(host);
  const initialConfig = applyConfigPatch(defaultConfig(options.cookieName), options.config ?? {});
  const clock = new FakeClock(options.now);
  const ctx: FakeContext = {
    tenantId: options.tenantId ?? '100000000',
    config: structuredClone(initialConfig),
    clock,
    store: new SmaxStore(clock, (type) => ctx.config.visibilityDelayMs[type] ?? 0),
    sessions: new SessionStore(clock, () => ctx.config.tokenTtlMs),
    faults: new FaultRegistry(),
    requestLog: new RequestLog(clock),
    webhooks: new WebhookNotifier(() => ctx.config, clock),
  };
  // The control routes need the FakeSmax, which needs the listening server, so they read it late.
  const started: { fake?: FakeSmax } = {};
  const app = createSmaxApp(ctx, () => {
    if (!started.fake) {
      throw new Error('The fake SMAX is not listening yet.');
    }
    return started.fake;
  });
  const server = app.listen(options.port ?? 0, host);
  await once(server, 'listening');
  started.fake = new FakeSmax(server, ctx, initialConfig, host);
  return started.fake;
}
