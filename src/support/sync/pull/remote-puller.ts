import { Injectable } from '@nestjs/common';

import { NamedRegistry } from '../common/named-registry';

/** An object a pull brought, in whatever shape its adapter's mapper produced. */
export interface PulledObject {
  remoteId: string;
}

export interface PullPage<T extends PulledObject> {
  objects: T[];
  /**
   * Remote change time up to which every change has been seen once this page is applied
   * (usually the largest update time in it, with results sorted by update time).
   * Null keeps the current watermark.
   */
  newWatermark: Date | null;
  /** Present when more pages follow; passed back to get the next page. */
  nextCursor?: string;
}

/**
 * Fetches what changed on one backend for one scope ("issues", say) and applies it;
 * each adapter that pulls ships one, registered in `RemotePullerRegistry`. `PullRunner`
 * keeps the watermark and runs `applyObject` inside `remoteChange(backendName)`, so
 * nothing applied from a pull is pushed back.
 */
export abstract class RemotePuller<T extends PulledObject = PulledObject> {
  abstract readonly backendName: string;
  abstract readonly scope: string;

  /**
   * Returns one page of objects changed at or after `since - overlapMs`, or every object
   * when `since` is null (the first pull). The overlap re-reads recent changes that a
   * lagging search index may have missed last time; `applyObject` must be idempotent.
   */
  abstract pullChanges(since: Date | null, overlapMs: number, cursor?: string): Promise<PullPage<T>>;

  /** Applies one object to our copy; returns `skipped` when it was not newer than ours. */
  abstract applyObject(object: T): Promise<'applied' | 'skipped'>;

  /** Ids of every object of this scope that still exists remotely; enables reconciliation. */
  listRemoteIds?(): Promise<Iterable<string>>;

  /** Remote ids of the local objects of this scope created before `createdBefore`. */
  listLocalIds?(createdBefore: Date): Promise<Iterable<string>>;

  /**
   * Handles local objects whose remote object is gone: deletes them or marks them.
   * They are reported here, never silently kept.
   */
  reconcileGone?(remoteIds: string[]): Promise<void>;
}

/** The pullers, by `<backend>:<scope>`. */
@Injectable()
export class RemotePullerRegistry extends NamedRegistry<RemotePuller> {
  constructor() {
    super('remote puller');
  }

  add(puller: RemotePuller): void {
    this.register(pullerKey(puller.backendName, puller.scope), puller);
  }

  all(): RemotePuller[] {
    return this.entries().map(([, puller]) => puller);
  }
}

export function pullerKey(backendName: string, scope: string): string {
  return `${backendName}:${scope}`;
}
