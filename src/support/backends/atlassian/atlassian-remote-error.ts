import { AppException } from '../../../common/errors/app.exception';
import { asRemoteError, RemoteError } from '../../sync/common/remote-error';
import { JiraError } from './jira.exception';

/**
 * Classifies a failure of a Jira push or pull for the sync machinery. Jira's own
 * verdict decides for HTTP failures, except that 401 and 403 count as retryable so bad
 * credentials open the circuit instead of parking every row. A rejected input
 * (`validation_failed`, such as a caller without e-mail) is final. Missing configuration
 * (424) and anything unexpected are retried, because an admin can fix them.
 */
export function toRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  if (error instanceof JiraError) {
    const retryable = error.retryable || error.kind === 'auth' || error.kind === 'captcha';
    return new RemoteError(error.message, { retryable, retryAfterSeconds: error.retryAfterSeconds, status: error.status, cause: error });
  }
  if (error instanceof AppException && error.code === 'validation_failed') {
    return new RemoteError(error.message, { retryable: false, cause: error });
  }
  return asRemoteError(error);
}
