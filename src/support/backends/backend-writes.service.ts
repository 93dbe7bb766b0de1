import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { Attachment } from '../attachments/attachment.entity';
import type { Comment } from '../comments/comment.entity';
import { SyncState } from '../common/sync-state';
import type { Feedback } from '../feedback/feedback.entity';
import type { Issue } from '../issues/issue.entity';
import { OutboxEntry, OutboxOperation, OutboxTargetType } from '../sync/outbox/outbox-entry.entity';
import { OutboxService } from '../sync/outbox/outbox.service';
import { SYNC_CONFIG, SyncConfig } from '../sync/sync.config';
import { SupportBackend } from './support-backend';

/** Outbox rows written in a transaction, to deliver once it has committed. */
export class PendingPushes {
  readonly rows: OutboxEntry[] = [];

  get isEmpty(): boolean {
    return this.rows.length === 0;
  }
}

/**
 * The one place that decides how a local change reaches the issue's backend. The built-in
 * desk answers in the caller's transaction; a remote backend gets an outbox row written in
 * that transaction, delivered right after commit with a bounded wait and finished by the
 * outbox workers when the backend is slow or down. Changes that came from a backend never
 * produce rows (the outbox checks the change context).
 */
@Injectable()
export class BackendWrites {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
  ) {}

  async issueCreated(manager: EntityManager, backend: SupportBackend, issue: Issue, pending: PendingPushes): Promise<void> {
    if (!backend.pushesThroughOutbox) {
      Object.assign(issue, await backend.createIssue(issue, manager));
      await manager.save(issue);
      return;
    }
    issue.state = SyncState.CREATION_SCHEDULED;
    await manager.save(issue);
    await this.enqueue(manager, backend, 'issue.create', issue, 'issue', issue, pending);
  }

  async issueUpdated(manager: EntityManager, backend: SupportBackend, issue: Issue, pending: PendingPushes): Promise<void> {
    if (!backend.pushesThroughOutbox) return backend.updateIssue(issue, manager);
    await this.enqueue(manager, backend, 'issue.update', issue, 'issue', issue, pending);
  }

  async issueDeleted(manager: EntityManager, backend: SupportBackend, issue: Issue, pending: PendingPushes): Promise<void> {
    if (!backend.pushesThroughOutbox) return backend.deleteIssue(issue, manager);
    // The row outlives the issue, so it carries what the deliverer needs to find the remote object.
    await this.enqueue(manager, backend, 'issue.delete', issue, 'issue', issue, pending, {
      backendId: issue.backendId,
      key: issue.key,
    });
  }

  async commentCreated(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    comment: Comment,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.pushesThroughOutbox) {
      const remote = await backend.createComment(comment, issue, manager);
      if (remote.backendId) {
        comment.backendId = remote.backendId;
        await manager.save(comment);
      }
      return;
    }
    comment.state = SyncState.CREATION_SCHEDULED;
    await manager.save(comment);
    await this.enqueue(manager, backend, 'comment.create', issue, 'comment', comment, pending);
  }

  async commentUpdated(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    comment: Comment,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.pushesThroughOutbox) return backend.updateComment(comment, issue, manager);
    await this.enqueue(manager, backend, 'comment.update', issue, 'comment', comment, pending);
  }

  async commentDeleted(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    comment: Comment,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.pushesThroughOutbox) return backend.deleteComment(comment, issue, manager);
    await this.enqueue(manager, backend, 'comment.delete', issue, 'comment', comment, pending, {
      backendId: comment.backendId,
    });
  }

  /** The deliverer of a remote backend reads the bytes from storage by the attachment's key. */
  async attachmentCreated(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    attachment: Attachment,
    content: Buffer,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.pushesThroughOutbox) {
      const remote = await backend.createAttachment(attachment, issue, content, manager);
      if (remote.backendId) {
        attachment.backendId = remote.backendId;
        await manager.save(attachment);
      }
      return;
    }
    attachment.state = SyncState.CREATION_SCHEDULED;
    await manager.save(attachment);
    await this.enqueue(manager, backend, 'attachment.create', issue, 'attachment', attachment, pending);
  }

  async attachmentDeleted(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    attachment: Attachment,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.pushesThroughOutbox) return backend.deleteAttachment(attachment, issue, manager);
    await this.enqueue(manager, backend, 'attachment.delete', issue, 'attachment', attachment, pending, {
      backendId: attachment.backendId,
    });
  }

  /** Feedback stays local unless the backend records it; then it is pushed like any write. */
  async feedbackCreated(
    manager: EntityManager,
    backend: SupportBackend,
    issue: Issue,
    feedback: Feedback,
    pending: PendingPushes,
  ): Promise<void> {
    if (!backend.recordsFeedback) return;
    if (!backend.pushesThroughOutbox) return backend.createFeedback(feedback, issue, manager);
    feedback.state = SyncState.CREATION_SCHEDULED;
    await manager.save(feedback);
    await this.enqueue(manager, backend, 'feedback.create', issue, 'feedback', feedback, pending);
  }

  /**
   * Delivers the rows of a committed transaction at once, waiting at most the configured
   * time. Returns true when every row was delivered; otherwise the workers finish the job.
   */
  async afterCommit(pending: PendingPushes): Promise<boolean> {
    if (pending.isEmpty) return true;
    return this.outbox.deliverSoon(pending.rows, { waitMs: this.config.outbox.deliverWaitMs });
  }

  private async enqueue(
    manager: EntityManager,
    backend: SupportBackend,
    operation: OutboxOperation,
    issue: Issue,
    targetType: OutboxTargetType,
    target: { id: number; uuid: string },
    pending: PendingPushes,
    payload: Record<string, unknown> = {},
  ): Promise<void> {
    const row = await this.outbox.enqueue(manager, {
      backendName: backend.name,
      operation,
      issue: { id: issue.id, uuid: issue.uuid },
      target: { type: targetType, id: target.id, uuid: target.uuid },
      payload,
    });
    if (row) pending.rows.push(row);
  }
}
