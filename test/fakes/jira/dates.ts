/**
 * Jira's date formats. Platform timestamps carry milliseconds and an offset
 * without a colon (`2024-01-31T10:20:30.000+0000`). JSM date objects add an
 * `iso8601` form without milliseconds, a localised `friendly` text and
 * `epochMillis`.
 */

export interface JsmDate {
  iso8601: string;
  jira: string;
  friendly: string;
  epochMillis: number;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Returns the offset of `timeZone` from UTC at instant `ms`, in minutes. */
export function offsetMinutes(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') {
    return 0;
  }
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  const zoneName = formatter.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName);
  if (!match) {
    return 0;
  }
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  offset: string;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const offset = offsetMinutes(ms, timeZone);
  const shifted = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
    offset: `${sign}${pad(Math.floor(absolute / 60))}${pad(absolute % 60)}`,
  };
}

function formatLocal(parts: LocalParts, withMillis: boolean): string {
  const date = `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
  const time = `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
  const millis = withMillis ? `.${pad(parts.millisecond, 3)}` : '';
  return `${date}T${time}${millis}${parts.offset}`;
}

/** Formats an instant as Jira platform timestamps are written: `2024-01-31T10:20:30.000+0000`. */
export function formatJiraTimestamp(ms: number, timeZone: string): string {
  return formatLocal(localParts(ms, timeZone), true);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatClock(parts: LocalParts): string {
  const hour12 = parts.hour % 12 === 0 ? 12 : parts.hour % 12;
  return `${hour12}:${pad(parts.minute)} ${parts.hour < 12 ? 'AM' : 'PM'}`;
}

function dayNumber(parts: LocalParts): number {
  return Math.floor(Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000);
}

/** Formats the English `friendly` text of JSM dates ("Today 3:51 PM", "Yesterday ...", a weekday, or `31/Jan/24 ...`). */
export function formatFriendly(ms: number, nowMs: number, timeZone: string): string {
  const parts = localParts(ms, timeZone);
  const daysAgo = dayNumber(localParts(nowMs, timeZone)) - dayNumber(parts);
  if (daysAgo === 0) {
    return `Today ${formatClock(parts)}`;
  }
  if (daysAgo === 1) {
    return `Yesterday ${formatClock(parts)}`;
  }
  if (daysAgo > 1 && daysAgo < 7) {
    return `${WEEKDAYS[parts.weekday]} ${formatClock(parts)}`;
  }
  return `${pad(parts.day)}/${MONTHS[parts.month - 1]}/${pad(parts.year % 100)} ${formatClock(parts)}`;
}

/** Builds a JSM date object for an instant. */
export function jsmDate(ms: number, nowMs: number, timeZone: string): JsmDate {
  const parts = localParts(ms, timeZone);
  return {
    iso8601: formatLocal(parts, false),
    jira: formatLocal(parts, true),
    friendly: formatFriendly(ms, nowMs, timeZone),
    epochMillis: ms,
  };
}

/** Converts a wall-clock time in `timeZone` to epoch milliseconds. */
export function localToEpoch(
  fields: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour ?? 0, fields.minute ?? 0);
  // Two passes settle the offset when the wall time is close to a daylight-saving change.
  let guess = naive - offsetMinutes(naive, timeZone) * 60_000;
  guess = naive - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

/** Parses a `yyyy-MM-dd` date, as used by `duedate` and date pickers, to midnight UTC. */
export function parseDateOnly(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return null;
  }
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/**
 * Parses a datetime written as Jira accepts it on input
 * (`2024-01-31T10:20:30.000+0000`, also without milliseconds or with `+00:00`).
 * Returns null for anything else, including a trailing `Z`, which Jira rejects.
 */
export function parseJiraTimestamp(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (!match) {
    return null;
  }
  const [, year, month, day, hour, minute, second, millis, sign, offsetHours, offsetMins] = match;
  const wall = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    Number((millis ?? '0').padEnd(3, '0')),
  );
  const offset = (Number(offsetHours) * 60 + Number(offsetMins)) * (sign === '-' ? -1 : 1);
  return wall - offset * 60_000;
}
