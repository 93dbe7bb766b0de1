import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { InvalidStorageKeyError, StoredObjectNotFoundError } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

describe('LocalFileStorage', () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'deskbridge-storage-'));
    storage = new LocalFileStorage(root);
    await storage.prepare();
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a stream and reads it back', async () => {
    const stored = await storage.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]), 'issue-attachments');

    expect(stored.key).toMatch(/^issue-attachments\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(stored.size).toBe(11);
    expect(stored.sha256).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    expect((await storage.readAll(stored.key)).toString()).toBe('hello world');
    expect((await storage.open(stored.key)).size).toBe(11);
  });

  it('gives every write its own key', async () => {
    const first = await storage.put(Buffer.from('same'), 'template-attachments');
    const second = await storage.put(Buffer.from('same'), 'template-attachments');
    expect(first.key).not.toBe(second.key);
  });

  it('leaves no file after a failed write', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });

    await expect(storage.put(failing, 'issue-attachments')).rejects.toThrow('connection reset');

    expect(readdirSync(join(root, '.incoming'))).toEqual([]);
    expect(readdirSync(root)).toEqual(['.incoming']);
  });

  it('deletes, and ignores a missing key', async () => {
    const stored = await storage.put(Buffer.from('bye'), 'issue-attachments');

    await storage.delete(stored.key);
    await storage.delete(stored.key);

    expect(await storage.exists(stored.key)).toBe(false);
    await expect(storage.open(stored.key)).rejects.toBeInstanceOf(StoredObjectNotFoundError);
  });

  it.each([
    '../outside',
    'issue-attachments/../../etc/passwd',
    '/etc/passwd',
    'issue-attachments/ab/../../../x',
    'issue-attachments/ab/ABCDEF0123456789ABCDEF0123456789',
    'issue-attachments/ab/0123456789abcdef0123456789abcdef/extra',
    '',
  ])('rejects the key %p', async (key) => {
    await expect(storage.open(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it('removes stale partial uploads on prepare', async () => {
    const stale = join(root, '.incoming', 'old.part');
    const fresh = join(root, '.incoming', 'new.part');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);

    await storage.prepare();

    expect(readdirSync(join(root, '.incoming'))).toEqual(['new.part']);
  });
});
