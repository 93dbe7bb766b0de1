/**
 * A failed call to a remote ticketing system, as adapters report it to the sync machinery.
 * `retryable` decides between another attempt and parking the work; `retryAfterSeconds`
 * carries the remote's `Retry-After`, which the next attempt waits for at least.
 */
export class RemoteError extends Error {
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** HTTP status of the remote response; undefined for network failures and timeouts. */
  readonly status: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterSeconds?: number; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'RemoteError';
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.status = options.status;
  }

  /**
   * Classifies an HTTP status the usual way: 408, 425, 429 and 5xx are worth retrying,
   * other 4xx are not. Adapters should still report 401 and 403 as retryable, so a bad
   * credential opens the circuit instead of parking every row.
   */
  static fromStatus(status: number, message: string, retryAfterSeconds?: number): RemoteError {
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    return new RemoteError(message, { retryable, status, retryAfterSeconds });
  }
}

/** Any other thrown value counts as a retryable failure: the remote may still be fine. */
export function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError(message || 'Unknown error', { retryable: true, cause: error });
}

/**
 * Parses a `Retry-After` header, given in seconds or as an HTTP date.
 * Returns whole seconds from `now`, or undefined when the header is absent or invalid.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date always names its weekday or month; this keeps "-5" from parsing as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
