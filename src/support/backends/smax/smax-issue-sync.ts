import { Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';

import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { safeFileName } from '../../common/file-names';
import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { statusChangeFields } from '../../issues/issue-status-change';
import { IssueStatus } from '../../statuses/issue-status.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { SmaxAttachmentSnapshot } from './smax-attachment.mapper';
import { SmaxCommentSnapshot } from './smax-comment.mapper';
import { comparableText, textToHtml } from './smax-html';
import { SmaxPeople } from './smax-people';
import { SmaxRequestSnapshot } from './smax.mapper';

const BACKEND_NAME = 'smax';
const MAX_SUMMARY_LENGTH = 255;

/** The state of one issue in SMAX. */
export interface RemoteIssueState {
  request: SmaxRequestSnapshot;
  /** Comments of the Request; undefined when they could not be read, which leaves our comments untouched. */
  comments: SmaxCommentSnapshot[] | undefined;
}

/** Counts of the changes one sync made to our copy. */
export interface IssueSyncResult {
  issueChanged: boolean;
  commentsCreated: number;
  commentsUpdated: number;
  commentsLinked: number;
  commentsDeleted: number;
  attachmentsCreated: number;
  attachmentsLinked: number;
  /** Files whose link to the comment that lists them was set or changed. */
  attachmentsLinkedToComments: number;
  attachmentsDeleted: number;
  /** Stored files of the deleted attachments, for the caller to remove from storage. */
  orphanedStorageKeys: string[];
}

/**
 * Brings our copy of an issue in line with its SMAX Request: summary, description and
 * phase (our status, whose meaning comes from the issue-status table), then comments and
 * attachments, adding, updating and deleting rows. Descriptions and comment bodies are
 * stored as plain text, and a comment written in SMAX keeps its HTML as `originalBody`. A row whose push response was lost (it
 * has no `backend_id` yet) is linked to the remote item with the same content instead of
 * getting a copy, so a retried push never shows up twice. Rows not yet pushed are kept.
 * Applying the same state twice changes nothing.
 */
export class SmaxIssueSync {
  private readonly logger = new Logger(SmaxIssueSync.name);

  /** `isFeedbackEnabled` reads `ISSUE_FEEDBACK_ENABLE` when a phase change resolves an issue. */
  constructor(
    private readonly people: SmaxPeople,
    private readonly isFeedbackEnabled: () => boolean,
  ) {}

  async apply(issue: Issue, state: RemoteIssueState, manager: EntityManager): Promise<IssueSyncResult> {
    const result: IssueSyncResult = {
      issueChanged: false,
      commentsCreated: 0,
      commentsUpdated: 0,
      commentsLinked: 0,
      commentsDeleted: 0,
      attachmentsCreated: 0,
      attachmentsLinked: 0,
      attachmentsLinkedToComments: 0,
      attachmentsDeleted: 0,
      orphanedStorageKeys: [],
    };
    const persons = new Map<string, SupportUser>();

    result.issueChanged = await this.applyFields(issue, state.request, manager);
    if (state.comments) {
      await this.applyComments(issue, state.comments, manager, persons, result);
    }
    if (state.request.attachments) {
      const sources = state.comments ? await this.commentsCarryingFiles(issue, state.comments, manager) : new Map<string, number>();
      await this.applyAttachments(issue, state.request.attachments, sources, manager, persons, result);
    } else {
      this.logger.warn(`RequestAttachments of SMAX Request ${state.request.id} could not be read; attachments of issue ${issue.uuid} left as they are`);
    }
    return result;
  }

  private async applyFields(issue: Issue, request: SmaxRequestSnapshot, manager: EntityManager): Promise<boolean> {
    const changes: Partial<Issue> = {};
    if (request.summary !== undefined && request.summary !== issue.summary) {
      changes.summary = request.summary.slice(0, MAX_SUMMARY_LENGTH);
    }
    if (request.descriptionHtml !== undefined && request.descriptionText !== undefined) {
      if (textChanged(issue.description, request.descriptionHtml, request.descriptionText)) changes.description = request.descriptionText;
    }
    if (request.phase !== undefined && request.phase !== issue.status) {
      Object.assign(changes, await this.statusChanges(issue, request.phase, manager));
    }
    if (Object.keys(changes).length === 0) return false;
    await manager.update(Issue, issue.id, changes);
    Object.assign(issue, changes);
    return true;
  }

  /**
   * Fields that move an issue to `phase`, as the API's own status change moves them. The
   * issue-status table defines which phases end an issue (Close and Abandon by default).
   */
  private async statusChanges(issue: Issue, phase: string, manager: EntityManager): Promise<Partial<Issue>> {
    const statuses = await manager.find(IssueStatus);
    const types = new Map(statuses.map((status) => [status.name, status.type]));
    return statusChangeFields(issue, phase, types, { feedbackEnabled: this.isFeedbackEnabled() });
  }

  private async applyComments(
    issue: Issue,
    remote: SmaxCommentSnapshot[],
    manager: EntityManager,
    persons: Map<string, SupportUser>,
    result: IssueSyncResult,
  ): Promise<void> {
    const locals = await manager.find(Comment, { where: { issueId: issue.id }, relations: { author: true }, order: { id: 'ASC' } });
    const linked = new Map(locals.filter((comment) => comment.backendId).map((comment) => [comment.backendId as string, comment]));
    const unlinked = locals.filter((comment) => !comment.backendId);
    const remoteIds = new Set(remote.map((comment) => comment.id));

    for (const item of [...remote].sort(byCreation)) {
      const local = linked.get(item.id);
      if (local) {
        if (await this.updateComment(local, item, manager)) result.commentsUpdated += 1;
        continue;
      }
      const pushed = unlinked.find((candidate) => isSameComment(candidate, item));
      if (pushed) {
        await manager.update(Comment, pushed.id, { backendId: item.id, backendName: BACKEND_NAME, state: SyncState.OK });
        unlinked.splice(unlinked.indexOf(pushed), 1);
        result.commentsLinked += 1;
        continue;
      }
      if (await this.createComment(issue, item, manager, persons)) result.commentsCreated += 1;
    }

    const deleted = [...linked.values()].filter((comment) => comment.backendName === BACKEND_NAME && !remoteIds.has(comment.backendId as string));
    if (deleted.length > 0) {
      await manager.delete(
        Comment,
        deleted.map((comment) => comment.id),
      );
      result.commentsDeleted += deleted.length;
    }
  }

  private async updateComment(local: Comment, item: SmaxCommentSnapshot, manager: EntityManager): Promise<boolean> {
    const changes: Partial<Comment> = {};
    const bodyChanged = local.originalBody !== null ? local.originalBody !== item.bodyHtml : textChanged(local.description, item.bodyHtml, item.text);
    if (bodyChanged) Object.assign(changes, { description: item.text, originalBody: item.bodyHtml, originalFormat: 'html' });
    if (local.isPublic !== item.isPublic) changes.isPublic = item.isPublic;
    if (Object.keys(changes).length === 0) return false;
    await manager.update(Comment, local.id, changes);
    return true;
  }

  private async createComment(
    issue: Issue,
    item: SmaxCommentSnapshot,
    manager: EntityManager,
    persons: Map<string, SupportUser>,
  ): Promise<boolean> {
    const personId = item.submitterPersonId ?? (await this.people.integrationPersonId());
    if (personId === undefined) {
      this.logger.warn(`SMAX comment ${item.id} on issue ${issue.uuid} names no submitter and the integration Person is unknown; not copied`);
      return false;
    }
    const author = await this.people.supportUserForPerson(personId, manager, persons);
    const comment = manager.create(Comment, {
      issueId: issue.id,
      authorId: author.id,
      description: item.text,
      originalBody: item.bodyHtml,
      originalFormat: 'html',
      isPublic: item.isPublic,
      backendId: item.id,
      backendName: BACKEND_NAME,
      state: SyncState.OK,
    });
    if (item.createdAt) comment.created = item.createdAt;
    await manager.save(comment);
    return true;
  }

  /**
   * Maps each file guid that a comment lists in its `AttachmentIds` to our id of that
   * comment, the earliest comment when several list it. Internal comments' files are then
   * hidden from customers.
   */
  private async commentsCarryingFiles(issue: Issue, remote: SmaxCommentSnapshot[], manager: EntityManager): Promise<Map<string, number>> {
    // NOTE: `AttachmentIds` is a documented field of a SMAX comment, but it is not known
    // whether SMAX also lists those files in `RequestAttachments` under the same guids. A
    // file listed only on its comment is not copied here at all, and a file that no comment
    // names stays unlinked.
    const carrying = [...remote].sort(byCreation).filter((comment) => comment.attachmentIds.length > 0);
    if (carrying.length === 0) return new Map();
    const rows = await manager.find(Comment, {
      select: { id: true, backendId: true },
      where: { issueId: issue.id, backendName: BACKEND_NAME, backendId: In(carrying.map((comment) => comment.id)) },
    });
    const localIds = new Map(rows.map((row) => [row.backendId as string, row.id]));
    const sources = new Map<string, number>();
    for (const comment of carrying) {
      const localId = localIds.get(comment.id);
      if (localId === undefined) continue;
      for (const guid of comment.attachmentIds) {
        if (!sources.has(guid)) sources.set(guid, localId);
      }
    }
    return sources;
  }

  private async applyAttachments(
    issue: Issue,
    remote: SmaxAttachmentSnapshot[],
    sources: Map<string, number>,
    manager: EntityManager,
    persons: Map<string, SupportUser>,
    result: IssueSyncResult,
  ): Promise<void> {
    const locals = await manager.find(Attachment, { where: { issueId: issue.id }, order: { id: 'ASC' } });
    const linked = new Map(locals.filter((attachment) => attachment.backendId !== '').map((attachment) => [attachment.backendId, attachment]));
    const unlinked = locals.filter((attachment) => attachment.backendId === '');
    const remoteIds = new Set(remote.map((attachment) => attachment.id));
    const creators = new Map<string, number | null>();

    // Pasted description images are part of the description, not attachments of the issue.
    for (const item of remote.filter((attachment) => !attachment.hidden)) {
      const commentId = sources.get(item.id);
      const known = linked.get(item.id);
      if (known) {
        if (commentId !== undefined && known.commentId !== commentId) {
          await manager.update(Attachment, known.id, { commentId });
          result.attachmentsLinkedToComments += 1;
        }
        continue;
      }
      const pushed = unlinked.find((candidate) => isSameFile(candidate, item));
      if (pushed) {
        const link = commentId !== undefined && pushed.commentId !== commentId ? { commentId } : {};
        await manager.update(Attachment, pushed.id, { backendId: item.id, backendName: BACKEND_NAME, state: SyncState.OK, ...link });
        unlinked.splice(unlinked.indexOf(pushed), 1);
        result.attachmentsLinked += 1;
        continue;
      }
      const attachment = manager.create(Attachment, {
        issueId: issue.id,
        commentId: commentId ?? null,
        authorId: await this.creatorId(item.creator, manager, persons, creators),
        fileName: item.fileName,
        mimeType: item.mimeType,
        fileSize: item.size,
        sha256: null,
        storageKey: null,
        backendId: item.id,
        backendName: BACKEND_NAME,
        fromBackend: true,
        state: SyncState.OK,
      });
      if (item.updatedAt) attachment.created = item.updatedAt;
      await manager.save(attachment);
      result.attachmentsCreated += 1;
    }

    const deleted = [...linked.values()].filter((attachment) => attachment.backendName === BACKEND_NAME && !remoteIds.has(attachment.backendId));
    if (deleted.length > 0) {
      await manager.delete(
        Attachment,
        deleted.map((attachment) => attachment.id),
      );
      result.attachmentsDeleted += deleted.length;
      result.orphanedStorageKeys.push(...deleted.map((attachment) => attachment.storageKey).filter((key): key is string => key !== null));
    }
  }

  /** Our support user id for an attachment's `Creator`, or null when no Person matches it. */
  private async creatorId(
    creator: string | undefined,
    manager: EntityManager,
    persons: Map<string, SupportUser>,
    creators: Map<string, number | null>,
  ): Promise<number | null> {
    if (creator === undefined) return null;
    if (!creators.has(creator)) {
      const person = await this.people.findCreator(creator);
      creators.set(creator, person ? (await this.people.supportUserForPerson(person.id, manager, persons)).id : null);
    }
    return creators.get(creator) ?? null;
  }
}

/**
 * Checks whether SMAX's body differs from our plain text `local`. A row that contains SMAX's
 * HTML itself (older versions stored pulled bodies that way) counts as changed.
 */
function textChanged(local: string, remoteHtml: string, remoteText: string): boolean {
  if (local === remoteText) return false;
  return local === remoteHtml || !sameContent(local, remoteHtml);
}

/**
 * Checks whether our text and SMAX's HTML have the same content. We keep plain text where
 * SMAX keeps the HTML we made from it, so an unchanged body must not overwrite ours.
 */
function sameContent(local: string, remoteHtml: string): boolean {
  if (local === remoteHtml) return true;
  return comparableText(textToHtml(local)) === comparableText(remoteHtml) || comparableText(local) === comparableText(remoteHtml);
}

/** Checks whether a comment whose push response was lost is this remote one: same text, visibility and author. */
function isSameComment(local: Comment, item: SmaxCommentSnapshot): boolean {
  if (local.isPublic !== item.isPublic || !sameContent(local.description, item.bodyHtml)) return false;
  const authorPerson = local.author?.backendName === BACKEND_NAME ? local.author.backendId : null;
  return !authorPerson || !item.submitterPersonId || authorPerson === item.submitterPersonId;
}

function isSameFile(local: Attachment, item: SmaxAttachmentSnapshot): boolean {
  return safeFileName(local.fileName) === item.fileName && Number(local.fileSize) === item.size;
}

function byCreation(left: SmaxCommentSnapshot, right: SmaxCommentSnapshot): number {
  return (left.createdAt?.getTime() ?? 0) - (right.createdAt?.getTime() ?? 0);
}
