import { Logger } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';

import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import type { Issue } from '../../issues/issue.entity';
import type { AttachmentStore } from './attachment-store';
import { isOwnArticle } from './zammad-articles';
import { ZammadAccounts } from './zammad-accounts';
import { applyTicketFields } from './zammad-issue-fields';
import { ZammadReferenceData } from './zammad-reference-data';
import { ZammadClient } from './zammad.client';
import { ZammadError } from './zammad.exception';
import { mapArticle, mapTicket, ZammadAttachmentFields, ZammadCommentFields } from './zammad.mapper';
import type { ZammadArticle } from './zammad.types';

const BACKEND = 'zammad';

/** Counts of the changes one pull of a ticket made to our copy. */
export interface ZammadSyncResult {
  issueChanged: boolean;
  commentsCreated: number;
  commentsUpdated: number;
  commentsDeleted: number;
  attachmentsCreated: number;
  attachmentsDeleted: number;
}

export interface ZammadTicketSyncOptions {
  marker: string;
  feedbackEnabled: () => boolean;
  now: () => Date;
}

/**
 * Pulls one ticket into its issue: title, state and priority, the articles written in
 * Zammad as comments with their files, and the removal of comments and files whose
 * articles are deleted. Our marked articles and the first article (the description) are
 * not comments. Every step is idempotent, so a webhook and a pull that run at the same
 * time, or a repeated delivery, add nothing twice.
 */
export class ZammadTicketSync {
  private readonly logger = new Logger(ZammadTicketSync.name);

  constructor(
    private readonly client: ZammadClient,
    private readonly accounts: ZammadAccounts,
    private readonly reference: ZammadReferenceData,
    private readonly store: AttachmentStore,
    private readonly options: ZammadTicketSyncOptions,
  ) {}

  async sync(manager: EntityManager, issue: Issue): Promise<ZammadSyncResult> {
    const ticketId = issue.backendId!;
    const [ticket, articles, integrationUserId] = await Promise.all([
      this.client.getTicket(ticketId),
      this.client.listArticles(ticketId),
      this.reference.integrationUserId(),
    ]);
    let fields = mapTicket(ticket);
    if (fields.status === undefined || fields.priority === undefined) fields = mapTicket(ticket, await this.reference.names());

    const result: ZammadSyncResult = {
      issueChanged: await applyTicketFields(manager, issue, fields, { feedbackEnabled: this.options.feedbackEnabled(), now: this.options.now() }),
      commentsCreated: 0,
      commentsUpdated: 0,
      commentsDeleted: 0,
      attachmentsCreated: 0,
      attachmentsDeleted: 0,
    };

    const mapped = [...articles].sort((left, right) => left.id - right.id).map((article) => mapArticle(article, this.options.marker));
    const conversation = mapped.filter((article) => !article.isSystem).slice(1);
    const incoming = conversation.filter((article) => !isOwnArticle(article, { marker: this.options.marker, integrationUserId }));
    const stored: string[] = [];
    try {
      await this.importComments(manager, issue, incoming, integrationUserId, result);
      await this.importAttachments(manager, issue, incoming, integrationUserId, result, stored);
    } catch (error) {
      await this.discard(stored);
      throw error;
    }
    await this.removeDeleted(manager, issue, articles, result);
    return result;
  }

