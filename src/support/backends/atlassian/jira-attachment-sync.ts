import { Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';

import { Attachment } from '../../attachments/attachment.entity';
import { SyncState } from '../../common/sync-state';
import type { Issue } from '../../issues/issue.entity';
import type { SupportUser } from '../../support-users/support-user.entity';
import type { AttachmentStore, StoredAttachment } from './attachment-store';
import { isExcludedAttachment } from './jira-multipart';
import { JiraClient } from './jira.client';
import { JiraError } from './jira.exception';
import type { JiraAccountFields, JiraAttachmentFields } from './jira.mapper';

const BACKEND = 'atlassian';

/** A new Jira attachment of a snapshot and where its bytes went; null keeps them in Jira until they are fetched. */
export interface NewJiraFile {
  attachment: JiraAttachmentFields;
  stored: StoredAttachment | null;
}

export interface AttachmentCounts {
  attachmentsCreated: number;
  /** Storage keys no row refers to any more. */
  orphanedKeys: string[];
}

/**
 * Jira's files of an issue: downloads the new ones before any transaction opens, then
 * records them, recognizing our own uploads by name and size instead of copying them.
 * Types in `ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES` are skipped. Without a store, new files
 * are recorded from their metadata and their bytes stay in Jira.
 */
export class JiraAttachmentSync {
  private readonly logger = new Logger(JiraAttachmentSync.name);

  constructor(
    private readonly client: JiraClient,
    private readonly store: AttachmentStore | undefined,
    private readonly excludedTypes: string[],
  ) {}

  /** Downloads the files neither stored here nor our own uploads waiting for their Jira id. */
  async download(manager: EntityManager, attachments: JiraAttachmentFields[], localIssueId: number | undefined): Promise<Map<string, NewJiraFile>> {
    const files = new Map<string, NewJiraFile>();
    const wanted = attachments.filter((attachment) => !isExcludedAttachment(attachment.fileName, this.excludedTypes));
    if (wanted.length === 0) return files;

    const known = new Set(
      (await manager.find(Attachment, { select: { backendId: true }, where: { backendName: BACKEND, backendId: In(wanted.map((item) => item.backendId)) } })).map(
        (row) => row.backendId,
      ),
    );
    const pending = localIssueId
      ? await manager.find(Attachment, { where: { issueId: localIssueId, backendId: '' }, select: { id: true, fileName: true, fileSize: true } })
      : [];
    for (const attachment of wanted) {
      if (known.has(attachment.backendId) || pending.some((row) => sameFile(row, attachment))) continue;
      if (!this.store) {
        files.set(attachment.backendId, { attachment, stored: null });
        continue;
      }
      try {
        const content = await this.client.downloadAttachment({ id: attachment.backendId, contentUrl: attachment.contentUrl });
        files.set(attachment.backendId, { attachment, stored: await this.store.put(content, 'issue-attachments') });
      } catch (error) {
        if (error instanceof JiraError && (error.status === 404 || error.status === 403)) {
          this.logger.warn(`Jira attachment ${attachment.backendId} could not be downloaded and is skipped: ${error.message}`);
          continue;
        }
        await this.discard(storageKeys(files));
        throw error;
      }
    }
    return files;
  }

  /** Records the downloaded files and claims our own uploads, with only `manager`. */
  async apply(
    manager: EntityManager,
    issue: Issue,
    attachments: JiraAttachmentFields[],
    files: Map<string, NewJiraFile>,
    authorOf: (account: JiraAccountFields | null) => Promise<SupportUser>,
    counts: AttachmentCounts,
  ): Promise<void> {
    for (const attachment of attachments) {
      if (isExcludedAttachment(attachment.fileName, this.excludedTypes)) continue;
      const file = files.get(attachment.backendId);
      if (!file) {
        await claimPushedAttachment(manager, issue, attachment);
        continue;
      }
      const author = await authorOf(attachment.author);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Attachment)
        .values({
          issueId: issue.id,
          authorId: author.id,
          fileName: attachment.fileName.slice(0, 255),
          mimeType: attachment.mimeType.slice(0, 255),
          fileSize: file.stored?.size ?? attachment.size ?? 0,
          sha256: file.stored?.sha256 ?? null,
          storageKey: file.stored?.key ?? null,
          backendName: BACKEND,
          backendId: attachment.backendId,
          fromBackend: true,
          state: SyncState.OK,
          ...(attachment.created ? { created: attachment.created } : {}),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (Array.isArray(inserted.raw) && inserted.raw.length > 0) counts.attachmentsCreated += 1;
      else if (file.stored) counts.orphanedKeys.push(file.stored.key);
    }
  }

  /** Deletes stored bytes that no row refers to; failures are logged, because the rows are already right. */
  async discard(keys: string[]): Promise<void> {
    if (!this.store) return;
    for (const key of keys) {
      try {
        await this.store.delete(key);
      } catch (error) {
        this.logger.error(`Could not delete stored attachment ${key}`, error as Error);
      }
    }
  }
}

export function storageKeys(files: Map<string, NewJiraFile>): string[] {
  return [...files.values()].flatMap((file) => (file.stored ? [file.stored.key] : []));
}

/** Links a Jira file to our upload of the same name and size whose push has not stored its id yet. */
async function claimPushedAttachment(manager: EntityManager, issue: Issue, attachment: JiraAttachmentFields): Promise<void> {
  const pending = await manager.find(Attachment, { where: { issueId: issue.id, backendId: '' }, order: { id: 'ASC' } });
  const match = pending.find((row) => sameFile(row, attachment));
  if (match) await manager.update(Attachment, { id: match.id, backendId: '' }, { backendId: attachment.backendId, backendName: BACKEND });
}

function sameFile(row: Pick<Attachment, 'fileName' | 'fileSize'>, attachment: JiraAttachmentFields): boolean {
  return row.fileName.normalize('NFC') === attachment.fileName.normalize('NFC') && (attachment.size === null || Number(row.fileSize) === attachment.size);
}
