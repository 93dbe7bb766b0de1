import type http from 'node:http';

import type { FakeContext, TicketChange } from './context';
import { encodeRailsJson } from './http-responses';
import { buildWebhookPayload } from './webhook-payload';
import { buildWebhookHeaders, sendWebhook } from './webhook-sender';

/** Zammad's TriggerWebhookJob makes 5 attempts in all (`retry_on ... attempts: 5`). */
export const MAX_ATTEMPTS = 5;

export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  /** Receiver's status, or null when nothing was sent or no response arrived. */
  status: number | null;
  error: string | null;
  /** False when an injected fault failed the attempt before sending. */
  sent: boolean;
  /** True for the extra copy sent by a `duplicate` fault. */
  duplicate: boolean;
  succeeded: boolean;
  body: string;
  headers: Record<string, string>;
}

export type DeliveryState = 'held' | 'pending' | 'delivered' | 'failed' | 'discarded' | 'cancelled';

export interface WebhookDelivery {
  /** Value of `X-Zammad-Delivery`; the same on every attempt. */
  deliveryId: string;
  webhookId: number;
  triggerName: string;
  endpoint: string;
  ticketId: number;
  articleId: number | null;
  state: DeliveryState;
  createdAt: string;
  attempts: DeliveryAttempt[];
}

/**
 * Webhook fault. `duplicate` sends each successful delivery a second time with the
 * same delivery id. `fail-attempts` fails the first `attempts` attempts of a
 * delivery, so the retry schedule runs. With `sendToReceiver` those attempts are
 * still sent and their responses ignored, like a response that timed out after the
 * receiver processed it.
 */
export interface WebhookFaultInput {
  kind: 'duplicate' | 'fail-attempts';
  attempts?: number;
  sendToReceiver?: boolean;
  /** Number of deliveries the fault applies to; all deliveries when omitted. */
  times?: number;
}

export interface WebhookFault extends Required<Omit<WebhookFaultInput, 'times'>> {
  id: number;
  remaining: number | null;
}

interface DeliveryPlan {
  delivery: WebhookDelivery;
  frozenBody: string | null;
  failAttempts: number;
  sendFailedAttempts: boolean;
  duplicate: boolean;
}

/**
 * Sends trigger webhooks for every committed ticket change to every active webhook,
 * like a Zammad trigger with no conditions: asynchronously, with up to 5 attempts and
 * growing waits (`webhookRetryDelaysMs`), and with injectable delivery faults.
 */
