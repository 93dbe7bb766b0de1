const HEX32 = /^[0-9a-f]{32}$/;

/**
 * Normalizes a UUID from a path or a body: hyphens, upper case and surrounding braces
 * (HomePort sends `%7B<uuid>%7D`) are accepted. Returns the canonical hyphenated form
 * PostgreSQL stores, or undefined when the value is not a UUID.
 */
export function parseUuid(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let value = raw.trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  value = value.replace(/^\{(.*)\}$/, '$1').replace(/-/g, '').toLowerCase();
  if (!HEX32.test(value)) return undefined;
  return `${value.slice(0, 8)}-${value.slice(8, 12)}-${value.slice(12, 16)}-${value.slice(16, 20)}-${value.slice(20)}`;
}

/** Renders a stored UUID the way the API shows it: 32 lowercase hex characters. */
export function formatUuid(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}
