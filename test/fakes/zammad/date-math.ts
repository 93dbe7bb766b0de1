/** Milliseconds per unit for the units Zammad's relative conditions accept. */
const RANGE_MILLISECONDS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** Elasticsearch date-math units (`now-1h`, `now-2d`, ...). */
const DATE_MATH_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  H: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  y: 'year',
};

/**
 * Length of `value` × `range` in milliseconds, for relative conditions such as
 * `{"operator": "within last (relative)", "value": 2, "range": "hour"}`.
 *
 * NOTE: months and years are counted as 30 and 365 days; Zammad uses calendar months.
 */
export function relativeRangeMs(value: unknown, range: unknown): number {
  const amount = Number(value);
  const unit = RANGE_MILLISECONDS[String(range ?? 'day')] ?? RANGE_MILLISECONDS.day;
  return (Number.isFinite(amount) ? amount : 0) * unit;
}

/** Parses an ISO date or Elasticsearch date math (`now`, `now-1h`, `now+2d-30m`); NaN if neither. */
export function parseDateExpression(expression: string, now: Date): number {
  const math = /^now((?:[+-]\d+[smhHdwMy])*)$/.exec(expression.trim());
  if (!math) {
    return new Date(expression).getTime();
  }
  let time = now.getTime();
  for (const step of math[1].matchAll(/([+-])(\d+)([smhHdwMy])/g)) {
    const unit = DATE_MATH_UNITS[step[3]];
    const delta = unit === 'second' ? Number(step[2]) * 1000 : relativeRangeMs(step[2], unit);
    time += step[1] === '+' ? delta : -delta;
  }
  return time;
}
