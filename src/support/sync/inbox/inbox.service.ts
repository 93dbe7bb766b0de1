import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';

import { PermissionDeniedException } from '../../../common/errors/app.exception';
import { waitAtMost } from '../common/abort';
import { retryDelayMs } from '../common/backoff';
import { RemoteError } from '../common/remote-error';
import { SyncMetrics } from '../status/sync-metrics.service';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { InboxEntry, SignatureVerdict } from './inbox-entry.entity';
import { InboxDelivery, InboxOutcome, InboxProcessor, InboxProcessorRegistry } from './inbox-processor';
import { InboxRepository } from './inbox.repository';
import { versionNumber } from './remote-versions';
import { storableHeaders } from './webhook-headers';
import { isRejectedVerdict } from './webhook-signature';

export interface ReceiveResult {
  uuid: string;
  /** True when this source already sent this delivery id; it was not stored or processed again. */
  duplicate: boolean;
}

export interface ReceiveOptions {
  /** Header names to drop besides the usual credential headers (a shared-secret header, say). */
  secretHeaders?: readonly string[];
}

/**
 * The webhook inbox: a delivery is stored first, then processed asynchronously by the
 * processor of its source, and retried by the sweeper (`InboxWorker`) when that fails.
 */
@Injectable()
export class InboxService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Inbox');
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly repository: InboxRepository,
    private readonly processors: InboxProcessorRegistry,
    private readonly metrics: SyncMetrics,
  ) {}

  /**
   * Stores a webhook delivery and starts processing it in the background. A repeated
   * delivery id of the same source is neither stored nor processed again. Without a
   * delivery id one is derived from the body's SHA-256 and the current time window
   * (`derivedIdWindowMs`), so identical bodies within a window count as one delivery.
   * Throws `PermissionDeniedException` (403) for an invalid or missing signature where a
   * secret is configured. Such a delivery is not stored, so a forged one cannot take the
   * delivery id of a real one.
   */
  async receive(
    source: string,
    rawBody: Buffer,
    headers: IncomingHttpHeaders,
    verdict: SignatureVerdict,
    deliveryId?: string | null,
    options: ReceiveOptions = {},
  ): Promise<ReceiveResult> {
    if (isRejectedVerdict(verdict)) {
      this.metrics.inboxReceived.inc({ source, outcome: 'rejected' });
      this.logger.warn(`Rejected a ${source} webhook delivery: signature ${verdict}`);
      throw new PermissionDeniedException(verdict === 'missing' ? 'Webhook signature is missing.' : 'Webhook signature is invalid.');
    }

    const id = deliveryId?.trim() || this.derivedDeliveryId(rawBody);
    const stored = await this.repository.insertOnce({
      source,
      deliveryId: id.slice(0, 255),
      headers: storableHeaders(headers, options.secretHeaders),
      body: rawBody,
      signatureVerdict: verdict,
    });
    if (!stored) {
      this.metrics.inboxReceived.inc({ source, outcome: 'duplicate' });
      const existing = await this.repository.findExisting(source, id.slice(0, 255));
      this.logger.log(`Ignored repeated ${source} webhook delivery ${id}`);
      return { uuid: existing?.uuid ?? '', duplicate: true };
    }

    this.metrics.inboxReceived.inc({ source, outcome: 'stored' });
    this.processSoon(stored.id);
    return { uuid: stored.uuid, duplicate: false };
  }

  /** Starts processing one stored delivery in the background. */
  processSoon(id: number): void {
    this.track(
      this.processById(id).catch((error: unknown) =>
        // The row keeps its claim until the lease expires, then the sweeper takes it again.
        this.logger.error(`Processing inbox row ${id} failed before its outcome was recorded`, error),
      ),
    );
  }

  /**
   * Processes one delivery now if it is open, unclaimed and its source has a processor;
   * returns false when it was not taken. Deliveries of a source without a processor stay
   * pending until one is registered.
   */
  async processById(id: number): Promise<boolean> {
    const entry = await this.repository.claimOne(id, this.processors.names(), this.config.inbox.leaseMs);
    if (!entry) return false;
    await this.processEntry(this.processors.get(entry.source), entry);
    return true;
  }

  /** Claims and processes due pending and failed deliveries of sources with a processor; returns how many. */
  async processDue(): Promise<number> {
    const entries = await this.repository.claimDue(
      this.processors.names(),
      this.config.inbox.batchSize,
      this.config.inbox.leaseMs,
      this.config.inbox.maxAttempts,
    );
    for (const entry of entries) {
      try {
        await this.track(this.processEntry(this.processors.get(entry.source), entry));
      } catch (error) {
        // The row keeps its claim until the lease expires, then the sweeper takes it again.
        this.logger.error(`Recording the outcome of ${entry.source} delivery ${entry.deliveryId} (inbox ${entry.uuid}) failed`, error);
      }
    }
    return entries.length;
  }

  /** Resolves once the background processing started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await waitAtMost(this.whenIdle(), this.config.shutdownGraceMs);
  }

  private async processEntry(processor: InboxProcessor, entry: InboxEntry): Promise<void> {
    const key = { id: entry.id, attempt: entry.attempts };
    let outcome: InboxOutcome;
    try {
      outcome = await processor.process(toDelivery(entry));
    } catch (error) {
      await this.recordFailure(entry, error);
      return;
    }

    const remote = outcome.remoteObject;
    await this.repository.finish(key, {
      status: outcome.status,
      reason: outcome.reason ?? null,
      remoteObjectType: remote?.type ?? null,
      remoteObjectId: remote?.id ?? null,
      remoteVersion: remote?.version !== undefined ? versionNumber(remote.version) : null,
    });
    this.metrics.inboxProcessed.inc({ source: entry.source, outcome: outcome.status });
  }

  private async recordFailure(entry: InboxEntry, error: unknown): Promise<void> {
    const key = { id: entry.id, attempt: entry.attempts };
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 4000);
    const retryable = !(error instanceof RemoteError) || error.retryable;
    const lastAttempt = entry.attempts >= this.config.inbox.maxAttempts;
    const retryInMs =
      retryable && !lastAttempt
        ? retryDelayMs(
            { baseMs: this.config.inbox.retryBaseMs, capMs: this.config.inbox.retryCapMs },
            entry.attempts,
            this.config.random,
            error instanceof RemoteError ? error.retryAfterSeconds : undefined,
          )
        : undefined;
    await this.repository.fail(key, message, retryInMs, this.config.inbox.maxAttempts);
    this.metrics.inboxProcessed.inc({ source: entry.source, outcome: 'failed' });
    const next = retryInMs === undefined ? 'no more automatic retries; replay it to try again' : `next attempt in ${retryInMs} ms`;
    this.logger.warn(`Processing ${entry.source} delivery ${entry.deliveryId} (inbox ${entry.uuid}) failed on attempt ${entry.attempts}, ${next}: ${message}`);
  }

  private derivedDeliveryId(rawBody: Buffer): string {
    const window = Math.floor(Date.now() / this.config.inbox.derivedIdWindowMs);
    return `sha256:${createHash('sha256').update(rawBody).digest('hex')}:${window}`;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }
}

function toDelivery(entry: InboxEntry): InboxDelivery {
  return {
    uuid: entry.uuid,
    source: entry.source,
    deliveryId: entry.deliveryId,
    receivedAt: entry.receivedAt,
    headers: entry.headers,
    body: entry.body,
    signatureVerdict: entry.signatureVerdict,
    attempt: entry.attempts,
  };
}
