import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { FileStorage, StoredObjectNotFoundError } from '../../../storage/file-storage';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { assertNever } from '../../common/assert-never';
import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { RemoteError } from '../../sync/common/remote-error';
import { DeliveryResult, OutboxDeliverer, OutboxDelivery } from '../../sync/outbox/outbox-deliverer';
import { IssueRemoteFields } from '../support-backend';
import { SmaxAdapterProvider } from './smax-adapter.provider';
import { withRemoteErrors } from './smax-remote-error';
import { SMAX_BACKEND_NAME } from './smax-request-applier';
import { SmaxBackend } from './smax.backend';

/**
 * Pushes outbox rows of SMAX issues through the active SMAX adapter, outside any
 * transaction. A retried create first looks for what an earlier attempt made: the Request
 * by the reference line in its description, the comment by its text, visibility and author.
 * A retried attachment looks for a linked file of the same name and size. Rows whose issue or comment was deleted meanwhile are done without a call.
 * Rows are delivered whichever backend is active. While the SMAX settings are incomplete,
 * each attempt fails as retryable.
 */
@Injectable()
export class SmaxOutboxDeliverer extends OutboxDeliverer {
  readonly backendName = SMAX_BACKEND_NAME;
  private readonly logger = new Logger(SmaxOutboxDeliverer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly adapters: SmaxAdapterProvider,
    private readonly storage: FileStorage,
  ) {
    super();
  }

  findDelivered(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    return withRemoteErrors(async () => {
      switch (delivery.operation) {
        case 'issue.create':
          return this.findCreatedIssue(delivery);
        case 'comment.create':
          return this.findCreatedComment(delivery);
        case 'attachment.create':
          return this.findCreatedAttachment(delivery);
        default:
          // Updates resend the whole state and deletes of missing comments count as done: safe to repeat.
          return undefined;
      }
    });
  }

  deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    return withRemoteErrors(() => this.push(delivery));
  }

  override async applyResult(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    if (delivery.operation === 'issue.create') await this.linkIssue(manager, delivery, result);
    if (delivery.operation === 'comment.create') await this.linkComment(manager, delivery, result);
    if (delivery.operation === 'attachment.create') await this.linkAttachment(manager, delivery, result);
  }

  override async onDead(manager: EntityManager, delivery: OutboxDelivery, _error: RemoteError): Promise<void> {
    if (delivery.targetId === null) return;
    if (delivery.targetType === 'issue' && delivery.operation !== 'issue.delete') {
      await manager.update(Issue, { id: delivery.targetId }, { state: SyncState.ERRED });
    }
    if (delivery.targetType === 'comment' && delivery.operation !== 'comment.delete') {
      await manager.update(Comment, { id: delivery.targetId }, { state: SyncState.ERRED });
    }
    if (delivery.targetType === 'attachment' && delivery.operation === 'attachment.create') {
      await manager.update(Attachment, { id: delivery.targetId }, { state: SyncState.ERRED });
    }
  }

  private async push(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const { operation } = delivery;
    switch (operation) {
      case 'issue.create':
        return this.createIssue(delivery);
      case 'issue.update':
        return this.updateIssue(delivery);
      case 'issue.delete':
        return this.deleteIssue(delivery);
      case 'comment.create':
        return this.createComment(delivery);
      case 'comment.update':
        return this.updateComment(delivery);
      case 'comment.delete':
        return this.deleteComment(delivery);
      case 'feedback.create':
        // SMAX has no place for feedback; it stays in our database.
        return {};
      case 'attachment.create':
        return this.createAttachment(delivery);
      case 'attachment.delete':
        return this.deleteAttachment(delivery);
      default:
        return assertNever(operation);
    }
  }

  private async createIssue(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const issue = await this.loadIssue(delivery);
    if (!issue) return this.skip(delivery, 'its issue was deleted');
    // A webhook or pull may have linked the issue by its reference line already.
    if (issue.backendId) return issueResult(issue);
    const fields = await this.backend().createIssue(issue, this.dataSource.manager);
    return { remoteId: fields.backendId ?? undefined, data: { ...fields } };
  }

  private async findCreatedIssue(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    const issue = await this.loadIssue(delivery);
    if (!issue) return undefined;
    if (issue.backendId) return issueResult(issue);
    const fields = await this.backend().findCreatedIssue(issue, this.dataSource.manager);
    return fields ? { remoteId: fields.backendId ?? undefined, data: { ...fields } } : undefined;
  }

  private async updateIssue(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const issue = await this.loadIssue(delivery);
    if (!issue) return this.skip(delivery, 'its issue was deleted');
    await this.backend().updateIssue(issue, this.dataSource.manager);
    return { remoteId: issue.backendId ?? undefined };
  }

  /** Passes the adapter what the row recorded, because the issue row is gone by now. */
  private async deleteIssue(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const issue = Object.assign(new Issue(), { uuid: delivery.issueUuid ?? '', backendId: stringOf(delivery.payload.backendId) });
    await this.backend().deleteIssue(issue, this.dataSource.manager);
    return { remoteId: issue.backendId ?? undefined };
  }

  private async createComment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const comment = await this.loadComment(delivery);
    const issue = await this.loadIssue(delivery);
    if (!comment || !issue) return this.skip(delivery, 'its comment or issue was deleted');
    if (comment.backendId) return { remoteId: comment.backendId };
    const created = await this.backend().createComment(comment, issue, this.dataSource.manager);
    return { remoteId: created.backendId };
  }

  private async findCreatedComment(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    const comment = await this.loadComment(delivery);
    const issue = await this.loadIssue(delivery);
    if (!comment || !issue) return undefined;
    if (comment.backendId) return { remoteId: comment.backendId };
    if (!issue.backendId) return undefined;
    const found = await this.backend().findCreatedComment(comment, issue, this.dataSource.manager);
    return found ? { remoteId: found.backendId } : undefined;
  }

  private async updateComment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const comment = await this.loadComment(delivery);
    const issue = await this.loadIssue(delivery);
    if (!comment || !issue) return this.skip(delivery, 'its comment or issue was deleted');
    await this.backend().updateComment(comment, issue, this.dataSource.manager);
    return { remoteId: comment.backendId ?? undefined };
  }

  /** Passes the adapter the SMAX comment Id the row recorded, because the comment row is gone by now. */
  private async deleteComment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const issue = await this.loadIssue(delivery);
    const backendId = stringOf(delivery.payload.backendId);
    if (!issue?.backendId || !backendId) return this.skip(delivery, 'the comment never reached SMAX or its issue was deleted');
    const comment = Object.assign(new Comment(), { uuid: delivery.targetUuid ?? '', backendId });
    await this.backend().deleteComment(comment, issue, this.dataSource.manager);
    return { remoteId: backendId };
  }

  /** Uploads the stored bytes and links the file to the Request. */
  private async createAttachment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const attachment = await this.loadAttachment(delivery);
    const issue = await this.loadIssue(delivery);
    if (!attachment || !issue) return this.skip(delivery, 'its attachment or issue was deleted');
    if (attachment.backendId) return { remoteId: attachment.backendId };
    if (!attachment.storageKey) return this.skip(delivery, 'the attachment has no stored file');
    let content: Buffer;
    try {
      content = await this.storage.readAll(attachment.storageKey);
    } catch (error) {
      if (error instanceof StoredObjectNotFoundError) return this.skip(delivery, 'its stored file is gone');
      throw error;
    }
    const created = await this.backend().createAttachment(attachment, issue, content, this.dataSource.manager);
    return { remoteId: created.backendId };
  }

  /** Adopts a file an earlier attempt linked, so a retry does not upload it twice. */
  private async findCreatedAttachment(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    const attachment = await this.loadAttachment(delivery);
    const issue = await this.loadIssue(delivery);
    if (!attachment || !issue) return undefined;
    if (attachment.backendId) return { remoteId: attachment.backendId };
    if (!issue.backendId) return undefined;
    const others = await this.dataSource.getRepository(Attachment).find({ select: { id: true, backendId: true }, where: { issueId: issue.id } });
    const linkedIds = new Set(others.filter((other) => other.id !== attachment.id && other.backendId !== '').map((other) => other.backendId));
    const found = await this.backend().findCreatedAttachment(attachment, issue, linkedIds);
    return found ? { remoteId: found.backendId } : undefined;
  }

  /** Unlinks the file the row recorded, because the attachment row is gone by now. A file no longer listed counts as unlinked. */
  private async deleteAttachment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const issue = await this.loadIssue(delivery);
    const backendId = stringOf(delivery.payload.backendId);
    if (!issue?.backendId || !backendId) return this.skip(delivery, 'the file never reached SMAX or its issue was deleted');
    const attachment = Object.assign(new Attachment(), { uuid: delivery.targetUuid ?? '', backendId });
    await this.backend().deleteAttachment(attachment, issue, this.dataSource.manager);
    return { remoteId: backendId };
  }

  /**
   * Links the attachment to the file its push made. A pull that ran before this link may
   * have copied that file as a new row of ours. Such a copy is removed, so the file shows once.
   */
  private async linkAttachment(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    if (delivery.targetId === null) return;
    const attachment = await manager.findOneBy(Attachment, { id: delivery.targetId });
    if (!attachment) return;
    const backendId = result.remoteId;
    if (!backendId) {
      // Nothing was sent (an empty file): the row stays ours alone.
      await manager.update(Attachment, attachment.id, { state: SyncState.OK });
      return;
    }
    if (attachment.backendId && attachment.backendId !== backendId) {
      this.logger.warn(`Attachment ${attachment.uuid} is linked to SMAX file ${attachment.backendId}; the file ${backendId} its push returned is left unlinked`);
      return;
    }
    const copy = await manager.findOneBy(Attachment, { backendName: SMAX_BACKEND_NAME, backendId });
    if (copy && copy.id !== attachment.id) {
      await manager.delete(Attachment, copy.id);
      this.logger.warn(`Removed attachment ${copy.uuid}, a pulled copy of SMAX file ${backendId} that attachment ${attachment.uuid} pushed`);
    }
    await manager.update(Attachment, attachment.id, { backendId, backendName: SMAX_BACKEND_NAME, state: SyncState.OK });
  }

  /**
   * Links the issue to its Request. A webhook or pull that linked it first wins on status,
   * because its phase is newer than the one read right after the create.
   */
  private async linkIssue(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    const requestId = result.remoteId;
    if (!requestId || delivery.issueId === null) return;
    const issue = await manager.findOne(Issue, { where: { id: delivery.issueId }, lock: { mode: 'pessimistic_write' } });
    if (!issue) return;
    if (issue.backendId && issue.backendId !== requestId) {
      this.logger.warn(`Issue ${issue.uuid} is linked to SMAX Request ${issue.backendId}; the Request ${requestId} its create returned is left unlinked`);
      return;
    }
    const changes: Partial<Issue> = { backendId: requestId, backendName: SMAX_BACKEND_NAME, state: SyncState.OK };
    if (!issue.key) changes.key = requestId;
    const phase = result.data?.status;
    if (!issue.status && typeof phase === 'string' && phase) changes.status = phase;
    await manager.update(Issue, issue.id, changes);
  }

  /**
   * Links the comment to the SMAX comment its push made. A pull that ran before this link
   * may have copied that SMAX comment as a new row of ours. Such a copy is removed, so the
   * comment shows once.
   */
  private async linkComment(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    const backendId = result.remoteId;
    if (!backendId || delivery.targetId === null) return;
    const comment = await manager.findOneBy(Comment, { id: delivery.targetId });
    if (!comment) return;
    if (comment.backendId && comment.backendId !== backendId) {
      this.logger.warn(`Comment ${comment.uuid} is linked to SMAX comment ${comment.backendId}; the comment ${backendId} its push returned is left unlinked`);
      return;
    }
    const copy = await manager.findOneBy(Comment, { backendName: SMAX_BACKEND_NAME, backendId });
    if (copy && copy.id !== comment.id) {
      await manager.delete(Comment, copy.id);
      this.logger.warn(`Removed comment ${copy.uuid}, a pulled copy of SMAX comment ${backendId} that comment ${comment.uuid} pushed`);
    }
    await manager.update(Comment, comment.id, { backendId, backendName: SMAX_BACKEND_NAME, state: SyncState.OK });
  }

  private backend(): SmaxBackend {
    return this.adapters.current();
  }

  private loadIssue(delivery: OutboxDelivery): Promise<Issue | null> {
    if (delivery.issueId === null) return Promise.resolve(null);
    return this.dataSource.getRepository(Issue).findOneBy({ id: delivery.issueId });
  }

  private loadComment(delivery: OutboxDelivery): Promise<Comment | null> {
    if (delivery.targetType !== 'comment' || delivery.targetId === null) return Promise.resolve(null);
    return this.dataSource.getRepository(Comment).findOneBy({ id: delivery.targetId });
  }

  private loadAttachment(delivery: OutboxDelivery): Promise<Attachment | null> {
    if (delivery.targetType !== 'attachment' || delivery.targetId === null) return Promise.resolve(null);
    return this.dataSource.getRepository(Attachment).findOneBy({ id: delivery.targetId });
  }

  private skip(delivery: OutboxDelivery, reason: string): DeliveryResult {
    this.logger.log(`Outbox row ${delivery.uuid} (${delivery.operation}) needs no SMAX call: ${reason}`);
    return {};
  }
}

function issueResult(issue: Issue): DeliveryResult {
  const fields: IssueRemoteFields = { backendId: issue.backendId, key: issue.key || issue.backendId || '', status: issue.status, backendName: SMAX_BACKEND_NAME };
  return { remoteId: issue.backendId ?? undefined, data: { ...fields } };
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
