import { Request } from 'express';
import { StorageEngine } from 'multer';

import { FileStorage, StorageNamespace } from '../file-storage';
import { detectMimeType } from './mime-type';
import { StoredUpload } from './stored-upload';
import { UploadProbe } from './upload-probe';

/** A failure of the storage itself, as opposed to a malformed request, so it is not the client's fault. */
export class UploadStorageError extends Error {
  constructor(readonly cause: unknown) {
    super('Writing an uploaded file to storage failed.');
    this.name = 'UploadStorageError';
  }
}

/** multer's file object once this engine has stored it. */
export type StoredMulterFile = Express.Multer.File & { stored: StoredUpload };

/** A multer storage engine that streams each file into `FileStorage`, hashing and sniffing it. */
export class StorageUploadEngine implements StorageEngine {
  constructor(
    private readonly storage: FileStorage,
    private readonly namespace: StorageNamespace,
  ) {}

  _handleFile(_request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<StoredMulterFile>) => void): void {
    this.store(file).then(
      (stored) => callback(null, { size: stored.size, stored }),
      (error: unknown) => callback(new UploadStorageError(error)),
    );
  }

  _removeFile(_request: Request, file: Partial<StoredMulterFile>, callback: (error: Error | null) => void): void {
    if (!file.stored) return callback(null);
    this.storage.delete(file.stored.storageKey).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  private async store(file: Express.Multer.File): Promise<StoredUpload> {
    const probe = new UploadProbe();
    // pipe() does not forward errors, so a broken request stream must fail the write itself.
    file.stream.once('error', (error) => probe.destroy(error));
    const { key, size, sha256 } = await this.storage.put(file.stream.pipe(probe), this.namespace);
    try {
      const mimeType = await detectMimeType(probe.head, probe.isText);
      return { fieldName: file.fieldname, fileName: normalizeFileName(file.originalname), storageKey: key, size, sha256, mimeType };
    } catch (error) {
      await this.storage.delete(key);
      throw error;
    }
  }
}

/** NFC-normalizes a client file name and drops any folder part a client left in it. */
export function normalizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.normalize('NFC').trim();
}
