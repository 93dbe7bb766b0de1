import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { AgentActions } from './agent';
import { createApp } from './app';
import { FakeClock, SeededUuids } from './clock';
import { DEFAULT_SETTINGS, type FakeContext, type FakeSettings } from './context';
import { FakeDataView } from './data-view';
import { FaultInjector } from './faults';
import { RequestLog } from './request-log';
import { controlRoutes } from './routes/control.routes';
import { SearchIndex } from './search-index';
import { FAKE_TOKENS } from './seed-data';
import { FakeStore } from './store';
import { WebhookControls } from './webhook-controls';
import { WebhookDispatcher } from './webhook-dispatcher';

export interface StartFakeZammadOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback address to bind: 127.0.0.1 (the default), ::1 or localhost. */
  host?: string;
  /** Seed for generated ids such as `X-Zammad-Delivery`; the same seed gives the same ids. */
  seed?: string;
  /** Time source; real time by default. */
  now?: () => Date;
  /** Behaviour switches; `reset()` returns to these. */
  settings?: Partial<FakeSettings>;
}

/** The part of a fake that exists before it listens; the control routes use it. */
export type FakeZammadControls = Omit<FakeZammad, 'url' | 'port'>;

/** A running fake Zammad with its test controls. */
export interface FakeZammad {
  /** Base URL without a trailing slash, for example `http://127.0.0.1:8082`. */
  readonly url: string;
  readonly port: number;
  readonly tokens: typeof FAKE_TOKENS;
  readonly clock: FakeClock;
  /** Live behaviour switches; change them with `configure`. */
  readonly settings: Readonly<FakeSettings>;
  readonly requests: RequestLog;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookControls;
  readonly agent: AgentActions;
  readonly data: FakeDataView;
  configure(settings: Partial<FakeSettings>): void;
  /** Makes index-backed searches lag writes by `milliseconds`. */
  setSearchDelay(milliseconds: number, options?: { includeConditionSearch?: boolean }): void;
  /** Restores seed data and start settings, and clears logs, faults, webhooks and deliveries. */
  reset(): void;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the fake on a loopback address and resolves once it is listening. */
export async function startFakeZammad(options: StartFakeZammadOptions = {}): Promise<FakeZammad> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`Invalid host ${host}: the fake Zammad only binds to 127.0.0.1, ::1 or localhost`);
  }
  const startSettings: FakeSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const clock = new FakeClock(options.now);
  let baseUrl = '';
  const ctx: FakeContext = {
    store: new FakeStore(clock.timestamp()),
    clock,
    uuids: new SeededUuids(options.seed ?? 'fake-zammad'),
    settings: structuredClone(startSettings),
    searchIndex: new SearchIndex(),
    notifyChange: () => undefined,
    baseUrl: () => baseUrl,
  };
  const dispatcher = new WebhookDispatcher(ctx);
  ctx.notifyChange = (change) => dispatcher.enqueue(change);
  const requests = new RequestLog(clock);
  const faults = new FaultInjector();

  const fake: FakeZammadControls = {
    tokens: FAKE_TOKENS,
    clock,
    settings: ctx.settings,
    requests,
    faults,
    webhooks: new WebhookControls(ctx, dispatcher),
    agent: new AgentActions(ctx),
    data: new FakeDataView(ctx),
    configure: (settings) => Object.assign(ctx.settings, settings),
    setSearchDelay: (milliseconds, delayOptions = {}) => {
      ctx.settings.searchDelayMs = milliseconds;
      ctx.settings.searchDelayIncludesConditionSearch = delayOptions.includeConditionSearch ?? false;
    },
    reset: () => {
      clock.useRealTime();
      dispatcher.reset();
      requests.clear();
      faults.clear();
      Object.assign(ctx.settings, structuredClone(startSettings));
      ctx.uuids.reset();
      ctx.store.reset(clock.timestamp());
      ctx.searchIndex.reset();
      indexSeedUsers(ctx);
    },
    close: () => Promise.resolve(),
  };
  indexSeedUsers(ctx);

  const app = createApp(ctx, { requests, faults, controlRoutes: controlRoutes(fake) });
  const server = await listen(app, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...fake,
    url: baseUrl,
    port,
    close: async () => {
      dispatcher.close();
      await closeServer(server);
    },
  };
}

function indexSeedUsers(ctx: FakeContext): void {
  for (const user of ctx.store.users.values()) {
    ctx.searchIndex.indexUser(ctx.store, user.id, ctx.clock.now().getTime(), 0);
  }
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
