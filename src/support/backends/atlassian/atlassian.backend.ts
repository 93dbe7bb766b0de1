import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import type { Attachment } from '../../attachments/attachment.entity';
import { Attachment as AttachmentEntity } from '../../attachments/attachment.entity';
import type { Comment } from '../../comments/comment.entity';
import { Comment as CommentEntity } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import type { Feedback } from '../../feedback/feedback.entity';
import { Issue } from '../../issues/issue.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { IssueRemoteFields, SupportBackend } from '../support-backend';
import { atlassianAuth, AtlassianSettings, missingAtlassianSettings } from './atlassian.config';
import type { AttachmentStore } from './attachment-store';
import { JiraAccounts } from './jira-accounts';
import { JiraFieldResolver } from './jira-fields';
import { JiraIssueCreator } from './jira-issue-create';
import { JiraDeletionEvidence, JiraDeletionOutcome, JiraIssueDeletion } from './jira-issue-deletion';
import { JiraIssueSync, JiraIssueSyncOptions, JiraSyncResult } from './jira-issue-sync';
import { buildAttachmentMultipart, isExcludedAttachment, jiraFileName } from './jira-multipart';
import { JiraReferenceData } from './jira-reference-data';
import { JiraClient } from './jira.client';
import { JiraError, recoverLostCreate } from './jira.exception';
import { commentVisibility, JiraIssueFields, mapIssue, withAuthorPrefix } from './jira.mapper';
import type { JiraComment, JiraIssue } from './jira.types';
import { JiraIssuePuller } from './jira-issue-puller';

export interface AtlassianBackendDependencies {
  dataSource: DataSource;
  /** Storage of files downloaded from Jira; without one, Jira's files are recorded but stay in Jira. */
  store?: AttachmentStore;
  /** Built from the settings when not given; tests pass one with short timeouts. */
  client?: JiraClient;
  /** `ISSUE_FEEDBACK_ENABLE`, read when an issue is pulled. */
  feedbackEnabled?: () => boolean;
  /** Reads an issue's unpushed local changes, so a pull does not overwrite them. */
  pendingEdits?: JiraIssueSyncOptions['pendingEdits'];
  now?: () => Date;
}

/**
 * Outcome of pulling one issue: its changes applied (`updated` is Jira's change time of
 * the snapshot), or Jira returned 404 and our issue was left as it is.
 */
export type JiraPullOutcome = { status: 'applied'; result: JiraSyncResult; updated: Date | null } | { status: 'not-found' };

/**
 * The Jira Service Management adapter. Issues become Service Management requests (or
 * plain Jira issues with `ATLASSIAN_USE_OLD_API`), keyed by Jira's numeric issue id
 * (stable when an issue moves) with the issue key kept in `key`. Comments carry their
 * author's name, as Jira shows them all as written by the integration user, and are
 * public or internal through the Service Management API (or the `sd.public.comment`
 * property with the old API). Pulls copy fields, status, comments and files back.
 */
export class AtlassianBackend extends SupportBackend {
  readonly name = 'atlassian' as const;
  override readonly recordsFeedback = true;

  private readonly logger = new Logger(AtlassianBackend.name);
  readonly client: JiraClient;
  readonly fields: JiraFieldResolver;
  readonly reference: JiraReferenceData;
  readonly accounts: JiraAccounts;
  readonly issueSync: JiraIssueSync;
  readonly creator: JiraIssueCreator;
  readonly puller: JiraIssuePuller;
  private readonly deletion: JiraIssueDeletion;
  private readonly now: () => Date;

