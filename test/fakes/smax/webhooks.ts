import { FakeClock } from './clock';
import { FakeSmaxConfig } from './config';
import { FakeInputError } from './errors';
import { Actor } from './smax-types';

/**
 * Change notifications. SMAX has no built-in outbound webhook. Instead, a
 * tenant administrator configures a business rule that POSTs
 * `{"id": "<request id>"}` to the integration, optionally with a shared secret
 * in a header. The fake sends that body to every registered target after each
 * Request change.
 */

export interface WebhookTarget {
  id: string;
  url: string;
  secret?: string;
  secretHeader: string;
}

export interface WebhookTargetInput {
  /** Loopback http(s) URL of the receiver. */
  url: string;
  secret?: string;
  /** Header that carries the secret; default X-Smax-Webhook-Secret. */
  secretHeader?: string;
}

export interface WebhookAttempt {
  time: number;
  status?: number;
  error?: string;
}

export interface WebhookDelivery {
  id: string;
  targetId: string;
  url: string;
  requestId: string;
  body: string;
  headers: Record<string, string>;
  state: 'held' | 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  /** Id of the delivery this one repeats, when a duplicate fault made it. */
  duplicateOf?: string;
  /** Login whose change caused the delivery; absent for deliveries sent on demand. */
  changedBy?: string;
}

/**
 * Webhook fault: `duplicate` sends the notifications of the next `times` Request changes (or of every change) twice,
 * and `hold` queues deliveries until they are released.
 */
export type WebhookFault = { kind: 'duplicate'; times?: number } | { kind: 'hold' };

