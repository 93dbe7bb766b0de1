import { asRemoteError, parseRetryAfter, RemoteError } from './remote-error';

describe('RemoteError', () => {
  it.each([
    [408, true],
    [425, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [404, false],
    [409, false],
    [422, false],
  ])('classifies status %i as retryable %s', (status, retryable) => {
    expect(RemoteError.fromStatus(status, 'failed').retryable).toBe(retryable);
  });

  it('keeps status and Retry-After', () => {
    const error = RemoteError.fromStatus(429, 'Too Many Requests', 12);
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(12);
    expect(error.message).toBe('Too Many Requests');
  });

  it('treats other errors as retryable', () => {
    const error = asRemoteError(new Error('ECONNRESET'));
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('ECONNRESET');
    expect(error.status).toBeUndefined();
  });

  it('passes a RemoteError through', () => {
    const original = new RemoteError('Not found', { retryable: false, status: 404 });
    expect(asRemoteError(original)).toBe(original);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2024-01-31T10:00:00Z');

  it('reads seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 31 Jan 2024 10:00:30 GMT', now)).toBe(30);
  });

  it('treats a past date as zero', () => {
    expect(parseRetryAfter('Wed, 31 Jan 2024 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and invalid values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
