import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { FileStorage } from '../../../storage/file-storage';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { RemoteError } from '../../sync/common/remote-error';
import { DeliveryResult, OutboxDeliverer, OutboxDelivery } from '../../sync/outbox/outbox-deliverer';
import type { IssueRemoteFields } from '../support-backend';
import { ZammadAdapterProvider } from './zammad-adapter.provider';
import { toRemoteError } from './zammad-remote-error';
import type { ZammadArticle } from './zammad.types';

const BACKEND = 'zammad';

/**
 * Pushes outbox rows of Zammad issues. Creates are adopted instead of repeated when an
 * earlier attempt reached Zammad: tickets are found by the tag with the issue's uuid,
 * articles by their marked text. Updates and deletes are safe to repeat, and a delete of
 * something Zammad no longer has counts as done.
 */
@Injectable()
export class ZammadOutboxDeliverer extends OutboxDeliverer {
  readonly backendName = BACKEND;
  private readonly logger = new Logger(ZammadOutboxDeliverer.name);

  constructor(
    private readonly adapters: ZammadAdapterProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {
    super();
  }

  async findDelivered(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    try {
      return await this.findCreated(delivery);
    } catch (error) {
      throw toRemoteError(error);
    }
  }

  async deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    try {
      return await this.push(delivery);
    } catch (error) {
      throw toRemoteError(error, { isDelete: delivery.operation.endsWith('.delete') });
    }
  }

  override async applyResult(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    if (!delivery.targetId || result.remoteId === undefined) return;
    switch (delivery.operation) {
      case 'issue.create':
        await manager.update(Issue, { id: delivery.targetId }, { ...(result.data as IssueRemoteFields), state: SyncState.OK });
        return;
      case 'comment.create':
        await manager.update(Comment, { id: delivery.targetId }, { backendId: result.remoteId, state: SyncState.OK });
        return;
      case 'attachment.create':
        await manager.update(Attachment, { id: delivery.targetId }, { backendId: result.remoteId, backendName: BACKEND, state: SyncState.OK });
        return;
      default:
        return;
    }
  }

  /** Marks the issue, comment or file of a parked create as ERRED, so the API shows it did not reach Zammad. */
  override async onDead(manager: EntityManager, delivery: OutboxDelivery, error: RemoteError): Promise<void> {
    if (!delivery.targetId) return;
    const erred = { state: SyncState.ERRED };
    if (delivery.operation === 'issue.create') await manager.update(Issue, { id: delivery.targetId }, erred);
    else if (delivery.operation === 'comment.create') await manager.update(Comment, { id: delivery.targetId }, erred);
    else if (delivery.operation === 'attachment.create') await manager.update(Attachment, { id: delivery.targetId }, erred);
    else return;
    this.logger.error(`Zammad gave up on ${delivery.operation} of ${delivery.targetType} ${delivery.targetUuid}: ${error.message}`);
  }

  private async findCreated(delivery: OutboxDelivery): Promise<DeliveryResult | undefined> {
    const backend = this.adapters.current();
    const manager = this.dataSource.manager;
    switch (delivery.operation) {
      case 'issue.create': {
        const issue = await this.issueOf(delivery);
        const ticket = issue && (await backend.findTicketFor(issue));
        return ticket ? issueResult(backend.remoteFieldsOf(ticket)) : undefined;
      }
      case 'comment.create': {
        const comment = await this.commentOf(delivery);
        const issue = await this.issueOf(delivery);
        if (!comment || !issue?.backendId) return undefined;
        return articleResult(await backend.findPushedComment(comment, issue, manager));
      }
      case 'attachment.create': {
        const attachment = await this.attachmentOf(delivery);
        const issue = await this.issueOf(delivery);
        if (!attachment || !issue?.backendId) return undefined;
        const article = await backend.findPushedAttachment(attachment, issue, manager);
        const file = article?.attachments?.find((candidate) => candidate.filename === attachment.fileName);
        return file ? { remoteId: String(file.id) } : undefined;
      }
      default:
        return undefined;
    }
  }

