import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { PollingLoop } from '../common/polling-loop';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { InboxService } from './inbox.service';

/**
 * The inbox sweeper: retries pending and failed deliveries whose next attempt is due,
 * which covers deliveries stored while no processor was registered and those whose
 * background processing died with its replica. Started on bootstrap when `workersEnabled`.
 */
@Injectable()
export class InboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InboxWorker');
  private readonly loop: PollingLoop;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly inbox: InboxService,
  ) {
    this.loop = new PollingLoop('Inbox sweeper', config.inbox.sweepIntervalMs, () => this.inbox.processDue(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (!this.config.workersEnabled) return;
    this.logger.log(`Inbox sweeper ${this.config.replicaId} started, sweeping every ${this.config.inbox.sweepIntervalMs} ms`);
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Sweeps until nothing is due; for the CLI and tests. */
  async drainUntilIdle(maxSweeps = 10_000): Promise<number> {
    let total = 0;
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      const processed = await this.inbox.processDue();
      if (processed === 0) break;
      total += processed;
    }
    return total;
  }
}
