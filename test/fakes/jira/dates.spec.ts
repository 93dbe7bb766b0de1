import { formatFriendly, formatJiraTimestamp, jsmDate, localToEpoch, parseJiraTimestamp } from './dates';

const INSTANT = Date.UTC(2024, 0, 31, 10, 20, 30, 117);

describe('fake Jira dates', () => {
  it('formats UTC timestamps', () => {
    expect(formatJiraTimestamp(INSTANT, 'UTC')).toBe('2024-01-31T10:20:30.117+0000');
  });

  it('formats zoned timestamps without a colon', () => {
    expect(formatJiraTimestamp(INSTANT, 'America/New_York')).toBe('2024-01-31T05:20:30.117-0500');
    expect(formatJiraTimestamp(Date.UTC(2024, 6, 1, 12), 'Europe/Tallinn')).toBe('2024-07-01T15:00:00.000+0300');
  });

  it('builds JSM date objects', () => {
    expect(jsmDate(INSTANT, INSTANT, 'UTC')).toEqual({
      iso8601: '2024-01-31T10:20:30+0000',
      jira: '2024-01-31T10:20:30.117+0000',
      friendly: 'Today 10:20 AM',
      epochMillis: INSTANT,
    });
  });

  it('writes friendly texts', () => {
    const day = 86_400_000;
    expect(formatFriendly(INSTANT - day, INSTANT, 'UTC')).toBe('Yesterday 10:20 AM');
    expect(formatFriendly(INSTANT - 3 * day, INSTANT, 'UTC')).toBe('Sunday 10:20 AM');
    expect(formatFriendly(INSTANT - 30 * day, INSTANT, 'UTC')).toBe('01/Jan/24 10:20 AM');
  });

  it('reads wall-clock time in a zone', () => {
    expect(localToEpoch({ year: 2024, month: 1, day: 31, hour: 12, minute: 20 }, 'Europe/Tallinn')).toBe(Date.UTC(2024, 0, 31, 10, 20));
  });

  it('parses Jira input timestamps', () => {
    expect(parseJiraTimestamp('2024-01-31T10:20:30.117+0000')).toBe(INSTANT);
    expect(parseJiraTimestamp('2024-01-31T12:20:30.117+02:00')).toBe(INSTANT);
    expect(parseJiraTimestamp('2024-01-31T10:20:30.117Z')).toBeNull();
  });
});
