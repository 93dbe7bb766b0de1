import { Injectable } from '@nestjs/common';

import { NamedRegistry } from '../common/named-registry';
import type { RemoteVersionValue } from './remote-versions';
import type { SignatureVerdict } from './inbox-entry.entity';

/** A stored webhook delivery, as passed to a processor. */
export interface InboxDelivery {
  /** The inbox row's uuid. */
  readonly uuid: string;
  readonly source: string;
  readonly deliveryId: string;
  readonly receivedAt: Date;
  /** Lower-case header names, credentials removed. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes received. */
  readonly body: Buffer;
  readonly signatureVerdict: SignatureVerdict;
  /** 1 on the first processing attempt; replays start again at 1. */
  readonly attempt: number;
}

export interface InboxOutcome {
  /** `ignored` is for deliveries with nothing to apply: unknown events, echoes, stale versions. */
  status: 'processed' | 'ignored';
  /** Reason for ignoring the delivery, stored as the row's last error for operators to read. */
  reason?: string;
  /** The remote object the delivery was about, shown in the delivery list. */
  remoteObject?: { type: string; id: string; version?: RemoteVersionValue };
}

/**
 * Applies the webhook deliveries of one source; each adapter ships one, registered in
 * `InboxProcessorRegistry` under its backend name. Deliveries of a source without a
 * processor stay pending until one is registered.
 *
 * A processor should re-read the object from the backend's API (a retried delivery
 * carries an old snapshot), then apply it in one transaction that calls `acceptIfNewer`
 * and `EchoGuard.isEcho`, inside `runWithChangeContext(remoteChange(source), ...)` so the
 * change is not pushed back. A thrown error marks the delivery failed and the sweeper
 * retries it with back-off; a `RemoteError` with `retryable: false` stops the retries.
 */
export abstract class InboxProcessor {
  abstract readonly source: string;

  abstract process(delivery: InboxDelivery): Promise<InboxOutcome>;
}

/** The processor of each webhook source, by source name. */
@Injectable()
export class InboxProcessorRegistry extends NamedRegistry<InboxProcessor> {
  constructor() {
    super('inbox processor');
  }

  add(processor: InboxProcessor): void {
    this.register(processor.source, processor);
  }
}

/** Parses a delivery's body as JSON; throws `SyntaxError` for a body that is not JSON. */
export function parseJsonBody<T = unknown>(delivery: InboxDelivery): T {
  return JSON.parse(delivery.body.toString('utf8')) as T;
}
