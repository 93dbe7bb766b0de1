export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Computes the wait before attempt `failedAttempts + 1`: exponential back-off with equal
 * jitter, a uniform pick in [ceiling / 2, ceiling) where the ceiling is
 * min(cap, base * 2^(failedAttempts - 1)). The wait never drops below half the ceiling,
 * because a retried create finds what a lost attempt made through the backend's search,
 * which shows new objects only after a delay. A remote's `Retry-After` is a floor too.
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
  const jittered = Math.floor(ceiling / 2 + (random() * ceiling) / 2);
  const floor = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, floor);
}
