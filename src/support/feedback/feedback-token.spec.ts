import { createFeedbackToken, FeedbackTokenError, verifyFeedbackToken } from './feedback-token';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ISSUE_UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ISSUED_AT = new Date('2025-03-01T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

function problemOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof FeedbackTokenError) return error.problem;
    throw error;
  }
}

describe('feedback token', () => {
  const token = createFeedbackToken(SECRET, ISSUE_UUID, ISSUED_AT);

  it('names its issue', () => {
    expect(token.startsWith('0f8fad5bd9cb469fa16570867728950e:')).toBe(true);
    expect(verifyFeedbackToken(SECRET, token, 7, new Date(ISSUED_AT.getTime() + DAY_MS))).toBe(ISSUE_UUID);
  });

  it('is valid up to the last second of the period', () => {
    expect(verifyFeedbackToken(SECRET, token, 7, new Date(ISSUED_AT.getTime() + 7 * DAY_MS))).toBe(ISSUE_UUID);
  });

  it('expires after the period', () => {
    expect(problemOf(() => verifyFeedbackToken(SECRET, token, 7, new Date(ISSUED_AT.getTime() + 7 * DAY_MS + 1000)))).toBe('expired');
  });

  it('rejects another secret', () => {
    expect(problemOf(() => verifyFeedbackToken(`${SECRET}x`, token, 7, ISSUED_AT))).toBe('invalid');
  });

  it('rejects a token moved to another issue', () => {
    const forged = token.replace(/^0f8fad5b/, '1f8fad5b');
    expect(problemOf(() => verifyFeedbackToken(SECRET, forged, 7, ISSUED_AT))).toBe('invalid');
  });

  it('rejects a token with a later issue time', () => {
    const [uuid, , signature] = token.split(':');
    const forged = `${uuid}:${(Math.floor(Date.now() / 1000)).toString(36)}:${signature}`;
    expect(problemOf(() => verifyFeedbackToken(SECRET, forged, 7))).toBe('invalid');
  });

  it('rejects a token issued in the future', () => {
    const future = createFeedbackToken(SECRET, ISSUE_UUID, new Date(ISSUED_AT.getTime() + DAY_MS));
    expect(problemOf(() => verifyFeedbackToken(SECRET, future, 7, ISSUED_AT))).toBe('invalid');
  });

  it.each(['', 'abc', `${token}:extra`, token.toUpperCase()])('rejects the malformed token %p', (malformed) => {
    expect(problemOf(() => verifyFeedbackToken(SECRET, malformed, 7, ISSUED_AT))).toBe('invalid');
  });
});
