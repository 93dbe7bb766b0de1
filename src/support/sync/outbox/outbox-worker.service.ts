import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { PollingLoop } from '../common/polling-loop';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { OutboxDeliveryService } from './outbox-delivery.service';

/**
 * The delivery loop: polls every `pollIntervalMs`, and again at once while polls find
 * work. Started on bootstrap when `workersEnabled`, stopped on shutdown after the
 * attempts in flight finish.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxWorker');
  private readonly loop: PollingLoop;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly delivery: OutboxDeliveryService,
  ) {
    this.loop = new PollingLoop('Outbox', config.outbox.pollIntervalMs, () => this.pollOnce(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.workersEnabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.delivery.stop(this.config.shutdownGraceMs);
  }

  start(): void {
    if (this.loop.isStarted) return;
    this.logger.log(`Outbox worker ${this.config.replicaId} started, polling every ${this.config.outbox.pollIntervalMs} ms`);
    this.loop.start();
  }

  /** Polls now instead of at the next interval, for example after a replay. */
  wake(): void {
    this.loop.wake();
  }

  /** Claims and delivers one batch per backend; returns the number of rows attempted. */
  pollOnce(): Promise<number> {
    return this.delivery.deliverDue();
  }

  /** Polls until a poll finds nothing due; for the CLI, tests and the benchmark. */
  async drainUntilIdle(maxPolls = 100_000): Promise<number> {
    let total = 0;
    for (let poll = 0; poll < maxPolls; poll++) {
      const attempted = await this.pollOnce();
      if (attempted === 0) break;
      total += attempted;
    }
    return total;
  }
}
