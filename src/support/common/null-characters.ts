/**
 * U+0000 in backend data. PostgreSQL cannot store it in `text`, `varchar` or `jsonb`
 * columns: a write fails with `invalid byte sequence for encoding "UTF8": 0x00`, or for
 * jsonb `unsupported Unicode escape sequence`. JSON carries the character as the escape
 * `\u0000`, so one such character in a ticket's text would make every later write of that
 * ticket fail. Backends remove it where they parse what a remote system sends.
 */

/** Removes every U+0000 from a string. */
export function stripNullCharacter(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/**
 * Returns parsed JSON, or a plain string, with U+0000 removed from every string and object
 * key. Values without the character are returned as they are, not copied, and so are
 * class instances such as buffers.
 */
export function stripNullCharacters<T>(value: T): T {
  return strip(value) as T;
}

/**
 * Parses JSON text like `JSON.parse` and removes U+0000 from its strings and keys. JSON
 * text can contain the character only as the escape `\u0000` (a raw one is invalid
 * JSON), so text without that escape is parsed without the extra walk.
 */
export function parseJsonWithoutNullCharacters(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return text.includes('\\u0000') ? strip(parsed) : parsed;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return stripNullCharacter(value);
  if (Array.isArray(value)) {
    const items = value.map(strip);
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isPlainObject(value)) return value;

  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const cleanKey = stripNullCharacter(key);
    const cleanItem = strip(item);
    if (cleanKey !== key || cleanItem !== item) changed = true;
    return [cleanKey, cleanItem] as const;
  });
  // fromEntries defines own properties, so a `__proto__` key from JSON stays a plain key.
  return changed ? Object.fromEntries(entries) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
