import { formatJqlDateTime, formatJqlLowerBound, parseJiraDateTime, parseJsmDate } from './jira-dates';

describe('Jira dates', () => {
  it.each([
    ['2024-01-31T10:20:30.000+0000', '2024-01-31T10:20:30.000Z'],
    ['2024-01-31T10:20:30.123+0200', '2024-01-31T08:20:30.123Z'],
    ['2019-02-15T19:11:18.321-0800', '2019-02-16T03:11:18.321Z'],
    ['2016-12-26T09:00:00-0500', '2016-12-26T14:00:00.000Z'],
    ['2024-01-31T10:20:30.5+05:30', '2024-01-31T04:50:30.500Z'],
    ['2024-01-31T10:20:30Z', '2024-01-31T10:20:30.000Z'],
  ])('parses %s exactly', (input, expected) => {
    expect(parseJiraDateTime(input)?.toISOString()).toBe(expected);
  });

  it.each([null, undefined, '', 'yesterday', '2024-01-31', 42])('returns null for %p', (input) => {
    expect(parseJiraDateTime(input)).toBeNull();
  });

  it('prefers epochMillis in JSM date objects', () => {
    expect(parseJsmDate({ epochMillis: 1597153902309, jira: '2000-01-01T00:00:00.000+0000' })?.toISOString()).toBe('2020-08-11T13:51:42.309Z');
    expect(parseJsmDate({ iso8601: '2020-08-11T15:51:42+0200' })?.toISOString()).toBe('2020-08-11T13:51:42.000Z');
  });

  it('writes JQL literals in the searching user time zone', () => {
    const instant = new Date('2024-01-31T23:59:59.000Z');
    expect(formatJqlDateTime(instant, 'UTC')).toBe('2024-01-31 23:59');
    expect(formatJqlDateTime(instant, 'Europe/Tallinn')).toBe('2024-02-01 01:59');
    expect(formatJqlDateTime(instant, 'America/New_York')).toBe('2024-01-31 18:59');
  });

  it('writes lower bounds that hold in the user zone and in UTC', () => {
    const instant = new Date('2024-01-31T12:00:00.000Z');
    expect(formatJqlLowerBound(instant, 'Europe/Tallinn')).toBe('2024-01-31 12:00');
    expect(formatJqlLowerBound(instant, 'America/New_York')).toBe('2024-01-31 07:00');
    expect(formatJqlLowerBound(instant, 'Not/AZone')).toBe('2024-01-31 12:00');
  });
});
