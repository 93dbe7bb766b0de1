import { FailedDependencyException } from '../../../common/errors/app.exception';
import type { BackendName } from '../../common/backend-name';
import type { IssueRemoteFields } from '../support-backend';
import { SupportBackend } from '../support-backend';

/**
 * Stands in for a backend type that this build does not ship yet: every operation fails
 * with 424 and every availability flag is false, so reads of stored issues keep working.
 */
export class UnavailableBackend extends SupportBackend {
  /** Fails at once with 424 rather than queueing pushes nothing would deliver. */
  override readonly pushesThroughOutbox = false;

  constructor(readonly name: BackendName) {
    super();
  }

  private fail(): never {
    throw new FailedDependencyException(`The ${this.name} support backend is not available in this build.`);
  }

  async createIssue(): Promise<IssueRemoteFields> {
    return this.fail();
  }

  async updateIssue(): Promise<void> {
    this.fail();
  }

  async deleteIssue(): Promise<void> {
    this.fail();
  }

  async syncIssue(): Promise<void> {
    this.fail();
  }

  async createComment(): Promise<{ backendId?: string }> {
    return this.fail();
  }

  async updateComment(): Promise<void> {
    this.fail();
  }

  async deleteComment(): Promise<void> {
    this.fail();
  }

  async createAttachment(): Promise<{ backendId?: string }> {
    return this.fail();
  }

  async deleteAttachment(): Promise<void> {
    this.fail();
  }

  async createFeedback(): Promise<void> {
    this.fail();
  }

  async pullSupportUsers(): Promise<void> {
    this.fail();
  }

  async pullPriorities(): Promise<void> {
    this.fail();
  }

  async pullRequestTypes(): Promise<void> {
    this.fail();
  }

  override commentCreateIsAvailable(): boolean {
    return false;
  }

  override commentUpdateIsAvailable(): boolean {
    return false;
  }

  override commentDestroyIsAvailable(): boolean {
    return false;
  }

  override attachmentCreateIsAvailable(): boolean {
    return false;
  }
}
