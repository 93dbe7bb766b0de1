import { FailedDependencyException } from '../../../common/errors/app.exception';

export interface SmaxErrorDetails {
  /** HTTP status of SMAX's response; undefined for network failures, timeouts and FAILED bulk results. */
  status?: number;
  /** Whether the same call may succeed later: 429, 5xx, timeouts and network failures. */
  retryable: boolean;
  /** Seconds from SMAX's `Retry-After` header, when it sent one. */
  retryAfterSeconds?: number;
  /**
   * True when a write was sent but no response came back (timeout, dropped connection),
   * so SMAX may have applied it. A retry must look for the result before writing again.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * A failed call to SMAX. The API renders it as 424 with the message, which names the call
 * and carries SMAX's own error text; the sync machinery reads `retryable`.
 */
export class SmaxError extends FailedDependencyException {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: SmaxErrorDetails) {
    super(message);
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}
