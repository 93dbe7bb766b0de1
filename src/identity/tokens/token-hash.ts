import { createHash, randomBytes } from 'node:crypto';

/** Returns a new 40-hex-character token key, the length DRF tokens have. */
export function generateTokenKey(): string {
  return randomBytes(20).toString('hex');
}

export function hashTokenKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
