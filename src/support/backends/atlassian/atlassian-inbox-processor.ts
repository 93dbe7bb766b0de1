import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';

import { Issue } from '../../issues/issue.entity';
import { remoteChange, runWithChangeContext } from '../../sync/common/change-origin';
import { RemoteError } from '../../sync/common/remote-error';
import { InboxDelivery, InboxOutcome, InboxProcessor, parseJsonBody } from '../../sync/inbox/inbox-processor';
import { AtlassianBackendProvider } from './atlassian-backend.provider';
import { toRemoteError } from './atlassian-remote-error';
import { ISSUE_LABEL_PREFIX } from './jira-issue-create';
import { JiraWebhookPayloadError, parseJiraWebhook } from './jira-webhook.mapper';

/** Inbox source name of Jira webhook deliveries; it is also the backend name. */
export const JIRA_WEBHOOK_SOURCE = 'atlassian';

/**
 * Applies Jira webhook deliveries. The payload is used only to name the issue, because
 * comment events carry six issue fields or, on Data Center, no issue at all. Every event
 * re-reads the issue, its comments and files from the API and applies that state. So a
 * late, repeated or out-of-order delivery applies the current state and adds nothing
 * twice. Only `jira:issue_deleted` deletes our issue, and only once Jira confirms it is gone
 * (`JiraIssueDeletion`). Other events for an issue that Jira returns 404 for leave ours alone.
 */
@Injectable()
export class AtlassianInboxProcessor extends InboxProcessor {
  readonly source = JIRA_WEBHOOK_SOURCE;
  private readonly logger = new Logger(AtlassianInboxProcessor.name);

  constructor(
    private readonly backends: AtlassianBackendProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async process(delivery: InboxDelivery): Promise<InboxOutcome> {
    const backend = this.backends.current();
    let event;
    try {
      event = parseJiraWebhook(parseJsonBody(delivery), backend.settings);
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof JiraWebhookPayloadError) {
        throw new RemoteError(`Jira webhook delivery ${delivery.deliveryId} cannot be read: ${error.message}`, { retryable: false });
      }
      throw error;
    }
    if (event.type === 'ignored') return { status: 'ignored', reason: event.reason };

    const remoteObject = { type: 'issue', id: event.issueId };
    const issue = await this.dataSource.getRepository(Issue).findOneBy({ backendName: backend.name, backendId: event.issueId });
    if (!issue) {
      await this.failIfOwnIssueIsLinking(event.issueId);
      return { status: 'ignored', reason: `Jira issue ${event.issueKey ?? event.issueId} is not linked to an issue here.`, remoteObject };
    }

    try {
      if (event.type === 'issue_deleted') {
        const deletion = await backend.deleteIfGone(issue, 'issue-deleted-event');
        if (deletion.status === 'deleted') return { status: 'processed', reason: 'Jira deleted the issue; it was deleted here.', remoteObject };
        // Retried with back-off, so the deletion completes once an admin restores the integration user's access.
        if (deletion.status === 'kept') throw new RemoteError(deletion.reason, { retryable: true });
      }
      const outcome = await runWithChangeContext(remoteChange(backend.name), () => backend.pullIssue(issue));
      if (outcome.status === 'not-found') {
        return {
          status: 'ignored',
          reason: 'Jira returned 404 for the issue; it is kept here, because only a jira:issue_deleted delivery or reconciliation deletes issues.',
          remoteObject,
        };
      }
      return { status: 'processed', remoteObject: { ...remoteObject, ...(outcome.updated ? { version: outcome.updated } : {}) } };
    } catch (error) {
      throw toRemoteError(error);
    }
  }

  /**
   * Throws a retryable error when the Jira issue carries the marker label of an issue of
   * ours whose create has not stored the Jira id yet, so the delivery is applied once the
   * create finishes instead of being dropped.
   */
  private async failIfOwnIssueIsLinking(issueId: string): Promise<void> {
    const remote = await this.backends.current().client.getIssue(issueId, { fields: ['labels'] }).catch((error: unknown) => {
      throw toRemoteError(error);
    });
    const labels = Array.isArray(remote?.fields?.labels) ? (remote.fields.labels as unknown[]) : [];
    const marker = labels.find((label): label is string => typeof label === 'string' && label.startsWith(ISSUE_LABEL_PREFIX));
    if (!marker) return;
    const uuid = marker.slice(ISSUE_LABEL_PREFIX.length).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const linking = await this.dataSource.getRepository(Issue).existsBy({ uuid, backendId: IsNull() });
    if (linking) {
      this.logger.log(`Jira issue ${issueId} belongs to issue ${uuid}, whose create is still being recorded; retrying later`);
      throw new RemoteError(`Jira issue ${issueId} belongs to issue ${uuid}, whose create is not recorded yet.`, { retryable: true });
    }
  }
}
