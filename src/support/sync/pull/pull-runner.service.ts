import { Inject, Injectable, Logger } from '@nestjs/common';

import { remoteChange, runWithChangeContext } from '../common/change-origin';
import { SyncMetrics } from '../status/sync-metrics.service';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { PulledObject, RemotePuller, RemotePullerRegistry } from './remote-puller';
import { WatermarksRepository } from './watermarks.repository';

export interface PullCounts {
  pages: number;
  applied: number;
  skipped: number;
  failed: number;
}

export interface ReconcileCounts {
  remote: number;
  local: number;
  gone: number;
  /** 1 when reconciliation stopped because too many local objects looked gone. */
  refused: number;
}

/**
 * Runs pulls with watermarks: each page is applied object by object, and the watermark
 * moves to the page's `newWatermark` only after every object of the page was applied.
 * An object that fails is logged with its id and the pull stops after that page with the
 * watermark where it was, so the next pull reads the page again.
 */
@Injectable()
export class PullRunner {
  private readonly logger = new Logger('PullRunner');

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly pullers: RemotePullerRegistry,
    private readonly watermarks: WatermarksRepository,
    private readonly metrics: SyncMetrics,
  ) {}

  /** Pulls every registered puller, one after another; a failing puller does not stop the others. */
  async pullAll(): Promise<PullCounts> {
    const total: PullCounts = { pages: 0, applied: 0, skipped: 0, failed: 0 };
    for (const puller of this.pullers.all()) {
      try {
        const counts = await this.pull(puller);
        total.pages += counts.pages;
        total.applied += counts.applied;
        total.skipped += counts.skipped;
        total.failed += counts.failed;
      } catch (error) {
        total.failed += 1;
        this.logger.error(`Pull of ${puller.backendName} ${puller.scope} failed`, error);
      }
    }
    return total;
  }

  async pull<T extends PulledObject>(puller: RemotePuller<T>): Promise<PullCounts> {
    const { backendName, scope } = puller;
    const counts: PullCounts = { pages: 0, applied: 0, skipped: 0, failed: 0 };
    const stored = await this.watermarks.find(backendName, scope);
    const since = stored?.watermark ?? null;
    this.logger.log(`Pull of ${backendName} ${scope} started from ${since?.toISOString() ?? 'the beginning'}`);

    let cursor: string | undefined;
    do {
      let page;
      try {
        page = await puller.pullChanges(since, this.config.pull.overlapMs, cursor);
      } catch (error) {
        await this.watermarks.recordError(backendName, scope, errorMessage(error));
        throw error;
      }
      counts.pages += 1;

      const failedIds = await this.applyPage(puller, page.objects, counts);
      if (failedIds.length > 0) {
        const message = `Applying ${failedIds.length} of ${page.objects.length} objects failed: ${failedIds.slice(0, 20).join(', ')}`;
        await this.watermarks.recordError(backendName, scope, message);
        this.logger.warn(`Pull of ${backendName} ${scope} stopped, watermark kept: ${message}`);
        break;
      }
      await this.watermarks.recordSuccess(backendName, scope, page.newWatermark);
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    this.logger.log(
      `Pull of ${backendName} ${scope} finished: ${counts.pages} pages, ${counts.applied} applied, ` +
        `${counts.skipped} skipped, ${counts.failed} failed`,
    );
    return counts;
  }

  /**
   * Compares remote and local ids of a puller that supports it and reports local objects
   * missing remotely to `reconcileGone`. Objects younger than `reconcileGraceMs` are left
   * out, since a search index may not list them yet. When more than
   * `reconcileMaxGoneRatio` of the local objects look gone, nothing is reported and an
   * error is recorded instead, because that points at a broken listing, not at deletions.
   */
  async reconcile(puller: RemotePuller): Promise<ReconcileCounts | undefined> {
    if (!puller.listRemoteIds || !puller.listLocalIds || !puller.reconcileGone) return undefined;
    const { backendName, scope } = puller;
    const createdBefore = new Date(Date.now() - this.config.pull.reconcileGraceMs);
    const remote = new Set(await puller.listRemoteIds());
    const local = [...(await puller.listLocalIds(createdBefore))];
    const gone = local.filter((id) => !remote.has(id));
    const counts: ReconcileCounts = { remote: remote.size, local: local.length, gone: gone.length, refused: 0 };

    if (gone.length > 0 && gone.length > local.length * this.config.pull.reconcileMaxGoneRatio) {
      counts.refused = 1;
      const message =
        `Reconciliation refused: ${gone.length} of ${local.length} local objects are missing remotely, ` +
        `above the limit of ${this.config.pull.reconcileMaxGoneRatio * 100}%; check the backend listing`;
      await this.watermarks.recordError(backendName, scope, message);
      this.logger.error(`${backendName} ${scope}: ${message}`);
      return counts;
    }

    if (gone.length > 0) {
      this.logger.warn(`${backendName} ${scope}: ${gone.length} objects are gone remotely: ${gone.slice(0, 20).join(', ')}`);
      await runWithChangeContext(remoteChange(backendName), () => puller.reconcileGone!(gone));
      this.metrics.pullObjects.inc({ backend: backendName, scope, outcome: 'gone' }, gone.length);
    }
    await this.watermarks.recordReconciled(backendName, scope);
    return counts;
  }

  /** Reconciles every puller that supports it; returns summed counts. */
  async reconcileAll(): Promise<ReconcileCounts> {
    const total: ReconcileCounts = { remote: 0, local: 0, gone: 0, refused: 0 };
    for (const puller of this.pullers.all()) {
      try {
        const counts = await this.reconcile(puller);
        if (!counts) continue;
        total.remote += counts.remote;
        total.local += counts.local;
        total.gone += counts.gone;
        total.refused += counts.refused;
      } catch (error) {
        this.logger.error(`Reconciliation of ${puller.backendName} ${puller.scope} failed`, error);
        await this.watermarks.recordError(puller.backendName, puller.scope, `Reconciliation failed: ${errorMessage(error)}`);
      }
    }
    return total;
  }

  /** Applies the objects one by one; returns the ids of those that failed. */
  private async applyPage<T extends PulledObject>(puller: RemotePuller<T>, objects: T[], counts: PullCounts): Promise<string[]> {
    const failedIds: string[] = [];
    const labels = { backend: puller.backendName, scope: puller.scope };
    for (const object of objects) {
      try {
        const outcome = await runWithChangeContext(remoteChange(puller.backendName), () => puller.applyObject(object));
        counts[outcome] += 1;
        this.metrics.pullObjects.inc({ ...labels, outcome });
      } catch (error) {
        counts.failed += 1;
        failedIds.push(object.remoteId);
        this.metrics.pullObjects.inc({ ...labels, outcome: 'failed' });
        this.logger.error(`Applying pulled ${puller.backendName} ${puller.scope} object ${object.remoteId} failed`, error);
      }
    }
    return failedIds;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