  constructor(
    readonly settings: AtlassianSettings,
    private readonly dependencies: AtlassianBackendDependencies,
  ) {
    super();
    this.now = dependencies.now ?? (() => new Date());
    this.client =
      dependencies.client ??
      new JiraClient({ baseUrl: settings.apiUrl || 'http://jira.invalid', auth: atlassianAuth(settings), verifySsl: settings.verifySsl });
    this.fields = new JiraFieldResolver(this.client);
    this.reference = new JiraReferenceData(this.client, {
      projectId: settings.projectId,
      strangeSetting: settings.strangeSetting,
      automaticRequestMapping: settings.automaticRequestMapping,
    });
    this.accounts = new JiraAccounts(this.client, { useOldApi: settings.useOldApi, useTeenageApi: settings.useTeenageApi, sharedUsername: settings.sharedUsername });
    this.issueSync = new JiraIssueSync(this.client, this.fields, this.accounts, dependencies.store, {
      useOldApi: settings.useOldApi,
      customFieldMappingEnabled: settings.customFieldMappingEnabled,
      excludedAttachmentTypes: settings.excludedAttachmentTypes,
      fieldNames: settings.fields,
      feedbackEnabled: dependencies.feedbackEnabled ?? (() => false),
      now: this.now,
      siteUrl: () => this.siteUrl(),
      pendingEdits: dependencies.pendingEdits,
    });
    this.creator = new JiraIssueCreator(this.client, this.fields, this.accounts, this.reference, settings);
    this.puller = new JiraIssuePuller(this.client, this.reference, settings);
    this.deletion = new JiraIssueDeletion(this.client, this.reference, settings, dependencies.dataSource, (keys) => this.issueSync.discard(keys));
  }

  async createIssue(issue: Issue, manager: EntityManager): Promise<IssueRemoteFields> {
    this.assertConfigured();
    const created = await this.creator.create(manager, issue);
    return this.remoteFieldsOf(created);
  }

  /** Pushes summary and description; everything else is Jira's to change. */
  async updateIssue(issue: Issue): Promise<void> {
    if (!issue.backendId) return;
    this.assertConfigured();
    await ignoreNotFound(this.client.editIssue(issue.backendId, { fields: { summary: issue.summary.slice(0, 255), description: issue.description } }));
  }

  async deleteIssue(issue: Issue): Promise<void> {
    if (!issue.backendId) return;
    this.assertConfigured();
    await ignoreNotFound(this.client.deleteIssue(issue.backendId));
  }

  /** Pulls the issue, its comments and files; the `sync` action waits on it, so failures reach the caller as 424. */
  async syncIssue(issue: Issue, manager: EntityManager): Promise<void> {
    const key = this.issueIdOf(issue);
    const snapshot = await this.issueSync.fetch(key, manager, issue.id);
    if (!snapshot) {
      throw new FailedDependencyException(
        `Jira issue ${issue.key || key} was not found; it may have been deleted in Jira, or the integration user may not see it.`,
      );
    }
    let result: JiraSyncResult;
    try {
      result = await this.issueSync.apply(manager, issue, snapshot);
    } catch (error) {
      await this.issueSync.discard(this.issueSync.storedKeys(snapshot));
      throw error;
    }
    const deletions = await this.issueSync.findDeletions(manager, issue, snapshot);
    await this.issueSync.applyDeletions(manager, issue, deletions, result);
    await this.issueSync.discard(result.orphanedKeys);
  }

  /**
   * Pulls one issue without holding a transaction open during Jira calls: reads Jira first,
   * applies the snapshot in a short transaction under a row lock, then confirms and
   * applies deletions the same way. When Jira returns 404 for the issue, ours is kept and
   * a warning logged, because Jira also returns 404 when the integration user lost access;
   * only `deleteIfGone` deletes issues.
   */
  async pullIssue(issue: Issue): Promise<JiraPullOutcome> {
    const key = this.issueIdOf(issue);
    const dataSource = this.dependencies.dataSource;
    const snapshot = await this.issueSync.fetch(key, dataSource.manager, issue.id);
    if (!snapshot) {
      this.logger.warn(
        `Jira returned 404 for issue ${issue.key || key} (Jira id ${key}) of issue ${formatUuid(issue.uuid)}; it is kept, ` +
          'because Jira also returns 404 when the integration user may not see the issue or ATLASSIAN_API_URL is wrong',
      );
      return { status: 'not-found' };
    }
    let result: JiraSyncResult;
    try {
      result = await dataSource.transaction((manager) => this.issueSync.apply(manager, issue, snapshot));
    } catch (error) {
      await this.issueSync.discard(this.issueSync.storedKeys(snapshot));
      throw error;
    }
    const deletions = await this.issueSync.findDeletions(dataSource.manager, issue, snapshot);
    if (deletions.commentIds.length + deletions.attachmentIds.length > 0) {
      await dataSource.transaction((manager) => this.issueSync.applyDeletions(manager, issue, deletions, result));
    }
    await this.issueSync.discard(result.orphanedKeys);
    return { status: 'applied', result, updated: snapshot.issue.updated ?? null };
  }

