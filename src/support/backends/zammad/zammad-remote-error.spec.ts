import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { RemoteError } from '../../sync/common/remote-error';
import { toRemoteError } from './zammad-remote-error';
import { ZammadError } from './zammad.exception';
import { ZammadPayloadError } from './zammad.mapper';

function zammadError(status: number, retryAfterSeconds?: number): ZammadError {
  return new ZammadError({ kind: status === 401 || status === 403 ? 'auth' : 'http', method: 'POST', path: '/tickets', status, retryAfterSeconds });
}

describe('toRemoteError', () => {
  it('retries a 503 with its Retry-After', () => {
    const error = toRemoteError(zammadError(503, 30));

    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.status).toBe(503);
  });

  it('parks a 422', () => {
    expect(toRemoteError(zammadError(422)).retryable).toBe(false);
  });

  it('retries a rejected token', () => {
    expect(toRemoteError(zammadError(401)).retryable).toBe(true);
  });

  it('retries a 403 on writes', () => {
    expect(toRemoteError(zammadError(403)).retryable).toBe(true);
  });

  it('parks a 403 on deletes', () => {
    expect(toRemoteError(zammadError(403), { isDelete: true }).retryable).toBe(false);
  });

  it('retries a missing setting', () => {
    expect(toRemoteError(new FailedDependencyException('Zammad is not configured')).retryable).toBe(true);
  });

  it('parks a validation error', () => {
    expect(toRemoteError(ValidationFailedException.nonField('no e-mail')).retryable).toBe(false);
  });

  it('parks an invalid payload', () => {
    expect(toRemoteError(new ZammadPayloadError('no ticket.id')).retryable).toBe(false);
  });

  it('keeps a remote error', () => {
    const error = new RemoteError('done', { retryable: false });

    expect(toRemoteError(error)).toBe(error);
  });

  it('retries anything else', () => {
    expect(toRemoteError(new Error('socket hang up')).retryable).toBe(true);
  });
});
