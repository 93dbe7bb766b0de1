import { Transform } from 'class-transformer';

/** Keeps the last value of a repeated query parameter, as Django's `QueryDict` does. */
export const LastValue = () => Transform(({ value }) => (Array.isArray(value) ? value[value.length - 1] : value));

/** Reads a query parameter that may repeat (`status=A&status=B`) as a list. */
export const AsList = () => Transform(({ value }) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]));

/**
 * Reads a boolean from JSON or from a form or query string ("true", "false", "1", "0").
 * Other values pass through unchanged, so `@IsBoolean()` rejects them.
 */
export const BooleanFromString = () =>
  Transform(({ value }) => {
    const single: unknown = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof single !== 'string') return single;
    const normalized = single.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
    return single;
  });
