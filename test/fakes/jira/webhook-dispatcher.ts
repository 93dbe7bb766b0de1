/**
 * Delivers webhook payloads to registered targets asynchronously, the way
 * Jira Cloud does. Each delivery carries `X-Atlassian-Webhook-Identifier`,
 * which retries repeat, and `X-Atlassian-Webhook-Flow`. Retries add
 * `X-Atlassian-Webhook-Retry`, and a webhook with a secret gets
 * `X-Hub-Signature`. Deliveries are retried with back-off on 408, 409, 425,
 * 429, 5xx, timeouts and connection errors. Faults can drop, duplicate,
 * re-sign or hold deliveries.
 */
import { createHmac } from 'node:crypto';
import type http from 'node:http';

import type { ChangeEvent, FakeJiraCore, WebhookFlow } from './core';
import { compileJql } from './jql-eval';
import { JqlError } from './jql-parser';
import type { WebhookRecord } from './records';
import { buildWebhookPayload, type WebhookPayload } from './webhook-payloads';
import { postWebhook } from './webhook-transport';

export type WebhookFaultKind = 'drop' | 'duplicate' | 'bad-signature' | 'no-signature' | 'pretty-body';

export interface WebhookFaultInput {
  kind: WebhookFaultKind;
  /** How many deliveries the fault affects. Without it the fault stays until cleared. */
  times?: number;
  /** Only deliveries of this `webhookEvent`. */
  event?: string;
}

interface WebhookFault extends WebhookFaultInput {
  remaining: number | null;
}

export interface DeliveryAttempt {
  attempt: number;
  /** Real time the attempt started, epoch milliseconds. */
  startedAt: number;
  status?: number;
  error?: string;
  headers: Record<string, string>;
}

export type DeliveryState = 'scheduled' | 'held' | 'in-flight' | 'delivered' | 'failed' | 'dropped';

export interface Delivery {
  identifier: string;
  webhookId: string;
  webhookEvent: string;
  url: string;
  flow: WebhookFlow;
  /** Raw body exactly as sent. */
  body: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** Faults applied to this delivery. */
  faults: WebhookFaultKind[];
}

const RETRYABLE_STATUSES = new Set([408, 409, 425, 429]);

function substitutePlaceholders(url: string, payload: WebhookPayload, core: FakeJiraCore): string {
  const issue = payload.issue;
  const project = issue ? core.store.project(issue.projectId) : undefined;
  const values: Record<string, string | undefined> = {
    'issue.key': issue?.key,
    'issue.id': issue?.id,
    'project.key': project?.key,
    'project.id': project?.id,
    'modifiedUser.name': payload.modifiedUser.name,
    'modifiedUser.key': payload.modifiedUser.name,
    'modifiedUser.accountId': payload.modifiedUser.accountId,
  };
  return url.replace(/\$\{([^}]+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    return value === undefined ? placeholder : encodeURIComponent(value);
  });
}

