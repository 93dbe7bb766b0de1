import { createHmac } from 'node:crypto';

import { constantTimeEqual, isRejectedVerdict, verifyHmacSignature, verifySharedSecret } from './webhook-signature';

describe('verifyHmacSignature', () => {
  const body = Buffer.from('{"webhookEvent":"jira:issue_updated"}');
  const sha256 = `sha256=${createHmac('sha256', 'secret').update(body).digest('hex')}`;
  const sha1 = `sha1=${createHmac('sha1', 'secret').update(body).digest('hex')}`;

  it('accepts a valid SHA-256 signature', () => {
    expect(verifyHmacSignature('sha256', 'secret', body, sha256)).toBe('valid');
  });

  it('accepts a valid SHA-1 signature', () => {
    expect(verifyHmacSignature('sha1', 'secret', body, sha1)).toBe('valid');
  });

  it('accepts upper-case hex and surrounding spaces', () => {
    expect(verifyHmacSignature('sha256', 'secret', body, ` ${sha256.toUpperCase()} `)).toBe('valid');
  });

  it('rejects another secret', () => {
    expect(verifyHmacSignature('sha256', 'other', body, sha256)).toBe('invalid');
  });

  it('rejects another body', () => {
    expect(verifyHmacSignature('sha256', 'secret', Buffer.from('{}'), sha256)).toBe('invalid');
  });

  it('rejects the wrong algorithm prefix', () => {
    expect(verifyHmacSignature('sha1', 'secret', body, sha256)).toBe('invalid');
  });

  it('reports a missing header', () => {
    expect(verifyHmacSignature('sha256', 'secret', body, undefined)).toBe('missing');
    expect(verifyHmacSignature('sha256', 'secret', body, '  ')).toBe('missing');
  });

  it('needs nothing without a secret', () => {
    expect(verifyHmacSignature('sha256', '', body, undefined)).toBe('not_required');
    expect(verifyHmacSignature('sha256', undefined, body, 'sha256=00')).toBe('not_required');
  });
});

describe('verifySharedSecret', () => {
  it('accepts the secret', () => {
    expect(verifySharedSecret('s3cret', 's3cret')).toBe('valid');
  });

  it('rejects another value', () => {
    expect(verifySharedSecret('s3cret', 's3cret ')).toBe('invalid');
  });

  it('reports a missing header', () => {
    expect(verifySharedSecret('s3cret', undefined)).toBe('missing');
  });

  it('needs nothing without a secret', () => {
    expect(verifySharedSecret(undefined, 'anything')).toBe('not_required');
  });
});

describe('isRejectedVerdict', () => {
  it.each([
    ['valid', false],
    ['not_required', false],
    ['invalid', true],
    ['missing', true],
  ] as const)('treats %s as rejected %s', (verdict, rejected) => {
    expect(isRejectedVerdict(verdict)).toBe(rejected);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of different lengths', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
  });
});
