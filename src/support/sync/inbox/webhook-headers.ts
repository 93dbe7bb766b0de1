import type { IncomingHttpHeaders } from 'node:http';

/** Header names that carry credentials; such headers are never stored. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|secret|token|password|api-?key|session/i;

/**
 * Returns the headers to store with a delivery: names lower-cased, repeated values joined
 * with ", ", and every header that may carry a credential removed, including `extraSecret`
 * names (a configured shared-secret header, for example).
 */
export function storableHeaders(headers: IncomingHttpHeaders, extraSecret: readonly string[] = []): Record<string, string> {
  const extra = new Set(extraSecret.map((name) => name.toLowerCase()));
  const result: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || SECRET_HEADER.test(name) || extra.has(name)) continue;
    result[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}

/** Reads one header case-insensitively; for a repeated header, its first value. */
export function headerValue(headers: IncomingHttpHeaders | Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value[0] : String(value);
  }
  return undefined;
}