export class WebhookDispatcher {
  private deliveries: DeliveryPlan[] = [];
  private faults: WebhookFault[] = [];
  private nextFaultId = 1;
  private holding = false;
  private heldPlans: DeliveryPlan[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private requests = new Set<http.ClientRequest>();
  private idleWaiters: Array<() => void> = [];
  private triggerNames = new Map<number, string>();
  private closed = false;

  constructor(private readonly ctx: FakeContext) {}

  /** Trigger name sent in `X-Zammad-Trigger` for a webhook; the webhook's name by default. */
  setTriggerName(webhookId: number, name: string): void {
    this.triggerNames.set(webhookId, name);
  }

  enqueue(change: TicketChange): void {
    if (this.closed) {
      return;
    }
    for (const webhook of this.ctx.store.webhooks.values()) {
      if (!webhook.active) {
        continue;
      }
      const plan = this.plan(change, webhook.id, webhook.name, webhook.endpoint);
      this.deliveries.push(plan);
      if (this.holding) {
        plan.delivery.state = 'held';
        this.heldPlans.push(plan);
      } else {
        this.schedule(plan, 1, 0);
      }
    }
  }

  list(): WebhookDelivery[] {
    return this.deliveries.map((plan) => plan.delivery);
  }

  addFault(input: WebhookFaultInput): WebhookFault {
    if (input.kind !== 'duplicate' && input.kind !== 'fail-attempts') {
      throw new Error(`Invalid webhook fault kind ${JSON.stringify(input.kind)}: use duplicate or fail-attempts`);
    }
    const fault: WebhookFault = {
      id: this.nextFaultId++,
      kind: input.kind,
      attempts: input.attempts ?? 1,
      sendToReceiver: input.sendToReceiver ?? false,
      remaining: input.times ?? null,
    };
    this.faults.push(fault);
    return fault;
  }

  listFaults(): WebhookFault[] {
    return [...this.faults];
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Keeps new deliveries back until `release`. */
  hold(): void {
    this.holding = true;
  }

  /**
   * Sends the held deliveries one after another, in reverse order by default, and
   * resolves when each has had its first attempt. Retries follow their usual schedule.
   */
  async release(order: 'reverse' | 'original' = 'reverse'): Promise<WebhookDelivery[]> {
    this.holding = false;
    const plans = order === 'reverse' ? [...this.heldPlans].reverse() : [...this.heldPlans];
    this.heldPlans = [];
    for (const plan of plans) {
      plan.delivery.state = 'pending';
      await this.runAttempt(plan, 1);
    }
    return plans.map((plan) => plan.delivery);
  }

  /** Resolves once no attempt is running or waiting; held deliveries do not count. */
  waitForIdle(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== done);
        reject(new Error(`Webhook deliveries still running after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  /** Forgets deliveries, faults, the hold and trigger names, and cancels pending attempts. */
  reset(): void {
    this.cancelPending();
    this.deliveries = [];
    this.faults = [];
    this.nextFaultId = 1;
    this.heldPlans = [];
    this.holding = false;
    this.triggerNames.clear();
    this.notifyIfIdle();
  }

  close(): void {
    this.closed = true;
    this.cancelPending();
    this.notifyIfIdle();
  }

  private plan(change: TicketChange, webhookId: number, webhookName: string, endpoint: string): DeliveryPlan {
    const failure = this.takeFault('fail-attempts');
    const duplicate = this.takeFault('duplicate');
    const frozen =
      this.ctx.settings.webhookPayloadTiming === 'event' ? this.buildBody(change.ticketId, change.articleId) : null;
    return {
      delivery: {
        deliveryId: this.ctx.uuids.next(),
        webhookId,
        triggerName: this.triggerNames.get(webhookId) ?? webhookName,
        endpoint,
        ticketId: change.ticketId,
        articleId: change.articleId,
        state: 'pending',
        createdAt: this.ctx.clock.timestamp(),
        attempts: [],
      },
      frozenBody: frozen,
      failAttempts: failure ? failure.attempts : 0,
      sendFailedAttempts: failure ? failure.sendToReceiver : false,
      duplicate: duplicate !== undefined,
    };
  }

  private takeFault(kind: WebhookFault['kind']): WebhookFault | undefined {
    const fault = this.faults.find((candidate) => candidate.kind === kind && candidate.remaining !== 0);
    if (fault && fault.remaining !== null) {
      fault.remaining -= 1;
    }
    return fault;
  }

  private schedule(plan: DeliveryPlan, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.runAttempt(plan, attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private buildBody(ticketId: number, articleId: number | null): string | null {
    const payload = buildWebhookPayload(this.ctx.store, ticketId, articleId, {
      baseUrl: this.ctx.baseUrl(),
      absentArticle: this.ctx.settings.webhookAbsentArticle,
    });
    return payload === null ? null : encodeRailsJson(payload);
  }

  private async runAttempt(plan: DeliveryPlan, attempt: number): Promise<void> {
    const { delivery } = plan;
    if (this.closed || delivery.state !== 'pending') {
      this.notifyIfIdle();
      return;
    }
    const webhook = this.ctx.store.webhooks.get(delivery.webhookId);
    const body = plan.frozenBody ?? this.buildBody(delivery.ticketId, delivery.articleId);
    if (!webhook || !webhook.active || body === null) {
      // Zammad discards the job when the webhook, ticket or article is gone.
      delivery.state = 'discarded';
      this.notifyIfIdle();
      return;
    }
    this.inFlight += 1;
    try {
      const headers = buildWebhookHeaders({
        triggerName: delivery.triggerName,
        deliveryId: delivery.deliveryId,
        body,
        signatureToken: webhook.signature_token,
        basicAuthUsername: webhook.basic_auth_username,
        basicAuthPassword: webhook.basic_auth_password,
      });
      const injectedFailure = attempt <= plan.failAttempts;
      const succeeded = await this.send(plan, attempt, webhook.endpoint, webhook.ssl_verify, body, headers, {
        injectedFailure,
        duplicate: false,
      });
      if (succeeded && plan.duplicate) {
        await this.send(plan, attempt, webhook.endpoint, webhook.ssl_verify, body, headers, {
          injectedFailure: false,
          duplicate: true,
        });
      }
      this.finishAttempt(plan, attempt, succeeded);
    } finally {
      this.inFlight -= 1;
      this.notifyIfIdle();
    }
  }

  private async send(
    plan: DeliveryPlan,
    attempt: number,
    endpoint: string,
    sslVerify: boolean,
    body: string,
    headers: Record<string, string>,
    mode: { injectedFailure: boolean; duplicate: boolean },
  ): Promise<boolean> {
    const record: DeliveryAttempt = {
      attempt,
      startedAt: this.ctx.clock.timestamp(),
      status: null,
      error: null,
      sent: false,
      duplicate: mode.duplicate,
      succeeded: false,
      body,
      headers,
    };
    plan.delivery.attempts.push(record);
    if (mode.injectedFailure && !plan.sendFailedAttempts) {
      record.error = 'Injected failure: attempt not sent';
      return false;
    }
    const response = await sendWebhook(
      { endpoint, body, headers, sslVerify, timeoutMs: this.ctx.settings.webhookTimeoutMs },
      (request) => {
        this.requests.add(request);
        request.on('close', () => this.requests.delete(request));
      },
    );
    record.sent = true;
    record.status = response.status;
    record.error = response.error;
    record.succeeded = response.status !== null && response.status >= 200 && response.status < 300;
    if (mode.injectedFailure) {
      record.error = 'Injected failure: response ignored';
      record.succeeded = false;
    }
    return record.succeeded;
  }

  private finishAttempt(plan: DeliveryPlan, attempt: number, succeeded: boolean): void {
    const { delivery } = plan;
    if (delivery.state !== 'pending') {
      return;
    }
    if (succeeded) {
      delivery.state = 'delivered';
      return;
    }
    if (attempt >= MAX_ATTEMPTS) {
      delivery.state = 'failed';
      return;
    }
    const delays = this.ctx.settings.webhookRetryDelaysMs;
    const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
    this.schedule(plan, attempt + 1, delay);
  }

  private cancelPending(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const request of this.requests) {
      request.destroy(new Error('fake Zammad closed'));
    }
    for (const plan of this.deliveries) {
      if (plan.delivery.state === 'pending' || plan.delivery.state === 'held') {
        plan.delivery.state = 'cancelled';
      }
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.timers.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) {
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) {
      waiter();
    }
  }
}