  /** Deletes our issue when Jira confirms that its issue was deleted; see `JiraIssueDeletion` for what counts as confirmed. */
  deleteIfGone(issue: Issue, evidence: JiraDeletionEvidence): Promise<JiraDeletionOutcome> {
    this.assertConfigured();
    return this.deletion.deleteIfGone(issue, evidence);
  }

  async createComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<{ backendId?: string }> {
    const issueId = this.issueIdOf(issue);
    const body = await this.commentBodyOf(manager, comment);
    let created: { id: string | number };
    try {
      created = this.settings.useOldApi
        ? await this.client.addComment(issueId, { body, properties: [{ key: 'sd.public.comment', value: { internal: !comment.isPublic } }] })
        : await this.client.addRequestComment(issueId, body, comment.isPublic);
    } catch (error) {
      const found = await recoverLostCreate(error, () => this.findPushedComment(manager, issue, body), this.logger);
      this.logger.warn(`Adopted Jira comment ${found.id} of issue ${issue.key} after a failed create: ${(error as Error).message}`);
      created = found;
    }
    return { backendId: String(created.id) };
  }

  /** Pushes the text and, when it changed here, the visibility, which the original integration left out. */
  async updateComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<void> {
    if (!comment.backendId) return;
    const issueId = this.issueIdOf(issue);
    const remote = await this.client.getComment(issueId, comment.backendId);
    if (!remote) {
      this.logger.warn(`Jira comment ${comment.backendId} of issue ${issue.key} is gone; the edit is not pushed`);
      return;
    }
    await this.client.updateComment(issueId, comment.backendId, await this.commentBodyOf(manager, comment));
    const visibility = commentVisibility(remote) ?? true;
    if (visibility !== comment.isPublic) {
      await this.client.setCommentProperty(comment.backendId, 'sd.public.comment', { internal: !comment.isPublic });
    }
  }

  async deleteComment(comment: Comment, issue: Issue): Promise<void> {
    if (!comment.backendId) return;
    await ignoreNotFound(this.client.deleteComment(this.issueIdOf(issue), comment.backendId));
  }

  /**
   * Uploads the file as multipart with `X-Atlassian-Token: no-check`, its name in Unicode
   * NFD cut to 252 bytes. Types in `ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES` are refused.
   */
  async createAttachment(attachment: Attachment, issue: Issue, content: Buffer, manager: EntityManager): Promise<{ backendId?: string }> {
    const issueId = this.issueIdOf(issue);
    if (isExcludedAttachment(attachment.fileName, this.settings.excludedAttachmentTypes)) {
      throw ValidationFailedException.field('file', `Files of this type are not accepted by Jira: ${attachment.fileName}.`);
    }
    let fileName: string;
    try {
      fileName = jiraFileName(attachment.fileName);
    } catch (error) {
      throw ValidationFailedException.field('file', (error as Error).message);
    }
    let uploaded: { id: string | number; size?: number };
    try {
      const [first] = await this.client.addAttachment(issueId, buildAttachmentMultipart(fileName, content, attachment.mimeType));
      if (!first) throw new FailedDependencyException(`Jira stored no attachment for ${attachment.fileName}.`);
      uploaded = first;
    } catch (error) {
      const found = await recoverLostCreate(error, () => this.findPushedAttachment(manager, issue, fileName, content.length), this.logger);
      this.logger.warn(`Adopted Jira attachment ${found.id} of issue ${issue.key} after a failed upload: ${(error as Error).message}`);
      uploaded = found;
    }
    if (uploaded.size === 0 && content.length > 0) throw new FailedDependencyException(`Jira stored ${attachment.fileName} as an empty file.`);
    return { backendId: String(uploaded.id) };
  }

