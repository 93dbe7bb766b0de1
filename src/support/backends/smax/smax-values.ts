/** Readers for loosely typed EMS values: ids come as strings or numbers, times as epoch numbers. */

/** Returns a non-empty id or text, accepting numbers as EMS sometimes sends ids. */
export function readString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Converts EMS epoch milliseconds (`LastUpdateTime`, `CreateTime`) to a date; 0 means "never" and gives null. */
export function epochMillisToDate(value: unknown): Date | null {
  const millis = readNumber(value);
  return millis === undefined || millis <= 0 ? null : new Date(millis);
}

/** Converts EMS epoch microseconds (`meta.query_time`) to a date, dropping the sub-millisecond part. */
export function epochMicrosToDate(value: unknown): Date | null {
  const micros = readNumber(value);
  return micros === undefined || micros <= 0 ? null : new Date(Math.floor(micros / 1000));
}

export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
