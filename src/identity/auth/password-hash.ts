import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters for new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB per hash). */
const COST = 32768;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;

/** Upper bound on N read back from a stored hash, so a corrupt row cannot exhaust memory. */
const MAX_COST = 1 << 20;

function deriveKey(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; the default maxmem (32 MiB) is exactly too small for N = 2^15.
  const maxmem = 256 * (options.N ?? COST) * (options.r ?? BLOCK_SIZE);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password as `scrypt$N$r$p$<salt base64>$<hash base64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, { N: COST, r: BLOCK_SIZE, p: PARALLELIZATION });
  return ['scrypt', COST, BLOCK_SIZE, PARALLELIZATION, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A null or malformed hash never
 * matches; the caller still spends the time of one hash (see `burnPasswordCheck`).
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = stored ? parseHash(stored) : undefined;
  if (!parsed) {
    await burnPasswordCheck(password);
    return false;
  }
  const key = await deriveKey(password, parsed.salt, parsed.hash.length, { N: parsed.cost, r: parsed.blockSize, p: parsed.parallelization });
  return timingSafeEqual(key, parsed.hash);
}

/** Spends the time of one hash check, so a login for an unknown user takes as long as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await deriveKey(password, Buffer.alloc(SALT_BYTES), KEY_BYTES, { N: COST, r: BLOCK_SIZE, p: PARALLELIZATION });
}

interface ParsedHash {
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number);
  const isPowerOfTwo = Number.isInteger(cost) && cost > 1 && (cost & (cost - 1)) === 0;
  if (!isPowerOfTwo || cost > MAX_COST) return undefined;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 32) return undefined;
  if (!Number.isInteger(parallelization) || parallelization < 1 || parallelization > 16) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || hash.length < 16) return undefined;
  return { cost, blockSize, parallelization, salt, hash };
}
