import { hashPassword, verifyPassword } from './password-hash';

describe('password hash', () => {
  it('stores parameters and salt in the hash string', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('salts each hash', async () => {
    const first = await hashPassword('same password');
    const second = await hashPassword('same password');
    expect(first).not.toBe(second);
  });

  it('accepts the right password', async () => {
    const hash = await hashPassword('correct horse');
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
  });

  it('rejects a wrong password', async () => {
    const hash = await hashPassword('correct horse');
    await expect(verifyPassword('correct horsf', hash)).resolves.toBe(false);
  });

  it('verifies hashes made with other parameters', async () => {
    const hash = await hashPassword('pick me');
    const parts = hash.split('$');
    // A hash written with a smaller N still verifies, because N is read from the string.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from(parts[4], 'base64');
    const key = scryptSync('pick me', salt, 32, { N: 1024, r: 8, p: 1 });
    const older = ['scrypt', 1024, 8, 1, parts[4], key.toString('base64')].join('$');
    await expect(verifyPassword('pick me', older)).resolves.toBe(true);
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['another scheme', 'pbkdf2_sha256$260000$salt$hash'],
    ['cost not a power of two', 'scrypt$1000$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['cost too large', `scrypt$${2 ** 24}$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==`],
  ])('never matches a %s hash', async (_case, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });
});
