import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { NamedRegistry } from '../common/named-registry';
import { RemoteError } from '../common/remote-error';
import { OutboxOperation, OutboxTargetType } from './outbox-entry.entity';

/** One attempt at one outbox row, as passed to its deliverer. */
export interface OutboxDelivery {
  /** The outbox row's uuid. */
  readonly uuid: string;
  readonly backendName: string;
  readonly operation: OutboxOperation;
  readonly issueId: number | null;
  readonly issueUuid: string | null;
  readonly targetType: OutboxTargetType | null;
  readonly targetId: number | null;
  readonly targetUuid: string | null;
  readonly payload: Record<string, unknown>;
  /** 1 on the first attempt. From 2 on, an earlier attempt may have reached the remote. */
  readonly attempt: number;
  /** Marker to store on the object a create makes, and to search for on a retry. */
  readonly idempotencyKey: string;
  /** Error of the previous attempt, if there was one. */
  readonly lastError: string | null;
  /** Aborted when the attempt times out or the process shuts down. */
  readonly signal: AbortSignal;
}

/** A pushed content, recorded so the webhook or pull that brings it back is known as our echo. */
export interface PushedContent {
  objectType: string;
  remoteId: string;
  /** `contentHash()` of the fields pushed, normalized as the processor normalizes what comes back. */
  contentHash: string;
}

export interface DeliveryResult {
  /** Id of the remote object made or changed; stored on the row. */
  remoteId?: string;
  echoes?: PushedContent[];
  /** Whatever `applyResult` needs, such as the remote key, link or status. */
  data?: Record<string, unknown>;
}

/**
 * Pushes outbox rows to one backend. Each adapter ships one, registered under its backend
 * name in `OutboxDelivererRegistry`; rows of a backend without a deliverer stay pending.
 *
 * An attempt runs in three steps. On attempts after the first, `findDelivered` runs first
 * and, when it finds the object an earlier attempt made, its result is adopted and
 * `deliver` is skipped; this is how a create whose response was lost (the remote committed,
 * then the connection dropped) does not make a second object. Otherwise `deliver` pushes.
 * Both run outside any database transaction. Then `applyResult` runs in the transaction
 * that marks the row done.
 */
export abstract class OutboxDeliverer {
  abstract readonly backendName: string;

  /**
   * Searches the remote for an object carrying `delivery.idempotencyKey` and returns it as
   * the result of this row, or undefined. Operations that are safe to repeat (updates that
   * send the whole state, deletes that treat 404 as done) may return undefined at once.
   */
  abstract findDelivered(delivery: OutboxDelivery): Promise<DeliveryResult | undefined>;

  /** Pushes the row. Failures are thrown, preferably as `RemoteError`; anything else is retried. */
  abstract deliver(delivery: OutboxDelivery): Promise<DeliveryResult>;

  /** Writes the result into our copy (remote key, link, sync state), using only `manager`. */
  async applyResult(_manager: EntityManager, _delivery: OutboxDelivery, _result: DeliveryResult): Promise<void> {}

  /** Runs in the transaction that parks the row as dead, for example to mark its target ERRED. */
  async onDead(_manager: EntityManager, _delivery: OutboxDelivery, _error: RemoteError): Promise<void> {}
}

/** The deliverer of each backend, by backend name. */
@Injectable()
export class OutboxDelivererRegistry extends NamedRegistry<OutboxDeliverer> {
  constructor() {
    super('outbox deliverer');
  }

  add(deliverer: OutboxDeliverer): void {
    this.register(deliverer.backendName, deliverer);
  }
}