  async deleteAttachment(attachment: Attachment): Promise<void> {
    if (!attachment.backendId || attachment.backendName !== this.name) return;
    this.assertConfigured();
    await ignoreNotFound(this.client.deleteAttachment(attachment.backendId));
  }

  /**
   * Records feedback in Jira: its text as an internal comment (kept here as a private
   * comment of the caller) and the rating in the satisfaction field. A repeated call
   * reuses the comment it made, so a retried delivery posts the text once.
   */
  async createFeedback(feedback: Feedback, issue: Issue, manager: EntityManager): Promise<void> {
    const issueId = this.issueIdOf(issue);
    if (feedback.comment.trim()) {
      const author = await this.callerSupportUser(manager, issue);
      const comment =
        (await manager.findOne(CommentEntity, { where: { issueId: issue.id, authorId: author.id, description: feedback.comment, isPublic: false } })) ??
        (await manager.save(
          manager.create(CommentEntity, { issueId: issue.id, authorId: author.id, description: feedback.comment, isPublic: false, backendName: this.name }),
        ));
      if (!comment.backendId) {
        const { backendId } = await this.createComment(comment, issue, manager);
        await manager.update(CommentEntity, { id: comment.id }, { backendId: backendId ?? null, state: SyncState.OK });
      }
    }
    if (feedback.evaluation) {
      const field = await this.fields.require(this.settings.fields.satisfaction, 'ATLASSIAN_SATISFACTION_FIELD');
      const label = String(feedback.evaluation);
      const value = field.type === 'option' ? { value: label } : field.type === 'number' ? feedback.evaluation : label;
      await this.client.editIssue(issueId, { fields: { [field.id]: value } });
    }
  }

  async pullSupportUsers(): Promise<void> {
    this.assertConfigured();
    const count = await this.accounts.pullSupportUsers(this.dependencies.dataSource, await this.reference.projectKey());
    this.logger.log(`Pulled ${count} Jira agents`);
  }

  async pullPriorities(): Promise<void> {
    this.assertConfigured();
    if (!this.settings.pullPriorities) {
      this.logger.log('ATLASSIAN_PULL_PRIORITIES is off; Jira priorities are not pulled');
      return;
    }
    const priorities = await this.reference.fetchPriorities();
    await this.dependencies.dataSource.transaction((manager) => this.reference.storePriorities(manager, priorities));
    this.logger.log(`Pulled ${priorities.length} Jira priorities`);
  }

  async pullRequestTypes(): Promise<void> {
    this.assertConfigured();
    const types = await this.reference.fetchRequestTypes();
    await this.dependencies.dataSource.transaction((manager) => this.reference.storeRequestTypes(manager, types));
  }

  /** Links related issues with `ATLASSIAN_LINKED_ISSUE_TYPE`. */
  async linkIssues(issue: Issue, related: Issue[]): Promise<void> {
    this.assertConfigured();
    for (const other of related) {
      if (issue.key && other.key) await this.client.createIssueLink(this.settings.linkedIssueType, issue.key, other.key);
    }
  }

  /** Remote fields of a Jira issue in our terms, as a create returns them. */
  async remoteFieldsOf(jiraIssue: JiraIssue): Promise<IssueRemoteFields> {
    const fields: JiraIssueFields = mapIssue(jiraIssue, await this.issueSync.fieldIds(), { useOldApi: this.settings.useOldApi });
    return {
      backendId: fields.backendId,
      backendName: this.name,
      key: fields.key,
      link: `${(await this.siteUrl()).replace(/\/+$/, '')}/browse/${fields.key}`,
      ...(fields.status !== undefined ? { status: fields.status } : {}),
      ...(fields.resolution !== undefined ? { resolution: fields.resolution } : {}),
      ...(fields.priority ? { priority: fields.priority } : {}),
      ...(fields.firstResponseSla !== undefined ? { firstResponseSla: fields.firstResponseSla } : {}),
    };
  }

