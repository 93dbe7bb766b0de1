export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Computes the wait before attempt `failedAttempts + 1`: exponential back-off with full
 * jitter, a uniform pick in [0, min(cap, base * 2^(failedAttempts - 1))). A remote's
 * `Retry-After` is a floor: the wait is never shorter than it.
 */
export function retryDelayMs(
  policy: BackoffPolicy,
  failedAttempts: number,
  random: () => number,
  retryAfterSeconds?: number,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^exponent overflows to Infinity for large exponents, which Math.min turns into the cap.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  const floor = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, floor);
}