export const DEFAULT_SECRET_HEADER = 'X-Smax-Webhook-Secret';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export class WebhookNotifier {
  private targets: WebhookTarget[] = [];
  private log: WebhookDelivery[] = [];
  private held: WebhookDelivery[] = [];
  private holding = false;
  /** Changes whose notifications are still to be duplicated: null for every change, 0 for none. */
  private duplicatesLeft: number | null = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();
  private targetSequence = 0;
  private deliverySequence = 0;

  constructor(
    private readonly config: () => FakeSmaxConfig,
    private readonly clock: FakeClock,
  ) {}

  /** Registers a target; only loopback URLs are accepted so the fake never calls another host. */
  addTarget(input: unknown): WebhookTarget {
    const { url, secret, secretHeader = DEFAULT_SECRET_HEADER } = (input ?? {}) as Record<string, unknown>;
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      throw new FakeInputError(`Webhook "url" must be an absolute URL, got ${JSON.stringify(url)}.`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || !(LOOPBACK_HOSTS.includes(parsed.hostname) || /^127\./.test(parsed.hostname))) {
      throw new FakeInputError(`Webhook "url" must be an http(s) URL on the loopback interface, got ${String(url)}.`);
    }
    if (secret !== undefined && typeof secret !== 'string') {
      throw new FakeInputError('Webhook "secret" must be a string.');
    }
    if (typeof secretHeader !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(secretHeader)) {
      throw new FakeInputError(`Webhook "secretHeader" must be an HTTP header name, got ${JSON.stringify(secretHeader)}.`);
    }
    this.targetSequence += 1;
    const target: WebhookTarget = { id: `target-${this.targetSequence}`, url: parsed.href, secret, secretHeader };
    this.targets.push(target);
    return { ...target };
  }

  listTargets(): WebhookTarget[] {
    return this.targets.map((target) => ({ ...target }));
  }

  removeTarget(id: string): boolean {
    const before = this.targets.length;
    this.targets = this.targets.filter((target) => target.id !== id);
    return this.targets.length < before;
  }

  clearTargets(): void {
    this.targets = [];
  }

  /** Queues notifications for a Request changed through the API, unless `autoNotify` is off. */
  requestChanged(requestId: string, actor: Actor): void {
    if (this.config().autoNotify) {
      this.enqueue(requestId, actor.login);
    }
  }

  /** Queues notifications for a Request on demand, even with `autoNotify` off, and returns the new deliveries. */
  send(requestId: string): WebhookDelivery[] {
    return this.enqueue(requestId, undefined);
  }

  addFault(input: unknown): void {
    const { kind, times } = (input ?? {}) as Record<string, unknown>;
    if (kind === 'hold') {
      this.holding = true;
    } else if (kind === 'duplicate') {
      if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1)) {
        throw new FakeInputError(`Webhook fault "times" must be an integer >= 1, got ${JSON.stringify(times)}.`);
      }
      this.duplicatesLeft = times === undefined ? null : (times as number);
    } else {
      throw new FakeInputError(`Webhook fault "kind" must be "duplicate" or "hold", got ${JSON.stringify(kind)}.`);
    }
  }

  /** Stops duplicating and holding; deliveries already held stay queued until released. */
  clearFaults(): void {
    this.holding = false;
    this.duplicatesLeft = 0;
  }

  /** Sends the held deliveries one after another, newest first for `reverse`; returns how many were released. */
  release(order: 'reverse' | 'fifo' = 'reverse'): number {
    const batch = order === 'reverse' ? [...this.held].reverse() : [...this.held];
    this.held = [];
    for (const delivery of batch) {
      delivery.state = 'pending';
    }
    const signal = this.abort.signal;
    this.track(
      (async () => {
        for (const delivery of batch) {
          await this.deliver(delivery, signal);
        }
      })(),
    );
    return batch.length;
  }

  deliveries(): WebhookDelivery[] {
    return structuredClone(this.log);
  }

  clearDeliveries(): void {
    this.log = this.log.filter((delivery) => delivery.state === 'held' || delivery.state === 'pending');
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Resolves when no delivery is being sent or retried (held ones do not count); rejects after `timeoutMs`. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(`Webhook deliveries still in flight after ${timeoutMs} ms.`);
      }
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  }

  /** Forgets targets, faults and deliveries, and abandons deliveries still being sent. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.targets = [];
    this.log = [];
    this.held = [];
    this.inFlight.clear();
    this.clearFaults();
    this.targetSequence = 0;
    this.deliverySequence = 0;
  }

  private enqueue(requestId: string, changedBy: string | undefined): WebhookDelivery[] {
    const created: WebhookDelivery[] = [];
    for (const target of this.targets) {
      const original = this.newDelivery(target, requestId, changedBy);
      created.push(original);
      if (this.duplicatesLeft === null || this.duplicatesLeft > 0) {
        created.push({ ...this.newDelivery(target, requestId, changedBy), duplicateOf: original.id });
      }
    }
    if (this.duplicatesLeft !== null && this.duplicatesLeft > 0 && created.length > 0) {
      this.duplicatesLeft -= 1;
    }
    for (const delivery of created) {
      this.log.push(delivery);
      if (this.holding) {
        delivery.state = 'held';
        this.held.push(delivery);
      } else {
        this.track(this.deliver(delivery, this.abort.signal));
      }
    }
    return structuredClone(created);
  }

  private newDelivery(target: WebhookTarget, requestId: string, changedBy: string | undefined): WebhookDelivery {
    this.deliverySequence += 1;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'fake-smax' };
    if (target.secret !== undefined) {
      headers[target.secretHeader] = target.secret;
    }
    return {
      id: `delivery-${this.deliverySequence}`,
      targetId: target.id,
      url: target.url,
      requestId,
      body: JSON.stringify({ id: requestId }),
      headers,
      state: 'pending',
      attempts: [],
      changedBy,
    };
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** POSTs one delivery, retrying non-2xx responses and network errors up to `webhookRetries` times. */
  private async deliver(delivery: WebhookDelivery, signal: AbortSignal): Promise<void> {
    const { webhookRetries, webhookRetryDelayMs, webhookTimeoutMs } = this.config();
    for (let attempt = 0; attempt <= webhookRetries && !signal.aborted; attempt += 1) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, webhookRetryDelayMs));
      }
      const record: WebhookAttempt = { time: this.clock.now() };
      delivery.attempts.push(record);
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(webhookTimeoutMs)]),
        });
        await response.arrayBuffer();
        record.status = response.status;
        if (response.ok) {
          delivery.state = 'delivered';
          return;
        }
      } catch (error) {
        record.error = describeError(error);
      }
    }
    delivery.state = 'failed';
  }
}

/** Formats a fetch failure with its cause, which contains the useful part (e.g. ECONNREFUSED). */
function describeError(error: unknown): string {
  // Duck-typed, because fetch errors may come from another realm than this module's Error (e.g. under Jest).
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
  if (typeof message !== 'string') {
    return String(error);
  }
  const detail = typeof cause?.message === 'string' ? ` (${cause.message})` : '';
  return `${String(name ?? 'Error')}: ${message}${detail}`;
}
