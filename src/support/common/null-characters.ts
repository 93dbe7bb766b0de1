/**
 * PostgreSQL text columns cannot hold U+0000, and writing one fails with `invalid byte
 * sequence for encoding "UTF8": 0x00`. JSON allows it (`\u0000`), so text from a backend
 * or a webhook is cleaned with these helpers before it can reach a row.
 */

/** Removes every U+0000 from a string. */
export function stripNullCharacter(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/**
 * Returns parsed JSON without U+0000 in any string, object key included. Arrays and plain
 * objects are copied, other values (numbers, booleans, null, class instances) are returned
 * as they are.
 */
export function stripNullCharacters<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return stripNullCharacter(value);
  if (Array.isArray(value)) return value.map(strip);
  if (!isPlainObject(value)) return value;
  // fromEntries defines own properties, so a `__proto__` key from JSON stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripNullCharacter(key), strip(item)]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
