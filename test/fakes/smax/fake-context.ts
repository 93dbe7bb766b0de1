import type { SessionStore } from './auth';
import type { FakeClock } from './clock';
import type { FakeSmaxConfig } from './config';
import type { FaultRegistry } from './faults';
import type { RequestLog } from './request-log';
import type { SmaxStore } from './store';
import type { WebhookNotifier } from './webhooks';

/** Shared state of one running fake, handed to every route and control function. */
export interface FakeContext {
  readonly tenantId: string;
  config: FakeSmaxConfig;
  readonly clock: FakeClock;
  readonly store: SmaxStore;
  readonly sessions: SessionStore;
  readonly faults: FaultRegistry;
  readonly requestLog: RequestLog;
  readonly webhooks: WebhookNotifier;
}
