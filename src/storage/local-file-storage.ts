import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Logger } from '@nestjs/common';

import {
  FileStorage,
  InvalidStorageKeyError,
  StorageNamespace,
  StoredObject,
  StoredObjectNotFoundError,
  StoredObjectStream,
} from './file-storage';

/** `<namespace>/<first two hex digits>/<32 hex digits>`; nothing else is ever resolved to a path. */
const KEY_PATTERN = /^[a-z][a-z-]{0,31}\/[0-9a-f]{2}\/[0-9a-f]{32}$/;

const TEMP_FOLDER = '.incoming';

/** Partial uploads older than this are left over from a crash and removed at start. */
const STALE_TEMP_FILE_MS = 60 * 60 * 1000;

/**
 * Keeps files in a local folder under random, uuid-named keys. A write goes to a temporary
 * file first, is flushed to disk and renamed into place, so readers never see a partial file.
 */
export class LocalFileStorage extends FileStorage {
  private readonly logger = new Logger(LocalFileStorage.name);
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  /** Creates the folders and removes partial uploads a crash left behind. */
  async prepare(): Promise<void> {
    const tempFolder = join(this.root, TEMP_FOLDER);
    await mkdir(tempFolder, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(tempFolder)) {
      const path = join(tempFolder, name);
      try {
        const info = await stat(path);
        if (now - info.mtimeMs > STALE_TEMP_FILE_MS) await unlink(path);
      } catch (error) {
        this.logger.warn({ err: error, path }, 'Could not remove a stale partial upload');
      }
    }
  }

  async put(source: Readable | Buffer, namespace: StorageNamespace): Promise<StoredObject> {
    const id = randomUUID().replace(/-/g, '');
    const key = `${namespace}/${id.slice(0, 2)}/${id}`;
    const finalPath = this.pathFor(key);
    const tempPath = join(this.root, TEMP_FOLDER, `${id}.part`);

    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });

    try {
      const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
      await pipeline(input, measure, createWriteStream(tempPath, { flags: 'wx' }));
      await flushToDisk(tempPath);
      await mkdir(join(finalPath, '..'), { recursive: true });
      await rename(tempPath, finalPath);
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  async open(key: string): Promise<StoredObjectStream> {
    const path = this.pathFor(key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissingFile(error)) throw new StoredObjectNotFoundError(key);
      throw error;
    }
    try {
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathFor(key));
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (error) {
      if (isMissingFile(error)) return false;
      throw error;
    }
  }

  private pathFor(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new InvalidStorageKeyError(key);
    const path = resolve(this.root, key);
    // The pattern already rules out `..` and absolute paths; this guards against future edits to it.
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  }
}

async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
