import { AppException } from '../../../common/errors/app.exception';
import { asRemoteError, RemoteError } from '../../sync/common/remote-error';
import { ZammadError } from './zammad.exception';
import { ZammadPayloadError } from './zammad.mapper';

/**
 * Translates an adapter failure for the sync machinery, which retries retryable errors
 * with back-off and parks the others. A 401 counts as retryable, so a bad token opens the
 * circuit and the rows wait for a fixed token instead of each being parked. A 403 does
 * too, except on deletes, where it is Zammad's delete policy ("note is too old to be
 * deleted"), which no retry changes. Validation errors of ours are never retried; a
 * missing setting (424) is, because an admin can set it.
 */
export function toRemoteError(error: unknown, options: { isDelete?: boolean } = {}): RemoteError {
  if (error instanceof RemoteError) return error;
  if (error instanceof ZammadError) {
    const tokenProblem = error.status === 401 || (error.status === 403 && !options.isDelete);
    return new RemoteError(error.message, {
      retryable: error.retryable || tokenProblem,
      retryAfterSeconds: error.retryAfterSeconds,
      status: error.status,
      cause: error,
    });
  }
  if (error instanceof ZammadPayloadError) return new RemoteError(error.message, { retryable: false, cause: error });
  if (error instanceof AppException && error.code !== 'failed_dependency') {
    return new RemoteError(error.message, { retryable: false, cause: error });
  }
  return asRemoteError(error);
}
