import { Logger } from '@nestjs/common';

/**
 * Time a replaced adapter keeps its connections open, so operations that took it before
 * the change can finish. It exceeds the outbox's default delivery timeout of 60 seconds.
 */
const RETIRED_ADAPTER_GRACE_MS = 90_000;

/**
 * Adapters replaced after a settings change. Each is closed once its grace period ends,
 * or at shutdown, whichever comes first.
 */
export class RetiredAdapters<Adapter> {
  private readonly timers = new Map<Adapter, NodeJS.Timeout>();

  constructor(
    private readonly label: string,
    private readonly closeAdapter: (adapter: Adapter) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  retire(adapter: Adapter): void {
    if (this.timers.has(adapter)) return;
    const timer = setTimeout(() => {
      this.timers.delete(adapter);
      void this.close(adapter);
    }, RETIRED_ADAPTER_GRACE_MS);
    timer.unref();
    this.timers.set(adapter, timer);
  }

  /** Closes the retired adapters at once, and `current` with them when given. */
  async closeAll(current?: Adapter): Promise<void> {
    const open = [...this.timers.keys()];
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (current !== undefined) open.push(current);
    await Promise.all(open.map((adapter) => this.close(adapter)));
  }

  private async close(adapter: Adapter): Promise<void> {
    try {
      await this.closeAdapter(adapter);
    } catch (error) {
      this.logger.warn(`Closing the connections of a ${this.label} adapter failed: ${(error as Error).message}`);
    }
  }
}
