import { Logger } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';

import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import type { Issue } from '../../issues/issue.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import type { AttachmentStore, StoredAttachment } from './attachment-store';
import { isOwnArticle } from './zammad-articles';
import { placeholderAccount, ZammadAccounts } from './zammad-accounts';
import { applyTicketFields } from './zammad-issue-fields';
import { ZammadReferenceData } from './zammad-reference-data';
import { ZammadClient } from './zammad.client';
import { ZammadError } from './zammad.exception';
import { mapArticle, mapTicket, ZammadAccountFields, ZammadAttachmentFields, ZammadCommentFields, ZammadTicketFields } from './zammad.mapper';
import type { ZammadArticle } from './zammad.types';

const BACKEND = 'zammad';

/** Counts of the changes one pull of a ticket made to our copy. */
export interface ZammadSyncResult {
  issueChanged: boolean;
  commentsCreated: number;
  commentsUpdated: number;
  commentsDeleted: number;
  attachmentsCreated: number;
  /** Files whose link to the comment of their article was set or changed. */
  attachmentsLinkedToComments: number;
  attachmentsDeleted: number;
}

export interface ZammadTicketSyncOptions {
  marker: string;
  feedbackEnabled: () => boolean;
  now: () => Date;
}

/** A file of an incoming article, with its bytes already stored when a store is configured. */
interface PreparedFile {
  article: ZammadCommentFields;
  attachment: ZammadAttachmentFields;
  stored: StoredAttachment | undefined;
}

/**
 * Everything a pull needs from Zammad, read before any row is written, so the writes run
 * in a short transaction without network calls in it.
 */
export interface ZammadTicketSnapshot {
  fields: ZammadTicketFields;
  /** Articles written in Zammad, oldest first: neither ours, the description nor Zammad's own. */
  incoming: ZammadCommentFields[];
  integrationUserId: number;
  /** Authors without a support user when the snapshot was read. */
  accounts: Map<number, ZammadAccountFields>;
  files: PreparedFile[];
  /** Our rows whose articles Zammad no longer has, confirmed by a second read. */
  deletedComments: Comment[];
  deletedAttachments: Attachment[];
}

/**
 * Pulls one ticket into its issue: title, state and priority, the articles written in
 * Zammad as comments with their files, and the removal of comments and files whose
 * articles are deleted. Our marked articles and the first article (the description) are
 * not comments. Every step is idempotent, so a webhook and a pull that run at the same
 * time, or a repeated delivery, add nothing twice.
 *
 * A pull has two halves: `prepare` reads Zammad (and our rows, to know what is new) and
 * stores downloaded files; `apply` writes the rows. Callers run `apply` in a transaction.
 */
export class ZammadTicketSync {
  private readonly logger = new Logger(ZammadTicketSync.name);

  constructor(
    private readonly client: ZammadClient,
    private readonly accounts: ZammadAccounts,
    private readonly reference: ZammadReferenceData,
    private readonly store: AttachmentStore | undefined,
    private readonly options: ZammadTicketSyncOptions,
  ) {}

  /** Runs both halves with one manager, for callers that already hold a transaction. */
  async sync(manager: EntityManager, issue: Issue): Promise<ZammadSyncResult> {
    const snapshot = await this.prepare(manager, issue);
    try {
      const { result, unusedKeys } = await this.apply(manager, issue, snapshot);
      await this.discard(unusedKeys);
      return result;
    } catch (error) {
      await this.discardSnapshot(snapshot);
      throw error;
    }
  }

