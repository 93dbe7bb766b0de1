import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';

import { FileStorage } from '../../../storage/file-storage';
import { Attachment } from '../../attachments/attachment.entity';
import { SmaxBackend } from './smax.backend';

const SMAX_BACKEND_NAME = 'smax';
const OCTET_STREAM = 'application/octet-stream';

/**
 * Copies the bytes of files SMAX agents attached into our storage, outside any transaction.
 * A pull or webhook creates such attachments without bytes. Each apply then fetches the
 * files still missing, so a failed download is tried again on the next apply.
 */
@Injectable()
export class SmaxAttachmentDownloads {
  private readonly logger = new Logger(SmaxAttachmentDownloads.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {}

  /** Downloads every SMAX file of the issue that has no stored bytes yet. Failed downloads are logged and skipped. */
  async fetchMissing(backend: SmaxBackend, issueId: number): Promise<void> {
    const missing = await this.dataSource.getRepository(Attachment).find({
      where: { issueId, backendName: SMAX_BACKEND_NAME, backendId: Not(''), storageKey: IsNull() },
      order: { id: 'ASC' },
    });
    for (const attachment of missing) {
      try {
        await this.fetch(backend, attachment);
      } catch (error) {
        this.logger.warn(`Downloading SMAX file ${attachment.backendId} of attachment ${attachment.uuid} failed, so the next apply of its Request tries again: ${(error as Error).message}`);
      }
    }
  }

  /** Stores the bytes, then sets the key only while the row still has none; otherwise the new file is removed again. */
  private async fetch(backend: SmaxBackend, attachment: Attachment): Promise<void> {
    const { content, contentType } = await backend.downloadAttachment(attachment);
    const stored = await this.storage.put(content, 'issue-attachments');
    const sentType = contentType?.split(';')[0].trim().toLowerCase();
    const mimeType = attachment.mimeType === OCTET_STREAM && sentType ? sentType : attachment.mimeType;
    const update = await this.dataSource
      .getRepository(Attachment)
      .update({ id: attachment.id, storageKey: IsNull() }, { storageKey: stored.key, fileSize: stored.size, sha256: stored.sha256, mimeType });
    if (!update.affected) await this.storage.delete(stored.key);
  }
}
