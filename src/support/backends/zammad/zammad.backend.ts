import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';

import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import { Customer } from '../../../identity/customers/customer.entity';
import { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import type { Comment } from '../../comments/comment.entity';
import { textToHtml } from '../../common/html-text';
import { Issue } from '../../issues/issue.entity';
import { Priority } from '../../priorities/priority.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { IssueRemoteFields, SupportBackend } from '../support-backend';
import type { AttachmentStore } from './attachment-store';
import { isDeletableWhilePublic } from './zammad-articles';
import { ZammadAccounts } from './zammad-accounts';
import { ZammadChangeFeed, ZammadChangePage } from './zammad-changes';
import { articleAuthor, issueTag, ZammadLostCreates } from './zammad-lost-creates';
import { ZammadReferenceData } from './zammad-reference-data';
import { ZammadSyncResult, ZammadTicketSync } from './zammad-ticket-sync';
import { apiUrlOf, ZammadClient } from './zammad.client';
import { missingZammadSettings, ZammadSettings } from './zammad.config';
import { ZammadError } from './zammad.exception';
import { mapTicket, ZammadTicketFields } from './zammad.mapper';
import type { ZammadArticle, ZammadArticleCreate, ZammadTicket } from './zammad.types';

export interface ZammadBackendDependencies {
  dataSource: DataSource;
  /** Store for files pulled from Zammad; without one, only their metadata is recorded. */
  store?: AttachmentStore;
  /** Built from the settings when not given; tests pass one with short timeouts. */
  client?: ZammadClient;
  /** `ISSUE_FEEDBACK_ENABLE`, read when a ticket is pulled. */
  feedbackEnabled?: () => boolean;
  now?: () => Date;
}

/**
 * The Zammad adapter. Issues are tickets in `ZAMMAD_GROUP` whose customer is the caller,
 * found or created by e-mail; comments and files are articles marked with
 * `ZAMMAD_COMMENT_MARKER`; pulls copy state, title, priority, agent articles and their
 * files, and remove what was deleted in Zammad. Text is pushed as HTML.
 *
 * Zammad has no idempotency keys. So when a create fails without a clear response (a
 * dropped connection, a timeout, a 5xx), the adapter looks for what the attempt may have
 * stored before it reports the failure. Tickets are found by a tag with the issue's uuid,
 * articles by their marked text among those that no row of ours claims.
 */
export class ZammadBackend extends SupportBackend {
  readonly name = 'zammad' as const;
  override readonly messageFormat = 'html' as const;

  private readonly logger = new Logger(ZammadBackend.name);
  private readonly client: ZammadClient;
  private readonly reference: ZammadReferenceData;
  private readonly accounts: ZammadAccounts;
  private readonly ticketSync: ZammadTicketSync;
  private readonly changeFeed: ZammadChangeFeed;
  private readonly lostCreates: ZammadLostCreates;
  private readonly now: () => Date;

  constructor(
    readonly settings: ZammadSettings,
    private readonly dependencies: ZammadBackendDependencies,
  ) {
    super();
    this.now = dependencies.now ?? (() => new Date());
    this.client = dependencies.client ?? new ZammadClient({ baseUrl: settings.apiUrl || 'http://zammad.invalid', token: settings.token });
    this.reference = new ZammadReferenceData(this.client, settings.group);
    this.accounts = new ZammadAccounts(this.client);
    this.changeFeed = new ZammadChangeFeed(this.client);
    this.lostCreates = new ZammadLostCreates(this.client, this.reference, settings);
    this.ticketSync = new ZammadTicketSync(this.client, this.accounts, this.reference, dependencies.store, {
      marker: settings.commentMarker,
      feedbackEnabled: dependencies.feedbackEnabled ?? (() => false),
      now: this.now,
    });
  }

  async createIssue(issue: Issue, manager: EntityManager): Promise<IssueRemoteFields> {
    this.assertConfigured();
    const caller = await this.callerOf(issue, manager);
    const customer = issue.customerId ? await manager.findOneBy(Customer, { id: issue.customerId }) : null;
    const customerReference = await this.accounts.customerFor(manager, caller, customer);
    const tag = issueTag(issue);
    const description = issue.description.trim() || issue.summary;

    const request = {
      title: issue.summary,
      group: await this.reference.defaultGroup(),
      customer_id: customerReference,
      ...(issue.priority ? { priority: issue.priority } : {}),
      tags: [this.settings.siteName.replace(/,/g, ' '), tag].filter(Boolean).join(','),
      article: {
        subject: issue.summary,
        body: textToHtml(description),
        content_type: 'text/html' as const,
        type: this.settings.articleType,
        internal: false,
        ...(caller.email ? { to: caller.email } : {}),
      },
    };
    let ticket: ZammadTicket;
    try {
      ticket = await this.client.createTicket(request);
    } catch (error) {
      const found = await this.recover(error, () => this.findTicketFor(issue));
      this.logger.warn(`Adopted Zammad ticket ${found.id} for issue ${issue.uuid} after a failed create: ${(error as Error).message}`);
      ticket = found;
    }
    if (typeof customerReference === 'string' && typeof ticket.customer_id === 'number') {
      await this.accounts.rememberCustomer(manager, caller, ticket.customer_id);
    }
    return this.remoteFieldsOf(ticket);
  }

  async updateIssue(issue: Issue): Promise<void> {
    if (!issue.backendId) return;
    this.assertConfigured();
    await this.client.updateTicket(issue.backendId, { title: issue.summary, ...(issue.priority ? { priority: issue.priority } : {}) });
  }

  async deleteIssue(issue: Issue): Promise<void> {
    if (!issue.backendId) return;
    this.assertConfigured();
    await ignoreNotFound(this.client.deleteTicket(issue.backendId));
  }

  /**
   * Pulls the ticket inside the caller's transaction, network calls included. When Zammad
   * confirms the ticket deleted, the issue is deleted with its comments and files instead.
   */
  async syncIssue(issue: Issue, manager: EntityManager): Promise<void> {
    this.assertPulled(issue);
    try {
      await this.ticketSync.sync(manager, issue);
    } catch (error) {
      if (!(await this.isDeletedTicket(issue.backendId!, error))) throw error;
      await this.discardStoredFiles(await this.deleteIssuesOfDeletedTickets(manager, [issue]));
    }
  }

  /**
   * Deletes issues whose tickets Zammad deleted, with their comments and attachments, and
   * logs each one. Returns the storage keys of their files, for the caller to discard once
   * the transaction commits.
   */
  async deleteIssuesOfDeletedTickets(manager: EntityManager, issues: Issue[]): Promise<string[]> {
    if (issues.length === 0) return [];
    const issueIds = issues.map((issue) => issue.id);
    const files = await manager.find(Attachment, { select: { storageKey: true }, where: { issueId: In(issueIds) } });
    await manager.delete(Issue, { id: In(issueIds) });
    for (const issue of issues) {
      this.logger.warn(`Deleted issue ${issue.uuid} (${issue.key}) because Zammad ticket ${issue.backendId} no longer exists`);
    }
    return files.map((file) => file.storageKey).filter((key): key is string => key !== null);
  }

  /**
   * Pulls the ticket into the issue and reports what changed. Zammad is read first, and
   * the rows are written afterwards in a transaction of their own, which makes no network
   * calls, so webhooks and scheduled pulls hold no database lock while they wait on Zammad.
   */
  async pullTicket(issue: Issue): Promise<ZammadSyncResult> {
    this.assertPulled(issue);
    const { dataSource } = this.dependencies;
    const snapshot = await this.ticketSync.prepare(dataSource.manager, issue);
    let applied: { result: ZammadSyncResult; unusedKeys: string[] };
    try {
      applied = await dataSource.transaction((manager) => this.ticketSync.apply(manager, issue, snapshot));
    } catch (error) {
      await this.ticketSync.discardSnapshot(snapshot);
      throw error;
    }
    await this.ticketSync.discard(applied.unusedKeys);
    return applied.result;
  }

  /** Deletes stored files that no row refers to any more; failures are logged. */
  discardStoredFiles(keys: string[]): Promise<void> {
    return this.ticketSync.discard(keys);
  }

  /** Downloads the bytes of a file held in Zammad, for attachments pulled without a store. */
  async downloadAttachment(attachment: Attachment, issue: Issue): Promise<Buffer> {
    const ticketId = this.ticketIdOf(issue);
    const articles = await this.client.listArticles(ticketId);
    const carrier = articles.find((article) => (article.attachments ?? []).some((file) => String(file.id) === attachment.backendId));
    if (!carrier) throw new FailedDependencyException(`Zammad ticket ${ticketId} no longer has the file ${attachment.fileName}.`);
    return this.client.downloadAttachment(ticketId, carrier.id, attachment.backendId);
  }

  async createComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<{ backendId?: string }> {
    const ticketId = this.ticketIdOf(issue);
    const author = await articleAuthor(manager, comment.authorId);
    const body = await this.lostCreates.commentBody(comment, manager);
    const article: ZammadArticleCreate = {
      ticket_id: Number(ticketId),
      body,
      content_type: 'text/html',
      type: this.settings.articleType,
      internal: !comment.isPublic,
      ...(author?.user?.email ? { to: author.user.email } : {}),
    };
    const created = await this.createArticle(article, () => this.lostCreates.findComment(comment, issue, manager));
    return { backendId: String(created.id) };
  }

  /** Zammad articles cannot be edited (only their `internal` flag), so this is refused before it is reached. */
  async updateComment(): Promise<void> {
    throw ValidationFailedException.nonField('Zammad does not allow comments to be edited.');
  }

  async deleteComment(comment: Comment): Promise<void> {
    if (!comment.backendId) return;
    this.assertConfigured();
    await ignoreNotFound(this.client.deleteArticle(comment.backendId));
  }

  async createAttachment(attachment: Attachment, issue: Issue, content: Buffer, manager: EntityManager): Promise<{ backendId?: string }> {
    const ticketId = this.ticketIdOf(issue);
    const author = await articleAuthor(manager, attachment.authorId);
    const body = await this.lostCreates.attachmentBody(attachment, manager);
    const article: ZammadArticleCreate = {
      ticket_id: Number(ticketId),
      body,
      content_type: 'text/html',
      type: this.settings.articleType,
      internal: true,
      ...(author?.user?.email ? { to: author.user.email } : {}),
      attachments: [{ filename: attachment.fileName, data: content.toString('base64'), 'mime-type': attachment.mimeType || 'application/octet-stream' }],
    };
    const created = await this.createArticle(article, () => this.lostCreates.findAttachment(attachment, issue, manager, content.length));
    const file = created.attachments?.find((candidate) => candidate.filename === attachment.fileName) ?? created.attachments?.[0];
    if (!file) throw new FailedDependencyException(`Zammad stored article ${created.id} without the file ${attachment.fileName}.`);
    return { backendId: String(file.id) };
  }

  /**
   * Deletes the note that carries the file, which removes the file with it. Files added
   * in Zammad by someone else are refused, because Zammad lets users delete only their
   * own notes.
   */
  async deleteAttachment(attachment: Attachment, issue: Issue): Promise<void> {
    if (!attachment.backendId || !issue.backendId || attachment.backendName !== this.name) return;
    this.assertConfigured();
    const articles = await ignoreNotFound(this.client.listArticles(issue.backendId));
    const carrier = articles?.find((article) => (article.attachments ?? []).some((file) => String(file.id) === attachment.backendId));
    if (!carrier) return;
    if (carrier.created_by_id !== (await this.reference.integrationUserId())) {
      throw ValidationFailedException.nonField('This file was added in Zammad by someone else and can only be deleted there.');
    }
    await ignoreNotFound(this.client.deleteArticle(carrier.id));
  }

  /** Zammad keeps no feedback; it stays in our database. */
  async createFeedback(): Promise<void> {}

  async pullSupportUsers(): Promise<void> {
    this.assertConfigured();
    const count = await this.accounts.pullSupportUsers(this.dependencies.dataSource);
    this.logger.log(`Pulled ${count} Zammad users`);
  }

  /** Adds Zammad's priorities and follows their renames. Priorities Zammad no longer lists are kept, because issues may still name them. */
  async pullPriorities(): Promise<void> {
    this.assertConfigured();
    const priorities = await this.client.listPriorities();
    await this.dependencies.dataSource.transaction(async (manager) => {
      for (const priority of priorities) {
        const existing = await manager.findOneBy(Priority, { backendName: this.name, backendId: String(priority.id) });
        if (!existing) await manager.save(manager.create(Priority, { name: priority.name, backendName: this.name, backendId: String(priority.id) }));
        else if (existing.name !== priority.name) await manager.update(Priority, { id: existing.id }, { name: priority.name });
      }
    });
    this.logger.log(`Pulled ${priorities.length} Zammad priorities`);
  }

  /** Zammad has no request types. */
  async pullRequestTypes(): Promise<void> {}

  override updateIsAvailable(issue: Issue): boolean {
    return Boolean(issue.backendId);
  }

  /** Articles are immutable in Zammad apart from their `internal` flag. */
  override commentUpdateIsAvailable(): boolean {
    return false;
  }

  /**
   * Allows deleting a comment not yet in Zammad at any time, and one of ours within
   * `ZAMMAD_COMMENT_COOLDOWN_DURATION` minutes unless it is a public communication
   * article, which Zammad refuses to delete. Comments that came from Zammad (they keep
   * their original body) belong to their Zammad author and stay.
   */
  override commentDestroyIsAvailable(comment: Comment): boolean {
    if (!comment.backendId) return true;
    if (comment.originalBody !== null && comment.originalBody !== undefined) return false;
    if (comment.isPublic && !isDeletableWhilePublic(this.settings.articleType)) return false;
    return this.withinCooldown(comment.created);
  }

  /**
   * Allows deleting a file not yet in Zammad at any time, and one we uploaded within
   * `ZAMMAD_COMMENT_COOLDOWN_DURATION` minutes. Files added in Zammad stay, because Zammad
   * lets the integration delete only its own notes and `deleteAttachment` refuses them.
   */
  override attachmentDestroyIsAvailable(attachment: Attachment): boolean {
    if (!attachment.backendId) return true;
    if (attachment.fromBackend) return false;
    return this.withinCooldown(attachment.created);
  }

  /** Finds the ticket of `issue` by its tag; undefined when no create reached Zammad. */
  findTicketFor(issue: Pick<Issue, 'uuid'>): Promise<ZammadTicket | undefined> {
    this.assertConfigured();
    return this.lostCreates.findTicket(issue);
  }

  /** Finds the article that a create of `comment` stored although its response was lost. */
  findPushedComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<ZammadArticle | undefined> {
    this.ticketIdOf(issue);
    return this.lostCreates.findComment(comment, issue, manager);
  }

  /** Finds the note that an upload of `attachment` stored although its response was lost. */
  findPushedAttachment(attachment: Attachment, issue: Issue, manager: EntityManager): Promise<ZammadArticle | undefined> {
    this.ticketIdOf(issue);
    return this.lostCreates.findAttachment(attachment, issue, manager, attachment.fileSize);
  }

  /** Reads one page of tickets changed at or after `since - overlapMs`; every ticket when `since` is null. */
  changedTickets(since: Date | null, overlapMs: number, cursor?: string): Promise<ZammadChangePage> {
    this.assertConfigured();
    return this.changeFeed.changedSince(since, overlapMs, cursor);
  }

  /** Returns the ticket ids among `ids` that Zammad still has; only a 404 counts as deleted. */
  existingTicketIds(ids: Iterable<string>): Promise<Set<string>> {
    this.assertConfigured();
    return this.changeFeed.existingTicketIds(ids);
  }

  /** Remote fields of a ticket in our terms, as a create returns them. */
  remoteFieldsOf(ticket: ZammadTicket): IssueRemoteFields {
    const fields: ZammadTicketFields = mapTicket(ticket);
    return {
      backendId: fields.backendId,
      backendName: this.name,
      key: fields.key,
      link: `${apiUrlOf(this.settings.apiUrl).replace(/\/api\/v1$/, '')}/#ticket/zoom/${fields.backendId}`,
      ...(fields.status !== undefined ? { status: fields.status } : {}),
      ...(fields.priority !== undefined ? { priority: fields.priority } : {}),
      firstResponseSla: fields.firstResponseSla,
    };
  }

  /** Closes the client's connections; `ZammadAdapterProvider` calls it for adapters it replaced. */
  async closeConnections(): Promise<void> {
    await this.client.close();
  }

  /**
   * Creates an article. When the response is lost, it returns the article the attempt
   * stored, if there is one, instead of failing.
   */
  private async createArticle(article: ZammadArticleCreate, findPushed: () => Promise<ZammadArticle | undefined>): Promise<ZammadArticle> {
    try {
      return await this.client.createArticle(article);
    } catch (error) {
      const found = await this.recover(error, findPushed);
      this.logger.warn(`Adopted Zammad article ${found.id} of ticket ${article.ticket_id} after a failed create: ${(error as Error).message}`);
      return found;
    }
  }

  /**
   * Tells whether a failed pull means that the ticket was deleted. Zammad returns 404 for a
   * missing record and 403 for one the token may not see (`ApplicationController::HandlesErrors`
   * maps `RecordNotFound` and Pundit's refusal), so a 404 counts when a second read of the
   * ticket returns 404 again while `GET /users/me` succeeds. That check keeps a wrong
   * `ZAMMAD_API_URL`, where every path returns 404, from deleting anything.
   */
  private async isDeletedTicket(ticketId: string, error: unknown): Promise<boolean> {
    if (!(error instanceof ZammadError) || !error.isNotFound) return false;
    try {
      await this.client.getTicket(ticketId);
      return false;
    } catch (reread) {
      if (!(reread instanceof ZammadError) || !reread.isNotFound) return false;
    }
    try {
      await this.client.getCurrentUser();
      return true;
    } catch (check) {
      this.logger.warn(`Zammad returned 404 for ticket ${ticketId}, but GET /users/me failed too, so the ticket is not taken as deleted: ${(check as Error).message}`);
      return false;
    }
  }

  /** Returns what `find` finds after a create failed without a clear response; rethrows the error otherwise. */
  private async recover<T>(error: unknown, find: () => Promise<T | undefined>): Promise<T> {
    if (!(error instanceof ZammadError) || !error.mayHaveCommitted) throw error;
    let found: T | undefined;
    try {
      found = await find();
    } catch (lookupError) {
      this.logger.warn(`Could not check whether a failed create reached Zammad: ${(lookupError as Error).message}`);
    }
    if (found === undefined) throw error;
    return found;
  }

  private async callerOf(issue: Issue, manager: EntityManager): Promise<User> {
    const caller = issue.callerId ? await manager.findOneBy(User, { id: issue.callerId }) : null;
    if (caller) return caller;
    const reporter = issue.reporterId ? await manager.findOne(SupportUser, { where: { id: issue.reporterId }, relations: { user: true } }) : null;
    if (reporter?.user) return reporter.user;
    throw ValidationFailedException.nonField('A Zammad ticket needs a caller with an e-mail address as its customer.');
  }

  private assertPulled(issue: Issue): void {
    if (!issue.backendId) throw new FailedDependencyException(`Issue ${formatUuid(issue.uuid)} has not reached Zammad yet.`);
    this.assertConfigured();
  }

  private ticketIdOf(issue: Issue): string {
    this.assertConfigured();
    if (!issue.backendId) throw new FailedDependencyException(`Issue ${formatUuid(issue.uuid)} has not reached Zammad yet; try again later.`);
    return issue.backendId;
  }

  private withinCooldown(created: Date | undefined): boolean {
    if (!created) return true;
    return this.now().getTime() - created.getTime() < this.settings.commentCooldownMinutes * 60_000;
  }

  private assertConfigured(): void {
    const missing = missingZammadSettings(this.settings);
    if (missing.length > 0) throw new FailedDependencyException(`Zammad is not configured: set ${missing.join(' and ')}.`);
  }
}

async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ZammadError && error.isNotFound) return undefined;
    throw error;
  }
}
