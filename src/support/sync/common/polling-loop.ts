import { Logger } from '@nestjs/common';

/**
 * Runs `poll` every `intervalMs`, and again at once while it reports work done
 * (a positive count). One poll runs at a time, and `wake` requests a poll now.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private wakeRequested = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly poll: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  get isStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops scheduling and waits for the poll in progress, if any. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  wake(): void {
    if (!this.started) return;
    if (this.running) this.wakeRequested = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.started && !this.running) this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let done = 0;
    try {
      done = await this.poll();
    } catch (error) {
      this.logger.error(`${this.name} poll failed`, error);
    }
    this.running = undefined;
    const again = done > 0 || this.wakeRequested;
    this.wakeRequested = false;
    if (this.started) this.schedule(again ? 0 : this.intervalMs);
  }
}
