import { createHmac, timingSafeEqual } from 'node:crypto';

import { formatUuid, parseUuid } from '../../common/http/uuid';

const SECONDS_PER_DAY = 24 * 60 * 60;

/** Clock difference between replicas tolerated for a token issued "in the future". */
const CLOCK_SKEW_SECONDS = 5 * 60;

export type FeedbackTokenProblem = 'invalid' | 'expired';

/** Why a feedback token was rejected: tampered or malformed (`invalid`), or too old (`expired`). */
export class FeedbackTokenError extends Error {
  constructor(readonly problem: FeedbackTokenProblem) {
    super(problem === 'expired' ? 'Token has expired.' : 'Token is invalid.');
    this.name = 'FeedbackTokenError';
  }
}

/**
 * Creates the token of a feedback link: `<issue uuid hex>:<issued-at epoch seconds, base36>:<signature>`,
 * the signature being the base64url HMAC-SHA256 of the first two parts under `secret`.
 */
export function createFeedbackToken(secret: string, issueUuid: string, issuedAt: Date): string {
  const payload = `${formatUuid(issueUuid)}:${Math.floor(issuedAt.getTime() / 1000).toString(36)}`;
  return `${payload}:${sign(secret, payload)}`;
}

/**
 * Verifies a feedback token and returns the UUID of its issue (hyphenated). A token is
 * valid for `periodDays` days from the time it was issued; it throws `FeedbackTokenError`.
 */
export function verifyFeedbackToken(secret: string, token: string, periodDays: number, now: Date = new Date()): string {
  const match = /^([0-9a-f]{32}):([0-9a-z]{1,12}):([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!match) throw new FeedbackTokenError('invalid');
  const [, uuidHex, issuedAt36, signature] = match;

  const expected = Buffer.from(sign(secret, `${uuidHex}:${issuedAt36}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new FeedbackTokenError('invalid');

  const issuedAtSeconds = parseInt(issuedAt36, 36);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (issuedAtSeconds > nowSeconds + CLOCK_SKEW_SECONDS) throw new FeedbackTokenError('invalid');
  if (nowSeconds - issuedAtSeconds > periodDays * SECONDS_PER_DAY) throw new FeedbackTokenError('expired');

  return parseUuid(uuidHex) as string;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
