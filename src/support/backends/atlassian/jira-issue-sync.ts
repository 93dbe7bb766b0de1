import { Logger } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';

import { linkFilesReferencedByComments } from '../../attachments/attachment-comment-links';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { Issue } from '../../issues/issue.entity';
import { Resource } from '../../resources/resource.entity';
import type { SupportUser } from '../../support-users/support-user.entity';
import type { AttachmentStore } from './attachment-store';
import { JiraAccounts } from './jira-accounts';
import { JiraAttachmentSync, NewJiraFile, storageKeys } from './jira-attachment-sync';
import { applyJiraComments } from './jira-comment-sync';
import { JiraFieldResolver } from './jira-fields';
import { applyIssueFields } from './jira-issue-fields';
import { JiraClient } from './jira.client';
import { JiraAccountFields, JiraCommentFields, JiraIssueFieldIds, JiraIssueFields, mapComment, mapIssue, mapUser } from './jira.mapper';

const BACKEND = 'atlassian';

export type { NewJiraFile } from './jira-attachment-sync';

/** Jira's state of one issue, read by a pull before it touches our database. */
export interface JiraIssueSnapshot {
  issue: JiraIssueFields;
  comments: JiraCommentFields[];
  /** New attachments by Jira id, their bytes already in the attachment store when there is one. */
  files: Map<string, NewJiraFile>;
  /** `<site>/browse/<key>`. */
  link: string;
  /** The integration user, as author of comments and files whose author Jira no longer shows. */
  fallbackAuthor: JiraAccountFields;
}

/** Counts of the changes one pull of an issue made to our copy. */
export interface JiraSyncResult {
  issueChanges: string[];
  commentsCreated: number;
  commentsUpdated: number;
  commentsDeleted: number;
  attachmentsCreated: number;
  /** Files linked to the comment whose markup names them (`linkFilesReferencedByComments`). */
  attachmentsLinkedToComments: number;
  attachmentsDeleted: number;
  resourceUpdated: boolean;
  /** Storage keys no row refers to any more; delete them once the transaction has committed. */
  orphanedKeys: string[];
}

/** Our comments and files whose Jira object is gone, confirmed by a second read. */
export interface ConfirmedDeletions {
  commentIds: number[];
  attachmentIds: number[];
}

/** Local changes of an issue not yet pushed to Jira; a pull keeps them instead of Jira's older values. */
export interface PendingLocalEdits {
  /** Summary and description wait for a push. */
  issueFields: boolean;
  /** Our comments whose edit waits for a push. */
  commentIds: Set<number>;
  /** Jira ids of comments deleted here whose deletion waits for a push. */
  deletedCommentIds: Set<string>;
}

export const NO_PENDING_EDITS: PendingLocalEdits = Object.freeze({ issueFields: false, commentIds: new Set<number>(), deletedCommentIds: new Set<string>() });

export interface JiraIssueSyncOptions {
  useOldApi: boolean;
  customFieldMappingEnabled: boolean;
  excludedAttachmentTypes: string[];
  fieldNames: { impact: string; sla: string; requestFeedback: string; waldurBackendId: string };
  /** `ISSUE_FEEDBACK_ENABLE`, read at each pull. */
  feedbackEnabled: () => boolean;
  now: () => Date;
  /** Base of `browse/<key>` links. */
  siteUrl: () => Promise<string>;
  /** Reads the issue's unpushed local changes, which the sync machinery keeps as outbox rows. */
  pendingEdits?: (manager: EntityManager, issueId: number) => Promise<PendingLocalEdits>;
}

/**
 * Pulls one Jira issue into ours: its fields and status, the comments with their
 * visibility, the attachments, and the removal of comments and files deleted in Jira.
 * It runs in steps so that no transaction waits on Jira: `fetch` and `findDeletions`
 * read Jira (and only read our database), while `apply` and `applyDeletions` write our
 * database without calling Jira. Every step is idempotent, so a webhook and a pull that
 * apply the same state add nothing twice.
 */
export class JiraIssueSync {
  private readonly logger = new Logger(JiraIssueSync.name);
  private readonly attachments: JiraAttachmentSync;

  constructor(
    private readonly client: JiraClient,
    private readonly fields: JiraFieldResolver,
    private readonly accounts: JiraAccounts,
    /** Storage of downloaded files; without one, new files are recorded from their metadata and stay in Jira. */
    store: AttachmentStore | undefined,
    private readonly options: JiraIssueSyncOptions,
  ) {
    this.attachments = new JiraAttachmentSync(client, store, options.excludedAttachmentTypes);
  }