  /**
   * Reads the ticket, its articles and the new authors, downloads new files into the
   * store and confirms deletions. `reader` is used for reads only. When this fails, the
   * files it stored are deleted again.
   */
  async prepare(reader: EntityManager, issue: Issue): Promise<ZammadTicketSnapshot> {
    const ticketId = issue.backendId!;
    const [ticket, articles, integrationUserId] = await Promise.all([
      this.client.getTicket(ticketId),
      this.client.listArticles(ticketId),
      this.reference.integrationUserId(),
    ]);
    let fields = mapTicket(ticket);
    if (fields.status === undefined || fields.priority === undefined) fields = mapTicket(ticket, await this.reference.names());

    const mapped = [...articles].sort((left, right) => left.id - right.id).map((article) => mapArticle(article, this.options.marker));
    const conversation = mapped.filter((article) => !article.isSystem).slice(1);
    const incoming = conversation.filter((article) => !isOwnArticle(article, { marker: this.options.marker, integrationUserId }));

    const files: PreparedFile[] = [];
    try {
      const accounts = await this.newAccounts(reader, incoming, integrationUserId);
      await this.prepareFiles(reader, incoming, files);
      const deleted = await this.confirmedDeletions(reader, issue, articles);
      return {
        fields,
        incoming,
        integrationUserId,
        accounts,
        files,
        deletedComments: deleted.comments,
        deletedAttachments: deleted.attachments,
      };
    } catch (error) {
      await this.discard(storedKeys(files));
      throw error;
    }
  }

  /**
   * Writes a snapshot into our copy using only `manager`. Returns the counts and the
   * storage keys that no row refers to any more: files another pull stored first and
   * files of deleted attachments. The caller deletes those once the transaction commits.
   */
  async apply(manager: EntityManager, issue: Issue, snapshot: ZammadTicketSnapshot): Promise<{ result: ZammadSyncResult; unusedKeys: string[] }> {
    const options = { feedbackEnabled: this.options.feedbackEnabled(), now: this.options.now() };
    const result: ZammadSyncResult = {
      issueChanged: await applyTicketFields(manager, issue, snapshot.fields, options),
      commentsCreated: 0,
      commentsUpdated: 0,
      commentsDeleted: 0,
      attachmentsCreated: 0,
      attachmentsLinkedToComments: 0,
      attachmentsDeleted: 0,
    };
    const unusedKeys: string[] = [];
    await this.applyComments(manager, issue, snapshot, result);
    const commentIds = await this.commentIdsOfArticles(manager, issue, snapshot.incoming);
    await this.applyFiles(manager, issue, snapshot, commentIds, result, unusedKeys);
    await this.linkFiles(manager, issue, snapshot.incoming, commentIds, result);
    await this.applyDeletions(manager, issue, snapshot, result, unusedKeys);
    return { result, unusedKeys };
  }