/** Sends webhook deliveries and keeps their history for tests to inspect. */
export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private faults: WebhookFault[] = [];
  private holding = false;
  private held: Array<{ delivery: Delivery; secret: string | null }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<http.ClientRequest>();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private sequence = 0;
  private closed = false;
  /** Bumped by `reset`, so work started before it stops instead of touching the new state. */
  private generation = 0;

  constructor(private readonly core: FakeJiraCore) {
    core.onChange((event) => this.handle(event));
  }

  addFault(input: WebhookFaultInput): void {
    this.faults.push({ ...input, remaining: input.times ?? null });
  }

  clearFaults(): void {
    this.faults = [];
  }

  listFaults(): WebhookFaultInput[] {
    return this.faults.map((fault) => ({ kind: fault.kind, event: fault.event, times: fault.remaining ?? undefined }));
  }

  /** Keeps new deliveries back until `release`, so tests can reorder them. */
  hold(): void {
    this.holding = true;
  }

  /** Sends held deliveries one after another, in arrival order or reversed, and stops holding. */
  async release(order: 'fifo' | 'reverse' = 'fifo'): Promise<void> {
    this.holding = false;
    const batch = order === 'reverse' ? [...this.held].reverse() : [...this.held];
    this.held = [];
    const generation = this.generation;
    for (const { delivery, secret } of batch) {
      if (generation !== this.generation) {
        return;
      }
      delivery.state = 'scheduled';
      this.busy += 1;
      try {
        await this.attempt(delivery, secret);
      } finally {
        this.settle(generation);
      }
    }
  }

  heldCount(): number {
    return this.held.length;
  }

  clearHistory(): void {
    this.deliveries.length = 0;
  }

  /** Resolves once no delivery is scheduled or in flight. Held deliveries do not count. */
  whenIdle(): Promise<void> {
    if (this.busy === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels pending retries, aborts requests in flight and drops held deliveries. */
  close(): void {
    this.closed = true;
    this.reset();
  }

  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const request of this.requests) {
      request.destroy();
    }
    this.requests.clear();
    this.held = [];
    this.holding = false;
    this.faults = [];
    this.deliveries.length = 0;
    this.busy = 0;
    this.flushIdle();
  }

  /** Counts one scheduled task as done, unless a reset has already discarded it. */
  private settle(generation: number): void {
    if (generation === this.generation) {
      this.busy -= 1;
      this.flushIdle();
    }
  }

  private flushIdle(): void {
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  private nextIdentifier(): string {
    this.sequence += 1;
    return `00000000-0000-4000-8000-${String(this.sequence).padStart(12, '0')}`;
  }

  private takeFaults(webhookEvent: string): WebhookFaultKind[] {
    const applied: WebhookFaultKind[] = [];
    for (const fault of this.faults) {
      if ((fault.event && fault.event !== webhookEvent) || fault.remaining === 0) {
        continue;
      }
      applied.push(fault.kind);
      if (fault.remaining !== null) {
        fault.remaining -= 1;
      }
    }
    this.faults = this.faults.filter((fault) => fault.remaining !== 0);
    return applied;
  }

  private matches(webhook: WebhookRecord, payload: WebhookPayload): boolean {
    if (!webhook.enabled || !webhook.events.includes(payload.webhookEvent)) {
      return false;
    }
    if (!webhook.jqlFilter.trim() || !payload.issue) {
      return true;
    }
    try {
      return compileJql(this.core, webhook.jqlFilter).matches(payload.issue, null);
    } catch (error) {
      // A filter can stop compiling after registration, e.g. `key = SUP-1` once SUP-1 is deleted, and then it matches nothing.
      if (error instanceof JqlError) {
        return false;
      }
      throw error;
    }
  }

  private handle(event: ChangeEvent): void {
    if (this.closed) {
      return;
    }
    const payload = buildWebhookPayload(this.core, event);
    if (!payload) {
      return;
    }
    for (const webhook of this.core.store.webhooks.values()) {
      if (this.matches(webhook, payload)) {
        this.enqueue(webhook, payload);
      }
    }
  }

  private enqueue(webhook: WebhookRecord, payload: WebhookPayload): void {
    const faults = this.takeFaults(payload.webhookEvent);
    let body = '';
    if (!webhook.excludeBody) {
      const indent = faults.includes('pretty-body') ? 2 : undefined;
      body = JSON.stringify(payload.body, null, indent);
    }
    const delivery: Delivery = {
      identifier: this.nextIdentifier(),
      webhookId: webhook.id,
      webhookEvent: payload.webhookEvent,
      url: substitutePlaceholders(webhook.url, payload, this.core),
      flow: payload.flow,
      body,
      state: 'scheduled',
      attempts: [],
      faults,
    };
    this.deliveries.push(delivery);
    if (faults.includes('drop')) {
      delivery.state = 'dropped';
      return;
    }
    if (this.holding) {
      delivery.state = 'held';
      this.held.push({ delivery, secret: webhook.secret });
      return;
    }
    const settings = this.core.settings;
    const delay = payload.flow === 'Secondary' ? settings.webhookSecondaryDelayMs : settings.webhookDelayMs;
    this.schedule(delay, () => this.attempt(delivery, webhook.secret));
  }

  private schedule(delayMs: number, task: () => Promise<void>): void {
    this.busy += 1;
    const generation = this.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task().finally(() => this.settle(generation));
    }, delayMs);
    this.timers.add(timer);
  }

  private headersFor(delivery: Delivery, secret: string | null, retry: number): Record<string, string> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=UTF-8',
      'User-Agent': 'Atlassian Webhook HTTP Client',
      'X-Atlassian-Webhook-Identifier': delivery.identifier,
      'X-Atlassian-Webhook-Flow': delivery.flow,
    };
    if (retry > 0) {
      headers['X-Atlassian-Webhook-Retry'] = String(retry);
    }
    if (secret && !delivery.faults.includes('no-signature')) {
      const signed = delivery.faults.includes('bad-signature') ? `${delivery.body} ` : delivery.body;
      headers['X-Hub-Signature'] = `sha256=${createHmac('sha256', secret).update(signed, 'utf8').digest('hex')}`;
    }
    return headers;
  }

  private isRetryable(attempt: DeliveryAttempt): boolean {
    if (attempt.status === undefined) {
      return true;
    }
    if (attempt.status >= 200 && attempt.status < 300) {
      return false;
    }
    return this.core.settings.webhookRetryAllNon2xx || RETRYABLE_STATUSES.has(attempt.status) || attempt.status >= 500;
  }

  private async attempt(delivery: Delivery, secret: string | null): Promise<void> {
    if (this.closed) {
      return;
    }
    const generation = this.generation;
    const retry = delivery.attempts.length;
    const headers = this.headersFor(delivery, secret, retry);
    delivery.state = 'in-flight';
    const result = await postWebhook(delivery.url, headers, delivery.body, this.core.settings.webhookTimeoutMs, this.requests);
    const attempt: DeliveryAttempt = { attempt: retry, startedAt: result.startedAt, headers, ...result.outcome };
    delivery.attempts.push(attempt);
    if (this.closed || generation !== this.generation) {
      return;
    }
    const retryable = this.isRetryable(attempt);
    if (!retryable) {
      delivery.state = attempt.status !== undefined && attempt.status < 300 ? 'delivered' : 'failed';
    }
    const duplicateNow = delivery.faults.includes('duplicate') && retry === 0 && !retryable;
    const delays = this.core.settings.webhookRetryDelaysMs;
    if (duplicateNow) {
      // A lost acknowledgement: Jira sends the same delivery again as a retry.
      this.schedule(delays[0] ?? 0, () => this.attempt(delivery, secret));
    } else if (retryable && retry < delays.length) {
      delivery.state = 'scheduled';
      this.schedule(delays[retry], () => this.attempt(delivery, secret));
    } else if (retryable) {
      delivery.state = 'failed';
    }
  }
}