  /**
   * Returns the site's own URL, for `browse/` links: `ATLASSIAN_API_URL`, except behind the
   * OAuth gateway (`api.atlassian.com/ex/jira/<cloudId>`), where Jira's `serverInfo` returns it.
   */
  async siteUrl(): Promise<string> {
    if (!/\/ex\/jira\//.test(this.settings.apiUrl)) return this.settings.apiUrl;
    return (await this.client.serverInfo()).baseUrl ?? this.settings.apiUrl;
  }

  /** Finds the comment that a push of `body` stored although its response was lost. */
  async findPushedComment(manager: EntityManager, issue: Issue, body: string): Promise<JiraComment | undefined> {
    const comments = await this.client.listComments(this.issueIdOf(issue));
    const claimed = new Set(
      (await manager.find(CommentEntity, { select: { backendId: true }, where: { issueId: issue.id, backendName: this.name } }))
        .map((row) => row.backendId)
        .filter(Boolean),
    );
    return comments.find((candidate) => !claimed.has(String(candidate.id)) && candidate.body === body);
  }

  /** Finds the attachment that an upload stored although its response was lost: same name and size, claimed by no row. */
  async findPushedAttachment(manager: EntityManager, issue: Issue, fileName: string, size: number): Promise<{ id: string; size?: number } | undefined> {
    const remote = await this.client.getIssue(this.issueIdOf(issue), { fields: ['attachment'] });
    const attachments = mapIssue(remote ?? { id: '', key: '', fields: {} }, {}, this.settings).attachments ?? [];
    for (const candidate of attachments) {
      if (candidate.fileName.normalize('NFC') !== fileName.normalize('NFC') || candidate.size !== size) continue;
      const claimed = await manager.exists(AttachmentEntity, { where: { backendName: this.name, backendId: candidate.backendId } });
      if (!claimed) return { id: candidate.backendId, size: candidate.size ?? undefined };
    }
    return undefined;
  }

  /**
   * Releases the HTTP connections. It is not named `close`, because `SupportBackendProvider`
   * closes the adapters it replaces, and this one belongs to `AtlassianBackendProvider`.
   */
  async closeConnections(): Promise<void> {
    await this.client.close();
  }

  /** Builds the body pushed for a comment: its text after the author's name, `[Jane Doe 38001010000]: text`. */
  async commentBodyOf(manager: EntityManager, comment: Comment): Promise<string> {
    const author = await manager.findOne(SupportUser, { where: { id: comment.authorId }, relations: { user: true } });
    const user = author?.user;
    let who = author?.name ?? '';
    if (user) who = [user.fullName || user.username, user.civilNumber].filter(Boolean).join(' ');
    return withAuthorPrefix(who, comment.description);
  }

  private async callerSupportUser(manager: EntityManager, issue: Issue): Promise<SupportUser> {
    if (!issue.callerId) throw ValidationFailedException.nonField('The issue has no caller to record the feedback for.');
    const repository = manager.getRepository(SupportUser);
    const existing = await repository.findOne({ where: { userId: issue.callerId, backendName: this.name }, order: { isActive: 'DESC', id: 'ASC' } });
    if (existing) return existing;
    const caller = await this.creator.loadContext(manager, issue);
    const name = (caller.caller.fullName || caller.caller.username).slice(0, 150);
    return repository.save(repository.create({ name, userId: issue.callerId, backendName: this.name, backendId: null, isActive: true }));
  }

  private issueIdOf(issue: Issue): string {
    this.assertConfigured();
    if (!issue.backendId) throw new FailedDependencyException(`Issue ${formatUuid(issue.uuid)} has not reached Jira yet; try again later.`);
    return issue.backendId;
  }

  private assertConfigured(): void {
    const missing = missingAtlassianSettings(this.settings);
    if (missing.length > 0) throw new FailedDependencyException(`Jira is not configured: set ${missing.join(', ')}.`);
  }
}

async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof JiraError && error.isNotFound) return undefined;
    throw error;
  }
}
