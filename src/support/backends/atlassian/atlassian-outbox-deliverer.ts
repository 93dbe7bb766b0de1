import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { formatUuid } from '../../../common/http/uuid';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import { Feedback } from '../../feedback/feedback.entity';
import { Issue } from '../../issues/issue.entity';
import { RemoteError } from '../../sync/common/remote-error';
import { DeliveryResult, OutboxDeliverer, OutboxDelivery } from '../../sync/outbox/outbox-deliverer';
import { SYNC_CONFIG, SyncConfig } from '../../sync/sync.config';
import type { IssueRemoteFields } from '../support-backend';
import { AtlassianBackendProvider } from './atlassian-backend.provider';
import { toRemoteError } from './atlassian-remote-error';
import type { AtlassianBackend } from './atlassian.backend';
import { JiraError } from './jira.exception';

/** Reads the bytes of a stored attachment, for uploads; the file storage port (`FileStorage`) has this method. */
export interface AttachmentContentReader {
  readAll(key: string): Promise<Buffer>;
}

/**
 * Pushes outbox rows of the `atlassian` backend. Creates are found again after a lost
 * response: an issue by its marker label (or its text), a comment or file by its content
 * among those no row of ours claims, or by the Jira id a webhook already stored on our
 * row. Updates send the whole current state and deletes treat 404 as done, so both are
 * safe to repeat.
 *
 * Jira finds a lost issue create only through its search, whose index can lag behind
 * the create. So an issue create is not sent again before the search had a settle time to
 * list it. That time is `SYNC_PULL_OVERLAP_SECONDS`, the lag the scheduled pull already
 * allows the index. A failure that may have stored the issue delays the next attempt by
 * that time, and `findDelivered` keeps waiting while the issue is younger than that.
 */
@Injectable()
export class AtlassianOutboxDeliverer extends OutboxDeliverer {
  readonly backendName = 'atlassian';
  private readonly logger = new Logger(AtlassianOutboxDeliverer.name);
  /** Set by `AtlassianModule` from the file storage port. */
  contentReader: AttachmentContentReader | undefined;

  constructor(
    private readonly backends: AtlassianBackendProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
  ) {
    super();
  }

  async findDelivered(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    return this.guard(async () => {
      const backend = this.backends.current();
      const manager = this.dataSource.manager;
      switch (delivery.operation) {
        case 'issue.create': {
          const issue = await this.issueOf(delivery);
          if (!issue) return undefined;
          const found = await backend.creator.adopt(manager, issue);
          if (found) return this.issueResult(backend, await backend.remoteFieldsOf(found));
          this.waitForSearchToSettle(issue);
          return undefined;
        }
        case 'comment.create': {
          const comment = await this.commentOf(delivery);
          if (!comment || !issueReady(comment.issue)) return undefined;
          if (comment.backendId) return { remoteId: comment.backendId };
          const found = await backend.findPushedComment(manager, comment.issue, await backend.commentBodyOf(manager, comment));
          return found ? { remoteId: String(found.id) } : undefined;
        }
        case 'attachment.create': {
          const attachment = await this.attachmentOf(delivery);
          if (!attachment || !issueReady(attachment.issue)) return undefined;
          if (attachment.backendId) return { remoteId: attachment.backendId };
          const found = await backend.findPushedAttachment(manager, attachment.issue, attachment.fileName, Number(attachment.fileSize));
          return found ? { remoteId: found.id } : undefined;
        }
        default:
          return undefined;
      }
    });
  }

