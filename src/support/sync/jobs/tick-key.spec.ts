import { dailyTick, intervalTick, msUntilNextDaily, msUntilNextInterval } from './tick-key';

describe('tick keys', () => {
  const tenMinutes = 10 * 60 * 1000;

  it('names the interval slot', () => {
    expect(intervalTick(new Date('2024-05-01T10:17:42.500Z'), tenMinutes)).toBe('2024-05-01T10:10:00.000Z');
    expect(intervalTick(new Date('2024-05-01T10:10:00.000Z'), tenMinutes)).toBe('2024-05-01T10:10:00.000Z');
  });

  it('names one slot for every moment in it', () => {
    const early = intervalTick(new Date('2024-05-01T10:10:00.001Z'), tenMinutes);
    const late = intervalTick(new Date('2024-05-01T10:19:59.999Z'), tenMinutes);
    expect(early).toBe(late);
  });

  it('counts to the next slot', () => {
    expect(msUntilNextInterval(new Date('2024-05-01T10:17:00.000Z'), tenMinutes)).toBe(3 * 60 * 1000);
    expect(msUntilNextInterval(new Date('2024-05-01T10:20:00.000Z'), tenMinutes)).toBe(tenMinutes);
  });

  it('names the daily occurrence at or before a moment', () => {
    const at = new Date(2024, 4, 1, 0, 30);
    expect(dailyTick(at, 1, 0)).toBe(new Date(2024, 3, 30, 1, 0).toISOString());
    expect(dailyTick(new Date(2024, 4, 1, 1, 0), 1, 0)).toBe(new Date(2024, 4, 1, 1, 0).toISOString());
    expect(dailyTick(new Date(2024, 4, 1, 23, 0), 1, 0)).toBe(new Date(2024, 4, 1, 1, 0).toISOString());
  });

  it('counts to the next daily occurrence', () => {
    expect(msUntilNextDaily(new Date(2024, 4, 1, 0, 30), 1, 0)).toBe(30 * 60 * 1000);
    expect(msUntilNextDaily(new Date(2024, 4, 1, 1, 0), 1, 0)).toBe(new Date(2024, 4, 2, 1, 0).getTime() - new Date(2024, 4, 1, 1, 0).getTime());
  });
});
