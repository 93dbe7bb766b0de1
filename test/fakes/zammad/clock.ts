import { createHash } from 'node:crypto';

/**
 * Clock of the fake. It follows real time until a test sets or advances it, and from
 * then on stays manual until `useRealTime()`. Timestamps use Zammad's format,
 * UTC with milliseconds and a `Z` suffix.
 */
export class FakeClock {
  private manualTime: number | null = null;

  constructor(private readonly source: () => Date = () => new Date()) {}

  now(): Date {
    return this.manualTime === null ? this.source() : new Date(this.manualTime);
  }

  timestamp(): string {
    return this.now().toISOString();
  }

  set(date: Date | string): void {
    const time = new Date(date).getTime();
    if (Number.isNaN(time)) {
      throw new Error(`Invalid clock time: ${String(date)}`);
    }
    this.manualTime = time;
  }

  advance(milliseconds: number): void {
    this.manualTime = this.now().getTime() + milliseconds;
  }

  useRealTime(): void {
    this.manualTime = null;
  }

  isManual(): boolean {
    return this.manualTime !== null;
  }
}

/**
 * Generator of UUID-shaped ids (version 4 layout) derived from a seed and a counter,
 * so delivery ids repeat from run to run with the same seed.
 */
export class SeededUuids {
  private counter = 0;

  constructor(private readonly seed: string) {}

  next(): string {
    this.counter += 1;
    const hex = createHash('sha256').update(`${this.seed}:${this.counter}`).digest('hex');
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return [
      hex.slice(0, 8),
      hex.slice(8, 12),
      `4${hex.slice(13, 16)}`,
      `${variant}${hex.slice(17, 20)}`,
      hex.slice(20, 32),
    ].join('-');
  }

  reset(): void {
    this.counter = 0;
  }
}
