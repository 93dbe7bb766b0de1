/**
 * Clock of the fake: the injected time source plus an offset that tests move
 * forward to pass token lifetimes and query visibility delays without waiting.
 */
export class FakeClock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.source() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
