/**
 * Jira writes date-times as `2024-01-31T10:20:30.000+0000`: milliseconds and an offset
 * without a colon, in the viewing user's zone. JSM `iso8601` strings drop the
 * milliseconds (`2024-01-31T10:20:30+0000`). `Date.parse` reads neither form on every
 * engine, so this parser reads the fields itself and computes the instant exactly.
 */
const JIRA_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a Jira or JSM timestamp; returns null for null, empty or malformed values. */
export function parseJiraDateTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = JIRA_DATE_TIME.exec(value.trim());
  if (!match) return null;

  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  const offsetMinutes = zone === 'Z' ? 0 : parseOffsetMinutes(zone);
  const date = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads a JSM date object (`{epochMillis, iso8601, jira, friendly}`) or a plain Jira timestamp. */
export function parseJsmDate(value: unknown): Date | null {
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.epochMillis === 'number' && Number.isFinite(record.epochMillis)) return new Date(record.epochMillis);
    return parseJiraDateTime(record.jira) ?? parseJiraDateTime(record.iso8601);
  }
  return parseJiraDateTime(value);
}

/**
 * Formats an instant as a JQL date literal (`yyyy-MM-dd HH:mm`). JQL reads such literals
 * in the searching user's time zone, so `timeZone` must be that user's IANA zone.
 * Seconds are dropped, so a search from this literal can return changes up to a minute older.
 */
export function formatJqlDateTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timeZone || 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/**
 * Formats a JQL literal that reads as `date` or earlier whether Jira reads it in the
 * searching user's zone or in UTC: the earlier of the two wall-clock times. Atlassian
 * documents the user's profile zone, but some installations read literals in the
 * server's default zone, and a literal read in the wrong zone would skip changes.
 * NOTE: for a user far from UTC this re-reads up to the offset's hours of changes.
 */
export function formatJqlLowerBound(date: Date, userTimeZone: string): string {
  const inUserZone = formatJqlDateTime(date, isKnownTimeZone(userTimeZone) ? userTimeZone : 'UTC');
  const inUtc = formatJqlDateTime(date, 'UTC');
  return inUserZone < inUtc ? inUserZone : inUtc;
}

/** Checks whether `Intl` supports a time zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function parseOffsetMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}