  /** Deletes the files a snapshot stored; for a snapshot that will not be applied. */
  async discardSnapshot(snapshot: ZammadTicketSnapshot): Promise<void> {
    await this.discard(storedKeys(snapshot.files));
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

  private async newAccounts(reader: EntityManager, articles: ZammadCommentFields[], integrationUserId: number): Promise<Map<number, ZammadAccountFields>> {
    const authorIds = [...new Set(articles.map((article) => article.authorId ?? integrationUserId))];
    const known = authorIds.length
      ? await reader.find(SupportUser, { select: { backendId: true }, where: { backendName: BACKEND, backendId: In(authorIds.map(String)) } })
      : [];
    const knownIds = new Set(known.map((row) => row.backendId));
    const accounts = new Map<number, ZammadAccountFields>();
    for (const id of authorIds.filter((candidate) => !knownIds.has(String(candidate)))) {
      accounts.set(id, await this.accounts.fetchAccount(id));
    }
    return accounts;
  }

  /** Downloads the files of new attachments into the store; without a store only their metadata is kept. */
  private async prepareFiles(reader: EntityManager, articles: ZammadCommentFields[], files: PreparedFile[]): Promise<void> {
    const candidates = articles.flatMap((article) => article.attachments.map((attachment) => ({ article, attachment })));
    if (candidates.length === 0) return;
    const known = await reader.find(Attachment, {
      select: { backendId: true },
      where: { backendName: BACKEND, backendId: In(candidates.map(({ attachment }) => attachment.backendId)) },
    });
    const knownIds = new Set(known.map((row) => row.backendId));

    for (const { article, attachment } of candidates) {
      if (knownIds.has(attachment.backendId)) continue;
      if (!this.store) {
        files.push({ article, attachment, stored: undefined });
        continue;
      }
      const content = await this.download(attachment);
      if (content) files.push({ article, attachment, stored: await this.store.put(content, 'issue-attachments') });
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
   * Finds our comments and files whose article no longer exists in Zammad. Missing rows
   * are checked against a second article list, read after they were selected. A row whose
   * id was stored by then belongs to an article created before that read, so a push that
   * finished while this pull ran is not mistaken for a deletion.
   */
  private async confirmedDeletions(
    reader: EntityManager,
    issue: Issue,
    articles: ZammadArticle[],
  ): Promise<{ comments: Comment[]; attachments: Attachment[] }> {
    const comments = await reader.findBy(Comment, { issueId: issue.id, backendName: BACKEND, backendId: Not(IsNull()) });
    const attachments = await reader.findBy(Attachment, { issueId: issue.id, backendName: BACKEND, backendId: Not('') });
    const stale = missingFrom(articles, comments, attachments);
    if (stale.comments.length === 0 && stale.attachments.length === 0) return stale;
    return missingFrom(await this.client.listArticles(issue.backendId!), stale.comments, stale.attachments);
  }

  private async applyComments(manager: EntityManager, issue: Issue, snapshot: ZammadTicketSnapshot, result: ZammadSyncResult): Promise<void> {
    const ids = snapshot.incoming.map((article) => article.backendId);
    const existing = ids.length ? await manager.findBy(Comment, { backendName: BACKEND, backendId: In(ids) }) : [];
    const byBackendId = new Map(existing.map((row) => [row.backendId!, row]));

    for (const article of snapshot.incoming) {
      const comment = byBackendId.get(article.backendId);
      if (comment) {
        if (comment.issueId === issue.id && comment.isPublic !== article.isPublic) {
          await manager.update(Comment, { id: comment.id }, { isPublic: article.isPublic });
          result.commentsUpdated += 1;
        }
        continue;
      }
      // An article without words (a bare file upload) adds only its files. An internal one
      // still gets a comment, because its files must link to it to stay hidden from customers.
      if (article.text.trim() === '' && (article.isPublic || article.attachments.length === 0)) continue;

      const author = await this.authorOf(manager, article, snapshot);
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

  private async applyFiles(
    manager: EntityManager,
    issue: Issue,
    snapshot: ZammadTicketSnapshot,
    commentIds: Map<string, number>,
    result: ZammadSyncResult,
    unusedKeys: string[],
  ): Promise<void> {
    for (const { article, attachment, stored } of snapshot.files) {
      const author = await this.authorOf(manager, article, snapshot);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Attachment)
        .values({
          issueId: issue.id,
          commentId: commentIds.get(article.backendId) ?? null,
          authorId: author.id,
          fileName: attachment.fileName,
          mimeType: attachment.mimeType,
          fileSize: stored?.size ?? attachment.size ?? 0,
          sha256: stored?.sha256 ?? null,
          storageKey: stored?.key ?? null,
          backendName: BACKEND,
          backendId: attachment.backendId,
          fromBackend: true,
          state: SyncState.OK,
          ...(article.createdAt ? { created: article.createdAt } : {}),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (rowCount(inserted.raw) > 0) result.attachmentsCreated += 1;
      // Another pull stored this file first, so our copy of the bytes is not needed.
      else if (stored) unusedKeys.push(stored.key);
    }
  }

  /** Our comment ids of the articles that carry files, by article id. */
  private async commentIdsOfArticles(manager: EntityManager, issue: Issue, articles: ZammadCommentFields[]): Promise<Map<string, number>> {
    const ids = articles.filter((article) => article.attachments.length > 0).map((article) => article.backendId);
    if (ids.length === 0) return new Map();
    const rows = await manager.find(Comment, { select: { id: true, backendId: true }, where: { issueId: issue.id, backendName: BACKEND, backendId: In(ids) } });
    return new Map(rows.map((row) => [row.backendId!, row.id]));
  }

  /**
   * Links files stored earlier to the comment of their article: files of a bare article that
   * got its comment later (it was made internal) and files stored before the link existed.
   * A Zammad file belongs to exactly one article, so the article decides. Files of an
   * article without a comment keep their link, which may name a deleted comment.
   */
  private async linkFiles(
    manager: EntityManager,
    issue: Issue,
    articles: ZammadCommentFields[],
    commentIds: Map<string, number>,
    result: ZammadSyncResult,
  ): Promise<void> {
    for (const article of articles) {
      const commentId = commentIds.get(article.backendId);
      if (commentId === undefined) continue;
      const linked = await manager
        .createQueryBuilder()
        .update(Attachment)
        .set({ commentId })
        .where({ issueId: issue.id, backendName: BACKEND, backendId: In(article.attachments.map((attachment) => attachment.backendId)) })
        .andWhere('(comment_id IS NULL OR comment_id <> :commentId)', { commentId })
        .execute();
      result.attachmentsLinkedToComments += linked.affected ?? 0;
    }
  }

  private async applyDeletions(
    manager: EntityManager,
    issue: Issue,
    snapshot: ZammadTicketSnapshot,
    result: ZammadSyncResult,
    unusedKeys: string[],
  ): Promise<void> {
    const { deletedComments, deletedAttachments } = snapshot;
    if (deletedComments.length > 0) {
      const deleted = await manager.delete(Comment, { id: In(deletedComments.map((comment) => comment.id)) });
      result.commentsDeleted += deleted.affected ?? deletedComments.length;
    }
    if (deletedAttachments.length > 0) {
      const deleted = await manager.delete(Attachment, { id: In(deletedAttachments.map((attachment) => attachment.id)) });
      result.attachmentsDeleted += deleted.affected ?? deletedAttachments.length;
      unusedKeys.push(...deletedAttachments.map((attachment) => attachment.storageKey).filter((key): key is string => key !== null));
    }
    if (deletedComments.length + deletedAttachments.length > 0) {
      this.logger.log(
        `Removed ${deletedComments.length} comments and ${deletedAttachments.length} attachments of issue ${issue.uuid} ` +
          `deleted in Zammad ticket ${issue.backendId}`,
      );
    }
  }

  private async authorOf(manager: EntityManager, article: ZammadCommentFields, snapshot: ZammadTicketSnapshot): Promise<SupportUser> {
    const id = article.authorId ?? snapshot.integrationUserId;
    // An author missing from the snapshot already had a support user, which is found by id.
    return this.accounts.supportUserForAccount(manager, snapshot.accounts.get(id) ?? placeholderAccount(id));
  }
}

/** Rows whose article (for comments) or file (for attachments) is not in `articles`. */
function missingFrom(
  articles: ZammadArticle[],
  comments: Comment[],
  attachments: Attachment[],
): { comments: Comment[]; attachments: Attachment[] } {
  const articleIds = new Set(articles.map((article) => String(article.id)));
  const attachmentIds = new Set(articles.flatMap((article) => (article.attachments ?? []).map((attachment) => String(attachment.id))));
  return {
    comments: comments.filter((comment) => !articleIds.has(comment.backendId!)),
    attachments: attachments.filter((attachment) => !attachmentIds.has(attachment.backendId)),
  };
}

function storedKeys(files: PreparedFile[]): string[] {
  return files.flatMap((file) => (file.stored ? [file.stored.key] : []));
}

/** Rows returned by `INSERT ... ON CONFLICT DO NOTHING RETURNING id`; none when the row existed. */
function rowCount(raw: unknown): number {
  return Array.isArray(raw) ? raw.length : 0;
}
