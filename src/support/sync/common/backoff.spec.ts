import { retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };
  const almostOne = () => 0.999999;

  it('doubles the ceiling with each failure', () => {
    expect(retryDelayMs(policy, 1, almostOne)).toBe(999);
    expect(retryDelayMs(policy, 2, almostOne)).toBe(1999);
    expect(retryDelayMs(policy, 3, almostOne)).toBe(3999);
    expect(retryDelayMs(policy, 6, almostOne)).toBe(31_999);
  });

  it('stays under the cap', () => {
    expect(retryDelayMs(policy, 7, almostOne)).toBe(59_999);
    expect(retryDelayMs(policy, 500, almostOne)).toBe(59_999);
  });

  it('waits at least half the ceiling', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 4, () => 0)).toBe(4000);
    expect(retryDelayMs(policy, 4, () => 0.5)).toBe(6000);
    expect(retryDelayMs(policy, 500, () => 0)).toBe(30_000);
  });

  it('waits at least Retry-After', () => {
    expect(retryDelayMs(policy, 1, () => 0.5, 30)).toBe(30_000);
    expect(retryDelayMs(policy, 10, almostOne, 1)).toBe(59_999);
  });

  it('ignores a zero Retry-After', () => {
    expect(retryDelayMs(policy, 1, () => 0, 0)).toBe(500);
  });
});
