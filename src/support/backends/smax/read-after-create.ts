import { setTimeout as sleep } from 'node:timers/promises';

/** How long to wait for SMAX queries to show a record just written (`SMAX_TIMES_TO_PULL`, `SMAX_SECONDS_TO_WAIT`). */
export interface ReadAfterCreateWait {
  attempts: number;
  delayMs: number;
}

/**
 * Reads until `read` returns a value or the attempts run out, waiting between reads.
 * SMAX queries may lag a write, so a record made a moment ago can be missing at first.
 * Returns undefined when the record never showed up.
 */
export async function readAfterCreate<T>(wait: ReadAfterCreateWait, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const attempts = Math.max(1, wait.attempts);
  for (let attempt = 1; ; attempt += 1) {
    const value = await read();
    if (value !== undefined || attempt >= attempts) return value;
    if (wait.delayMs > 0) await sleep(wait.delayMs);
  }
}