  /**
   * Reads the issue, its comments and the files we do not have yet; returns null when
   * Jira reports the issue missing. `manager` reads which files are stored already, and
   * `localIssueId` which of our uploads still wait for their Jira id, so neither is downloaded.
   */
  async fetch(issueIdOrKey: string, manager: EntityManager, localIssueId?: number): Promise<JiraIssueSnapshot | null> {
    const raw = await this.client.getIssue(issueIdOrKey);
    if (!raw) return null;
    const mapOptions = { useOldApi: this.options.useOldApi };
    const issue = mapIssue(raw, await this.fieldIds(), mapOptions);
    const fallbackAuthor = mapUser(await this.client.myself(), mapOptions);
    if (!fallbackAuthor) throw new Error('Jira returned the integration user without an account id.');
    const comments = (await this.client.listComments(raw.id)).map((comment) => {
      const mapped = mapComment(comment, mapOptions, fallbackAuthor.backendId);
      // Comments are read with their properties; one without a visibility property is public.
      return { ...mapped, isPublic: mapped.isPublic ?? true };
    });
    const link = `${(await this.options.siteUrl()).replace(/\/+$/, '')}/browse/${issue.key}`;
    const files = await this.attachments.download(manager, issue.attachments ?? [], localIssueId);
    return { issue, comments, files, link, fallbackAuthor };
  }

  /** Writes a snapshot into our copy of `issue`, with only `manager` and without calling Jira. */
  async apply(manager: EntityManager, issue: Issue, snapshot: JiraIssueSnapshot): Promise<JiraSyncResult> {
    const result: JiraSyncResult = {
      issueChanges: [],
      commentsCreated: 0,
      commentsUpdated: 0,
      commentsDeleted: 0,
      attachmentsCreated: 0,
      attachmentsLinkedToComments: 0,
      attachmentsDeleted: 0,
      resourceUpdated: false,
      orphanedKeys: [],
    };
    const current = await this.lockIssue(manager, issue);
    const pending = (await this.options.pendingEdits?.(manager, current.id)) ?? NO_PENDING_EDITS;
    const remote = pending.issueFields ? { ...snapshot.issue, summary: undefined, description: undefined } : snapshot.issue;
    const authorOf = (account: JiraAccountFields | null) => this.accounts.supportUserFor(manager, account ?? snapshot.fallbackAuthor);

    let assignee: SupportUser | null | undefined;
    if (remote.assignee === null) assignee = null;
    else if (remote.assignee) assignee = await authorOf(remote.assignee);
    const reporter = remote.reporter ? await authorOf(remote.reporter) : undefined;
    result.issueChanges = await applyIssueFields(manager, current, remote, {
      feedbackEnabled: this.options.feedbackEnabled(),
      now: this.options.now(),
      link: snapshot.link,
      assignee,
      reporter,
    });
    Object.assign(issue, current);
    result.resourceUpdated = await this.applyResourceBackendId(manager, current, remote);

    await applyJiraComments(manager, current, snapshot.comments, pending, authorOf, result);
    if (remote.attachments) await this.attachments.apply(manager, current, remote.attachments, snapshot.files, authorOf, result);
    else result.orphanedKeys.push(...storageKeys(snapshot.files));
    // Jira keeps files on the issue, not on comments, so only the markup of a comment shows
    // which comment a file came with.
    result.attachmentsLinkedToComments = await linkFilesReferencedByComments(manager, current.id);
    return result;
  }

  /**
   * Finds our comments and files whose Jira object the snapshot no longer lists, then
   * reads Jira again and keeps those still missing. The second read comes after our rows
   * were selected, so a push that stored its Jira id while this pull ran is not mistaken
   * for a deletion. `manager` only reads.
   */
  async findDeletions(manager: EntityManager, issue: Issue, snapshot: JiraIssueSnapshot): Promise<ConfirmedDeletions> {
    const listedComments = new Set(snapshot.comments.map((comment) => comment.backendId));
    const staleComments = (await manager.findBy(Comment, { issueId: issue.id, backendName: BACKEND, backendId: Not(IsNull()) })).filter(
      (comment) => !listedComments.has(comment.backendId!),
    );
    const listedFiles = snapshot.issue.attachments ? new Set(snapshot.issue.attachments.map((attachment) => attachment.backendId)) : undefined;
    const staleFiles = listedFiles
      ? (await manager.findBy(Attachment, { issueId: issue.id, backendName: BACKEND, backendId: Not('') })).filter((row) => !listedFiles.has(row.backendId))
      : [];

    const deletions: ConfirmedDeletions = { commentIds: [], attachmentIds: [] };
    if (staleComments.length > 0) {
      const fresh = new Set((await this.client.listComments(snapshot.issue.backendId)).map((comment) => String(comment.id)));
      deletions.commentIds = staleComments.filter((comment) => !fresh.has(comment.backendId!)).map((comment) => comment.id);
    }
    if (staleFiles.length > 0) {
      const raw = await this.client.getIssue(snapshot.issue.backendId, { fields: ['attachment'] });
      const fresh = new Set((raw ? mapIssue(raw, {}, { useOldApi: this.options.useOldApi }).attachments ?? [] : []).map((item) => item.backendId));
      deletions.attachmentIds = staleFiles.filter((row) => !fresh.has(row.backendId)).map((row) => row.id);
    }
    return deletions;
  }

