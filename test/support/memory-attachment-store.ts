import { createHash, randomUUID } from 'node:crypto';

import type { AttachmentStore, StoredAttachment } from '../../src/support/backends/zammad/attachment-store';

/** Attachment bytes kept in a map, for adapter specs that check what was stored. */
export class MemoryAttachmentStore implements AttachmentStore {
  readonly files = new Map<string, Buffer>();

  async put(source: Buffer): Promise<StoredAttachment> {
    const key = `issue-attachments/${randomUUID()}`;
    this.files.set(key, Buffer.from(source));
    return { key, size: source.length, sha256: createHash('sha256').update(source).digest('hex') };
  }

  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }

  async readAll(key: string): Promise<Buffer> {
    return this.read(key);
  }

  read(key: string): Buffer {
    const content = this.files.get(key);
    if (!content) throw new Error(`No stored file has the key ${key}`);
    return content;
  }
}