  private async importComments(
    manager: EntityManager,
    issue: Issue,
    articles: ZammadCommentFields[],
    integrationUserId: number,
    result: ZammadSyncResult,
  ): Promise<void> {
    const existing = await this.existingComments(manager, articles.map((article) => article.backendId));
    for (const article of articles) {
      const comment = existing.get(article.backendId);
      if (comment) {
        if (comment.issueId === issue.id && comment.isPublic !== article.isPublic) {
          await manager.update(Comment, { id: comment.id }, { isPublic: article.isPublic });
          result.commentsUpdated += 1;
        }
        continue;
      }
      // An article without words (a bare file upload) adds only its files.
      if (article.text.trim() === '') continue;

      const author = await this.accounts.supportUserForZammadId(manager, article.authorId ?? integrationUserId);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Comment)
        .values({
          issueId: issue.id,
          authorId: author.id,
          description: article.text,
          originalBody: article.originalBody,
          originalFormat: article.originalFormat,
          isPublic: article.isPublic,
          backendName: BACKEND,
          backendId: article.backendId,
          state: SyncState.OK,
          ...(article.createdAt ? { created: article.createdAt } : {}),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (rowCount(inserted.raw) > 0) result.commentsCreated += 1;
    }
  }

  private async importAttachments(
    manager: EntityManager,
    issue: Issue,
    articles: ZammadCommentFields[],
    integrationUserId: number,
    result: ZammadSyncResult,
    stored: string[],
  ): Promise<void> {
    const files = articles.flatMap((article) => article.attachments.map((attachment) => ({ article, attachment })));
    if (files.length === 0) return;
    const known = await manager.find(Attachment, {
      select: { backendId: true },
      where: { backendName: BACKEND, backendId: In(files.map(({ attachment }) => attachment.backendId)) },
    });
    const knownIds = new Set(known.map((row) => row.backendId));

    for (const { article, attachment } of files) {
      if (knownIds.has(attachment.backendId)) continue;
      const content = await this.download(attachment);
      if (!content) continue;
      const file = await this.store.put(content, 'issue-attachments');
      stored.push(file.key);
      const author = await this.accounts.supportUserForZammadId(manager, article.authorId ?? integrationUserId);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Attachment)
        .values({
          issueId: issue.id,
          authorId: author.id,
          fileName: attachment.fileName,
          mimeType: attachment.mimeType,
          fileSize: file.size,
          sha256: file.sha256,
          storageKey: file.key,
          backendName: BACKEND,
          backendId: attachment.backendId,
          state: SyncState.OK,
          ...(article.createdAt ? { created: article.createdAt } : {}),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (rowCount(inserted.raw) > 0) {
        result.attachmentsCreated += 1;
      } else {
        // Another sync stored this file first; drop our copy of the bytes.
        stored.splice(stored.indexOf(file.key), 1);
        await this.discard([file.key]);
      }
    }
  }

  /** Downloads a file; undefined when Zammad no longer has it (the article was deleted meanwhile). */
  private async download(attachment: ZammadAttachmentFields): Promise<Buffer | undefined> {
    try {
      const content = await this.client.downloadAttachment(attachment.ticketId, attachment.articleId, attachment.backendId);
      if (attachment.size !== null && attachment.size !== content.length) {
        this.logger.warn(`Zammad attachment ${attachment.backendId} has ${content.length} bytes, but its metadata lists ${attachment.size}`);
      }
      return content;
    } catch (error) {
      if (error instanceof ZammadError && (error.status === 404 || error.status === 403)) {
        this.logger.warn(`Zammad attachment ${attachment.backendId} of article ${attachment.articleId} was not found: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Deletes our comments and files whose article no longer exists in Zammad. Missing rows
   * are checked against a second article list, read after they were selected. A row whose
   * id was stored by then belongs to an article created before that read, so a push that
   * finished while this sync ran is not mistaken for a deletion.
   */
  private async removeDeleted(manager: EntityManager, issue: Issue, articles: ZammadArticle[], result: ZammadSyncResult): Promise<void> {
    const stale = await this.staleRows(manager, issue, articles);
    if (stale.comments.length === 0 && stale.attachments.length === 0) return;

    const fresh = await this.client.listArticles(issue.backendId!);
    const deleted = await this.staleRows(manager, issue, fresh, stale);
    if (deleted.comments.length > 0) {
      await manager.delete(Comment, { id: In(deleted.comments.map((comment) => comment.id)) });
      result.commentsDeleted += deleted.comments.length;
    }
    if (deleted.attachments.length > 0) {
      await manager.delete(Attachment, { id: In(deleted.attachments.map((attachment) => attachment.id)) });
      result.attachmentsDeleted += deleted.attachments.length;
      await this.discard(deleted.attachments.map((attachment) => attachment.storageKey).filter((key): key is string => key !== null));
    }
    if (deleted.comments.length + deleted.attachments.length > 0) {
      this.logger.log(
        `Removed ${deleted.comments.length} comments and ${deleted.attachments.length} attachments of issue ${issue.uuid} deleted in Zammad ticket ${issue.backendId}`,
      );
    }
  }

  /** Our Zammad rows of the issue (or of `among`) whose ids are missing from `articles`. */
  private async staleRows(
    manager: EntityManager,
    issue: Issue,
    articles: ZammadArticle[],
    among?: { comments: Comment[]; attachments: Attachment[] },
  ): Promise<{ comments: Comment[]; attachments: Attachment[] }> {
    const articleIds = new Set(articles.map((article) => String(article.id)));
    const attachmentIds = new Set(articles.flatMap((article) => (article.attachments ?? []).map((attachment) => String(attachment.id))));
    const comments = among?.comments ?? (await manager.findBy(Comment, { issueId: issue.id, backendName: BACKEND, backendId: Not(IsNull()) }));
    const attachments =
      among?.attachments ?? (await manager.findBy(Attachment, { issueId: issue.id, backendName: BACKEND, backendId: Not('') }));
    return {
      comments: comments.filter((comment) => !articleIds.has(comment.backendId!)),
      attachments: attachments.filter((attachment) => !attachmentIds.has(attachment.backendId)),
    };
  }

  private async existingComments(manager: EntityManager, backendIds: string[]): Promise<Map<string, Comment>> {
    if (backendIds.length === 0) return new Map();
    const rows = await manager.findBy(Comment, { backendName: BACKEND, backendId: In(backendIds) });
    return new Map(rows.map((row) => [row.backendId!, row]));
  }

  /** Deletes stored bytes that no row refers to; failures are logged, because the rows are already right. */
  private async discard(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.store.delete(key);
      } catch (error) {
        this.logger.error(`Could not delete stored attachment ${key}`, error as Error);
      }
    }
  }
}

/** Rows returned by `INSERT ... ON CONFLICT DO NOTHING RETURNING id`; none when the row existed. */
function rowCount(raw: unknown): number {
  return Array.isArray(raw) ? raw.length : 0;
}
