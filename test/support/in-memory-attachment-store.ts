import { createHash, randomUUID } from 'node:crypto';

import type { AttachmentStore, StoredAttachment } from '../../src/support/backends/atlassian/attachment-store';

/** Attachment bytes kept in a map, for Jira adapter specs that check what was stored and deleted. */
export class InMemoryAttachmentStore implements AttachmentStore {
  readonly files = new Map<string, Buffer>();
  readonly deleted: string[] = [];

  async put(source: Buffer): Promise<StoredAttachment> {
    const key = `issue-attachments/${randomUUID()}`;
    this.files.set(key, Buffer.from(source));
    return { key, size: source.length, sha256: createHash('sha256').update(source).digest('hex') };
  }

  async delete(key: string): Promise<void> {
    this.files.delete(key);
    this.deleted.push(key);
  }

  /** Reads stored bytes as the file storage port's `readAll` does, so the outbox can upload them. */
  async readAll(key: string): Promise<Buffer> {
    return this.read(key);
  }

  read(key: string): Buffer {
    const content = this.files.get(key);
    if (!content) throw new Error(`No stored file has the key ${key}`);
    return content;
  }
}
