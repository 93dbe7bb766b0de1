import { createHash } from 'node:crypto';

/**
 * Hashes a value as SHA-256 hex of its canonical JSON (object keys sorted at every level),
 * so the same content hashes the same however it was built. Echo suppression compares the
 * hash the outbox recorded for a push with the hash a processor computes for what came
 * back, so both sides must hash the same normalized fields.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareKeys(a, b));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** Orders keys by UTF-16 code units, which unlike `localeCompare` does not depend on the locale. */
function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
