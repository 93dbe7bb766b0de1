import { RemoteError } from '../../sync/common/remote-error';
import { SmaxError } from './smax.exception';

/**
 * Turns a `SmaxError` into the `RemoteError` the sync machinery reads, keeping its status
 * and `Retry-After`. 401 and 403 count as retryable, because a re-login or a fixed role may
 * cure them and the circuit breaker should open instead of every row being parked. Other
 * errors pass through unchanged.
 */
export function toRemoteError(error: unknown): unknown {
  if (!(error instanceof SmaxError)) return error;
  const authFailure = error.status === 401 || error.status === 403;
  return new RemoteError(error.message, {
    retryable: error.retryable || authFailure,
    retryAfterSeconds: error.retryAfterSeconds,
    status: error.status,
    cause: error,
  });
}

/** Runs a call to SMAX, raising its failures as `RemoteError`. */
export async function withRemoteErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toRemoteError(error);
  }
}