  async deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    return this.guard(async () => {
      const backend = this.backends.current();
      const manager = this.dataSource.manager;
      switch (delivery.operation) {
        case 'issue.create': {
          const issue = await this.issueOf(delivery);
          if (!issue || issue.backendId) return { remoteId: issue?.backendId ?? undefined };
          try {
            return this.issueResult(backend, await backend.createIssue(issue, manager));
          } catch (error) {
            throw this.lostCreateError(issue, error);
          }
        }
        case 'issue.update': {
          const issue = await this.readyIssue(delivery);
          if (issue) await backend.updateIssue(issue);
          return { remoteId: issue?.backendId ?? undefined };
        }
        case 'issue.delete': {
          const backendId = stringOf(delivery.payload.backendId);
          if (backendId) await backend.deleteIssue({ backendId } as Issue);
          return { remoteId: backendId };
        }
        case 'comment.create': {
          const comment = await this.commentOf(delivery);
          if (!comment) return {};
          if (comment.backendId) return { remoteId: comment.backendId };
          const { backendId } = await backend.createComment(comment, this.requireReady(comment.issue), manager);
          return { remoteId: backendId };
        }
        case 'comment.update': {
          const comment = await this.commentOf(delivery);
          if (comment?.backendId) await backend.updateComment(comment, this.requireReady(comment.issue), manager);
          return { remoteId: comment?.backendId ?? undefined };
        }
        case 'comment.delete': {
          const backendId = stringOf(delivery.payload.backendId);
          const issue = await this.readyIssue(delivery);
          if (backendId && issue) await backend.deleteComment({ backendId } as Comment, issue);
          return { remoteId: backendId };
        }
        case 'attachment.create': {
          const attachment = await this.attachmentOf(delivery);
          if (!attachment) return {};
          if (attachment.backendId) return { remoteId: attachment.backendId };
          const content = await this.contentOf(attachment);
          const { backendId } = await backend.createAttachment(attachment, this.requireReady(attachment.issue), content, manager);
          return { remoteId: backendId };
        }
        case 'attachment.delete': {
          const backendId = stringOf(delivery.payload.backendId);
          if (backendId) await backend.deleteAttachment({ backendId, backendName: this.backendName } as Attachment);
          return { remoteId: backendId };
        }
        case 'feedback.create': {
          const feedback = delivery.targetId ? await manager.findOne(Feedback, { where: { id: delivery.targetId }, relations: { issue: true } }) : null;
          if (feedback) await backend.createFeedback(feedback, this.requireReady(feedback.issue), manager);
          return {};
        }
      }
    });
  }

  /** Stores the Jira id (and for issues the key, link and status) on our row and marks it OK. */
  async applyResult(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    if (delivery.targetId === null) return;
    // A pull of the issue locks the issue row before its comments and files. Taking the
    // issue first here too keeps the two from deadlocking on each other's rows.
    if (delivery.issueId !== null) await manager.findOne(Issue, { where: { id: delivery.issueId }, lock: { mode: 'for_no_key_update' } });
    switch (delivery.operation) {
      case 'issue.create': {
        const fields = (result.data ?? {}) as Partial<Record<keyof IssueRemoteFields, unknown>>;
        const changes: Partial<Issue> = { state: SyncState.OK };
        for (const key of ['backendId', 'key', 'status', 'resolution', 'link', 'priority', 'backendName'] as const) {
          if (typeof fields[key] === 'string') (changes as Record<string, unknown>)[key] = fields[key];
        }
        if (typeof fields.firstResponseSla === 'string') changes.firstResponseSla = new Date(fields.firstResponseSla);
        if (!changes.backendId && result.remoteId) changes.backendId = result.remoteId;
        await manager.update(Issue, { id: delivery.targetId }, changes);
        return;
      }
      case 'comment.create':
        if (result.remoteId) {
          await manager.update(Comment, { id: delivery.targetId, backendId: IsNull() }, { backendId: result.remoteId, backendName: this.backendName });
        }
        await manager.update(Comment, { id: delivery.targetId }, { state: SyncState.OK });
        return;
      case 'comment.update':
        await manager.update(Comment, { id: delivery.targetId }, { state: SyncState.OK });
        return;
      case 'attachment.create':
        if (result.remoteId) {
          await manager.update(Attachment, { id: delivery.targetId, backendId: '' }, { backendId: result.remoteId, backendName: this.backendName });
        }
        await manager.update(Attachment, { id: delivery.targetId }, { state: SyncState.OK });
        return;
      default:
        return;
    }
  }

  /** Marks the row's target `ERRED`, so the API shows that the push failed for good. */
  async onDead(manager: EntityManager, delivery: OutboxDelivery, error: RemoteError): Promise<void> {
    this.logger.error(`Giving up on ${delivery.operation} of issue ${delivery.issueUuid ?? 'none'} in Jira: ${error.message}`);
    if (delivery.targetId === null) return;
    if (delivery.targetType === 'issue') await manager.update(Issue, { id: delivery.targetId }, { state: SyncState.ERRED });
    if (delivery.targetType === 'comment') await manager.update(Comment, { id: delivery.targetId }, { state: SyncState.ERRED });
    if (delivery.targetType === 'attachment') await manager.update(Attachment, { id: delivery.targetId }, { state: SyncState.ERRED });
  }

  /** Time Jira's search gets to list an issue whose create may have been stored, in milliseconds. */
  private get searchSettleMs(): number {
    return this.config.pull.overlapMs;
  }

  /**
   * Throws a retryable error while `issue` is younger than the settle time, so a create
   * that a lagging search cannot find yet is not sent a second time.
   */
  private waitForSearchToSettle(issue: Issue): void {
    const remainingMs = issue.created.getTime() + this.searchSettleMs - Date.now();
    if (remainingMs <= 0) return;
    const seconds = Math.ceil(remainingMs / 1000);
    throw new RemoteError(
      `Jira's search does not list issue ${formatUuid(issue.uuid)} yet; an earlier attempt may have created it, ` +
        `so the create is sent again only if the search still does not list it in ${seconds} s.`,
      { retryable: true, retryAfterSeconds: seconds },
    );
  }

  /**
   * Turns a create failure that may have come after Jira stored the issue into a retryable
   * error whose next attempt waits at least the settle time, so the search can list it by then.
   */
  private lostCreateError(issue: Issue, error: unknown): unknown {
    if (!(error instanceof JiraError) || !error.mayHaveCommitted) return error;
    const settleSeconds = Math.ceil(this.searchSettleMs / 1000);
    const seconds = Math.max(settleSeconds, error.retryAfterSeconds ?? 0);
    return new RemoteError(`${error.message} Jira may have created issue ${formatUuid(issue.uuid)}; its search is checked again in ${seconds} s.`, {
      retryable: true,
      retryAfterSeconds: seconds,
      status: error.status,
      cause: error,
    });
  }

  private issueResult(backend: AtlassianBackend, fields: IssueRemoteFields): DeliveryResult {
    const data = { ...fields, backendName: backend.name, firstResponseSla: fields.firstResponseSla?.toISOString() ?? null };
    return { remoteId: fields.backendId ?? undefined, data };
  }

  private async issueOf(delivery: OutboxDelivery): Promise<Issue | null> {
    const id = delivery.targetType === 'issue' ? delivery.targetId : delivery.issueId;
    return id === null ? null : this.dataSource.manager.findOneBy(Issue, { id });
  }

  /** Loads the row's issue, which must exist in Jira; null when it was deleted here meanwhile. */
  private async readyIssue(delivery: OutboxDelivery): Promise<Issue | null> {
    const issue = delivery.issueId === null ? null : await this.dataSource.manager.findOneBy(Issue, { id: delivery.issueId });
    return issue ? this.requireReady(issue) : null;
  }

  private commentOf(delivery: OutboxDelivery): Promise<Comment | null> {
    if (delivery.targetId === null) return Promise.resolve(null);
    return this.dataSource.manager.findOne(Comment, { where: { id: delivery.targetId }, relations: { issue: true } });
  }

  private attachmentOf(delivery: OutboxDelivery): Promise<Attachment | null> {
    if (delivery.targetId === null) return Promise.resolve(null);
    return this.dataSource.manager.findOne(Attachment, { where: { id: delivery.targetId }, relations: { issue: true } });
  }

  private async contentOf(attachment: Attachment): Promise<Buffer> {
    const reader = this.contentReader;
    const key = attachment.storageKey;
    if (reader && key) return reader.readAll(key);
    const reason = reader ? 'it has no stored bytes' : 'no file storage is available to the Jira adapter';
    throw new RemoteError(`Attachment ${attachment.uuid} cannot be uploaded, because ${reason}.`, { retryable: false });
  }

  /**
   * Returns the issue when Jira has it. Rows of one issue are delivered in order, so its
   * create came first. An issue without a Jira id here means that create is still open.
   */
  private requireReady(issue: Issue): Issue {
    if (!issue.backendId) throw new RemoteError(`Issue ${issue.uuid} has no Jira id yet; its create is not delivered.`, { retryable: true });
    return issue;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toRemoteError(error);
    }
  }
}

function issueReady(issue: Issue | null | undefined): issue is Issue {
  return Boolean(issue?.backendId);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