  /** Deletes the confirmed rows, with only `manager`; their stored bytes go to `result.orphanedKeys`. */
  async applyDeletions(manager: EntityManager, issue: Issue, deletions: ConfirmedDeletions, result: JiraSyncResult): Promise<void> {
    if (deletions.commentIds.length > 0) {
      const deleted = await manager.delete(Comment, { id: In(deletions.commentIds), issueId: issue.id });
      result.commentsDeleted += deleted.affected ?? 0;
    }
    if (deletions.attachmentIds.length > 0) {
      const rows = await manager.find(Attachment, { select: { id: true, storageKey: true }, where: { id: In(deletions.attachmentIds), issueId: issue.id } });
      if (rows.length > 0) await manager.delete(Attachment, { id: In(rows.map((row) => row.id)) });
      result.attachmentsDeleted += rows.length;
      result.orphanedKeys.push(...rows.map((row) => row.storageKey).filter((key): key is string => key !== null));
    }
    if (result.commentsDeleted + result.attachmentsDeleted > 0) {
      this.logger.log(
        `Removed ${result.commentsDeleted} comments and ${result.attachmentsDeleted} attachments of issue ${issue.uuid}, deleted in Jira issue ${issue.key}`,
      );
    }
  }

  /** Deletes stored bytes that no row refers to; failures are logged, because the rows are already right. */
  discard(keys: string[]): Promise<void> {
    return this.attachments.discard(keys);
  }

  /** Storage keys of a snapshot's downloaded files, to discard when applying it fails. */
  storedKeys(snapshot: JiraIssueSnapshot): string[] {
    return storageKeys(snapshot.files);
  }

  /** Resolves the configured custom fields the mapper reads; names Jira does not have are skipped with a warning. */
  async fieldIds(): Promise<JiraIssueFieldIds> {
    const names = this.options.fieldNames;
    const [impact, sla, requestFeedback, waldurBackendId] = await Promise.all([
      this.findField(names.impact, 'ATLASSIAN_IMPACT_FIELD'),
      this.findField(names.sla, 'ATLASSIAN_SLA_FIELD'),
      this.findField(names.requestFeedback, 'ATLASSIAN_REQUEST_FEEDBACK_FIELD'),
      this.options.customFieldMappingEnabled ? this.findField(names.waldurBackendId, 'ATLASSIAN_WALDUR_BACKEND_ID_FIELD') : undefined,
    ]);
    return { impact, sla, requestFeedback, waldurBackendId };
  }

  private async findField(name: string, setting: string): Promise<string | undefined> {
    if (!name) return undefined;
    const field = await this.fields.find(name);
    if (!field) this.logger.warn(`Jira has no field named "${name}" (${setting}); it is not read`);
    return field?.id;
  }

  private async lockIssue(manager: EntityManager, issue: Issue): Promise<Issue> {
    const inTransaction = manager.queryRunner?.isTransactionActive ?? false;
    const row = await manager.findOne(Issue, { where: { id: issue.id }, ...(inTransaction ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    return row ?? issue;
  }

  /**
   * Follows a changed `waldur_backend_id` in Jira into the `backend_id` of the issue's
   * resource. The value flows from Jira to us only; our resource's id is never written to Jira.
   */
  private async applyResourceBackendId(manager: EntityManager, issue: Issue, remote: JiraIssueFields): Promise<boolean> {
    if (!this.options.customFieldMappingEnabled || !issue.resourceId || !remote.waldurBackendId) return false;
    const resource = await manager.findOneBy(Resource, { id: issue.resourceId });
    const value = remote.waldurBackendId.slice(0, 255);
    if (!resource || resource.backendId === value) return false;
    await manager.update(Resource, { id: resource.id }, { backendId: value });
    this.logger.log(
      `Resource ${resource.uuid} backend_id changed from "${resource.backendId}" to "${value}" by the waldur_backend_id field of Jira issue ${remote.key}`,
    );
    return true;
  }
}