  private async push(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const backend = this.adapters.current();
    const manager = this.dataSource.manager;
    switch (delivery.operation) {
      case 'issue.create': {
        const issue = await this.issueOf(delivery);
        if (!issue) return this.skipped(delivery, 'the issue was deleted');
        return issueResult(await backend.createIssue(issue, manager));
      }
      case 'issue.update': {
        const issue = await this.issueOf(delivery);
        if (!issue) return this.skipped(delivery, 'the issue was deleted');
        if (!issue.backendId) throw new RemoteError('The issue has no Zammad ticket to update; its create did not succeed.', { retryable: false });
        await backend.updateIssue(issue);
        return { remoteId: issue.backendId };
      }
      case 'issue.delete': {
        const backendId = stringOf(delivery.payload.backendId);
        if (backendId) await backend.deleteIssue({ backendId } as Issue);
        return backendId ? { remoteId: backendId } : {};
      }
      case 'comment.create': {
        const comment = await this.commentOf(delivery);
        const issue = await this.issueOf(delivery);
        if (!comment || !issue) return this.skipped(delivery, 'the comment or its issue was deleted');
        if (comment.backendId) return { remoteId: comment.backendId };
        const remote = await backend.createComment(comment, issue, manager);
        return { remoteId: remote.backendId };
      }
      case 'comment.update':
        throw new RemoteError('Zammad does not allow comments to be edited.', { retryable: false });
      case 'comment.delete': {
        const backendId = stringOf(delivery.payload.backendId);
        if (backendId) await backend.deleteComment({ backendId } as Comment);
        return backendId ? { remoteId: backendId } : {};
      }
      case 'attachment.create':
        return this.pushAttachment(delivery);
      case 'attachment.delete': {
        const backendId = stringOf(delivery.payload.backendId);
        const issue = await this.issueOf(delivery);
        if (backendId && issue) await backend.deleteAttachment({ backendId, backendName: BACKEND } as Attachment, issue);
        return backendId ? { remoteId: backendId } : {};
      }
      case 'feedback.create':
        // Zammad keeps no feedback; it stays in our database.
        return {};
    }
  }

  private async pushAttachment(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const attachment = await this.attachmentOf(delivery);
    const issue = await this.issueOf(delivery);
    if (!attachment || !issue) return this.skipped(delivery, 'the attachment or its issue was deleted');
    if (attachment.backendId) return { remoteId: attachment.backendId };
    if (!attachment.storageKey) {
      throw new RemoteError(`Attachment ${attachment.uuid} has no stored file to upload.`, { retryable: false });
    }
    const content = await this.storage.readAll(attachment.storageKey);
    const remote = await this.adapters.current().createAttachment(attachment, issue, content, this.dataSource.manager);
    return { remoteId: remote.backendId };
  }

  private skipped(delivery: OutboxDelivery, reason: string): DeliveryResult {
    this.logger.warn(`Skipped Zammad ${delivery.operation} of ${delivery.targetType} ${delivery.targetUuid}: ${reason}`);
    return {};
  }

  private issueOf(delivery: OutboxDelivery): Promise<Issue | null> {
    return delivery.issueId ? this.dataSource.manager.findOneBy(Issue, { id: delivery.issueId }) : Promise.resolve(null);
  }

  private commentOf(delivery: OutboxDelivery): Promise<Comment | null> {
    return delivery.targetId ? this.dataSource.manager.findOneBy(Comment, { id: delivery.targetId }) : Promise.resolve(null);
  }

  private attachmentOf(delivery: OutboxDelivery): Promise<Attachment | null> {
    return delivery.targetId ? this.dataSource.manager.findOneBy(Attachment, { id: delivery.targetId }) : Promise.resolve(null);
  }
}

function issueResult(remote: IssueRemoteFields): DeliveryResult {
  return { remoteId: remote.backendId ?? undefined, data: { ...remote } };
}

function articleResult(article: ZammadArticle | undefined): DeliveryResult | undefined {
  return article ? { remoteId: String(article.id) } : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
