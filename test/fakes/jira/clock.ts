/**
 * Clock of the fake. It follows the injected time source until a test pins it
 * with `set`, after which it only moves through `advance`.
 */
export class Clock {
  private pinnedMs: number | null = null;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.pinnedMs ?? this.source();
  }

  /** Pins the clock at `ms`, or releases it back to the time source when `ms` is null. */
  set(ms: number | null): void {
    this.pinnedMs = ms;
  }

  /** Moves the clock forward. A free clock is first pinned at the current time. */
  advance(ms: number): void {
    this.pinnedMs = this.now() + ms;
  }

  isPinned(): boolean {
    return this.pinnedMs !== null;
  }
}
