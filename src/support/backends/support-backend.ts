import type { EntityManager } from 'typeorm';

import type { Attachment } from '../attachments/attachment.entity';
import type { Comment } from '../comments/comment.entity';
import type { BackendName } from '../common/backend-name';
import type { Feedback } from '../feedback/feedback.entity';
import type { Issue } from '../issues/issue.entity';

/** The format a backend keeps text in; pushes convert plain text to it. */
export type MessageFormat = 'text' | 'html';

/** Fields a backend filled in on create or sync, applied to our copy by the caller. */
export type IssueRemoteFields = Partial<
  Pick<Issue, 'backendId' | 'key' | 'status' | 'resolution' | 'link' | 'priority' | 'backendName' | 'firstResponseSla'>
>;

/**
 * The port every support feature calls; one adapter per ticketing system implements it.
 * It speaks only our domain types: vendor JSON stays inside the adapter's folder.
 * The abstract class is also the dependency-injection token; `SupportBackendProvider`
 * decides which adapter stands behind it. The token is request-scoped, so one request sees
 * one backend; jobs and other singletons call `SupportBackendProvider.current()` instead.
 * Adapters hold no per-request state.
 *
 * Write methods receive the transaction's `EntityManager` when the caller has one open,
 * so an adapter that keeps local state (the built-in desk) writes in the same transaction.
 */
export abstract class SupportBackend {
  abstract readonly name: BackendName;

  /** Longest summary the backend accepts. */
  readonly summaryMaxLength: number = 255;

  readonly messageFormat: MessageFormat = 'text';

  /** The backend's own attachment size limit in bytes, when it has one below ours. */
  readonly maxAttachmentBytes: number | undefined = undefined;

  /**
   * True for remote systems: writes reach them through the outbox after the local commit.
   * False for adapters that answer in the caller's transaction (the built-in desk).
   */
  readonly pushesThroughOutbox: boolean = true;

  /** True when the backend records customer feedback (Jira); elsewhere feedback stays local. */
  readonly recordsFeedback: boolean = false;

  /**
   * Whether staff may set an issue's `status` and `resolution` through the API. Only a desk
   * that keeps its workflow locally allows it; remote backends own their status workflow.
   */
  readonly statusUpdateIsAvailable: boolean = false;

  /** Whether staff may create, change and delete priorities through the API instead of pulling them. */
  readonly priorityManagementIsAvailable: boolean = false;

  abstract createIssue(issue: Issue, manager: EntityManager): Promise<IssueRemoteFields>;
  abstract updateIssue(issue: Issue, manager: EntityManager): Promise<void>;
  abstract deleteIssue(issue: Issue, manager: EntityManager): Promise<void>;
  /** Pulls the issue from the backend into our copy; the `sync` action waits on it. */
  abstract syncIssue(issue: Issue, manager: EntityManager): Promise<void>;

  abstract createComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<{ backendId?: string }>;
  abstract updateComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<void>;
  abstract deleteComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<void>;

  abstract createAttachment(
    attachment: Attachment,
    issue: Issue,
    content: Buffer,
    manager: EntityManager,
  ): Promise<{ backendId?: string }>;
  abstract deleteAttachment(attachment: Attachment, issue: Issue, manager: EntityManager): Promise<void>;

  /** Hands feedback to backends that record it (Jira); the others keep it local. */
  abstract createFeedback(feedback: Feedback, issue: Issue, manager: EntityManager): Promise<void>;

  abstract pullSupportUsers(): Promise<void>;
  abstract pullPriorities(): Promise<void>;
  abstract pullRequestTypes(): Promise<void>;

  updateIsAvailable(_issue: Issue): boolean {
    return false;
  }

  destroyIsAvailable(_issue: Issue): boolean {
    return false;
  }

  commentCreateIsAvailable(_issue: Issue): boolean {
    return true;
  }

  commentUpdateIsAvailable(_comment: Comment, _issue: Issue): boolean {
    return true;
  }

  commentDestroyIsAvailable(_comment: Comment, _issue: Issue): boolean {
    return true;
  }

  attachmentCreateIsAvailable(_issue: Issue): boolean {
    return true;
  }

  attachmentDestroyIsAvailable(_attachment: Attachment, _issue: Issue): boolean {
    return false;
  }
}
