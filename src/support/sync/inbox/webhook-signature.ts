import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { SignatureVerdict } from './inbox-entry.entity';

/**
 * Checks an `X-Hub-Signature` style header, `<algorithm>=<hex HMAC of the raw body>`:
 * Jira sends `sha256=`, Zammad `sha1=`. Without a configured secret there is nothing to
 * check (`not_required`). Hex digits are compared case-insensitively and in constant time.
 */
export function verifyHmacSignature(
  algorithm: 'sha256' | 'sha1',
  secret: string | null | undefined,
  rawBody: Buffer,
  header: string | null | undefined,
): SignatureVerdict {
  if (!secret) return 'not_required';
  if (!header || header.trim() === '') return 'missing';
  const expected = `${algorithm}=${createHmac(algorithm, secret).update(rawBody).digest('hex')}`;
  return constantTimeEqual(header.trim().toLowerCase(), expected) ? 'valid' : 'invalid';
}

/** Checks a header that must carry the shared secret itself (SMAX business rules send one). */
export function verifySharedSecret(secret: string | null | undefined, header: string | null | undefined): SignatureVerdict {
  if (!secret) return 'not_required';
  if (!header || header === '') return 'missing';
  return constantTimeEqual(header, secret) ? 'valid' : 'invalid';
}

/** Deliveries with these verdicts are rejected with 403 and never stored. */
export function isRejectedVerdict(verdict: SignatureVerdict): boolean {
  return verdict === 'invalid' || verdict === 'missing';
}

/** Compares two strings in time independent of where they differ; hashing first equalizes their lengths. */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const actualDigest = createHash('sha256').update(actual).digest();
  const expectedDigest = createHash('sha256').update(expected).digest();
  return timingSafeEqual(actualDigest, expectedDigest);
}
