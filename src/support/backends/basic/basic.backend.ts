import type { EntityManager } from 'typeorm';

import type { Attachment } from '../../attachments/attachment.entity';
import type { Issue } from '../../issues/issue.entity';
import { IssueRemoteFields, SupportBackend } from '../support-backend';

export interface BasicBackendOptions {
  /** Prefix of issue keys, e.g. "SUP" gives SUP-1, SUP-2, ... */
  issueKeyPrefix: string;
}

/** Status every new issue of the built-in desk starts in; seeded as an ACTIVE status. */
export const BASIC_INITIAL_STATUS = 'Open';

/**
 * The built-in desk: our database is the ticketing system, so there is nothing to push or
 * pull. Staff and support work issues through the API (status, resolution, assignee), and
 * comments and attachments need no remote ids.
 *
 * Every availability flag is true: with no remote system there is no operation the desk
 * cannot carry out, including deleting issues and attachments. Who may do it is decided by
 * the permission checks of each endpoint, not here.
 */
export class BasicBackend extends SupportBackend {
  readonly name = 'basic' as const;
  override readonly statusUpdateIsAvailable = true;
  override readonly priorityManagementIsAvailable = true;
  /** The desk is our own database, so every write lands in the caller's transaction. */
  override readonly pushesThroughOutbox = false;

  constructor(private readonly options: BasicBackendOptions) {
    super();
  }

  async createIssue(_issue: Issue, manager: EntityManager): Promise<IssueRemoteFields> {
    const rows: Array<{ number: string }> = await manager.query(`SELECT nextval('support_issue_key_seq') AS number`);
    const key = `${this.options.issueKeyPrefix}-${rows[0].number}`;
    return { key, backendId: key, backendName: this.name, status: BASIC_INITIAL_STATUS };
  }

  async updateIssue(): Promise<void> {}

  async deleteIssue(): Promise<void> {}

  async syncIssue(): Promise<void> {}

  async createComment(): Promise<{ backendId?: string }> {
    return {};
  }

  async updateComment(): Promise<void> {}

  async deleteComment(): Promise<void> {}

  async createAttachment(): Promise<{ backendId?: string }> {
    return {};
  }

  async deleteAttachment(): Promise<void> {}

  async createFeedback(): Promise<void> {}

  async pullSupportUsers(): Promise<void> {}

  async pullPriorities(): Promise<void> {}

  async pullRequestTypes(): Promise<void> {}

  override updateIsAvailable(_issue: Issue): boolean {
    return true;
  }

  override destroyIsAvailable(_issue: Issue): boolean {
    return true;
  }

  override attachmentDestroyIsAvailable(_attachment: Attachment, _issue: Issue): boolean {
    return true;
  }
}
