import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { FailedDependencyException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import { Attachment } from '../../attachments/attachment.entity';
import { Issue } from '../../issues/issue.entity';
import type { AtlassianSettings } from './atlassian.config';
import { issueLabel } from './jira-issue-create';
import { JiraReferenceData } from './jira-reference-data';
import { JiraClient } from './jira.client';
import { JiraError } from './jira.exception';

/**
 * Why Jira's issue is thought to be gone: a `jira:issue_deleted` delivery names it, or the
 * daily reconciliation's project search no longer lists it.
 */
export type JiraDeletionEvidence = 'issue-deleted-event' | 'missing-from-search';

/** Outcome of `JiraIssueDeletion.deleteIfGone`. */
export type JiraDeletionOutcome =
  | { status: 'deleted' }
  /** Jira still shows the issue, so nothing was deleted. */
  | { status: 'exists' }
  /** Jira returned 404, but the deletion could not be confirmed, so our issue was kept. */
  | { status: 'kept'; reason: string };

/**
 * Deletes our copy of an issue that Jira deleted. Jira returns 404 for a deleted issue, but
 * also for an issue the integration user may no longer see, and for every issue when
 * `ATLASSIAN_API_URL` points at the wrong server, so a 404 alone never deletes anything.
 * A deletion needs evidence (`JiraDeletionEvidence`), a 404 on a fresh read of the issue,
 * and a successful read of the configured project, which fails when the user lost access
 * to the project or the URL is wrong. Reconciliation, which has no word from Jira that the
 * issue was deleted, also needs a search for the issue's marker label to find nothing.
 *
 * NOTE: Jira cannot tell a deleted issue from one hidden by an issue security level the
 * integration user lost, so such an issue is deleted here once reconciliation misses it.
 */
export class JiraIssueDeletion {
  private readonly logger = new Logger(JiraIssueDeletion.name);

  constructor(
    private readonly client: JiraClient,
    private readonly reference: JiraReferenceData,
    private readonly settings: Pick<AtlassianSettings, 'useOldApi' | 'projectId' | 'searchApi'>,
    private readonly dataSource: DataSource,
    /** Deletes stored attachment bytes once their rows are gone. */
    private readonly discard: (storageKeys: string[]) => Promise<void>,
  ) {}

  async deleteIfGone(issue: Issue, evidence: JiraDeletionEvidence): Promise<JiraDeletionOutcome> {
    if (!issue.backendId) return { status: 'exists' };
    if (await this.client.getIssue(issue.backendId, { fields: ['summary'] })) return { status: 'exists' };

    const reason = (await this.projectUnreadable()) ?? (evidence === 'missing-from-search' ? await this.markerStillFound(issue) : undefined);
    if (reason) {
      const message =
        `Jira returned 404 for issue ${issue.key || issue.backendId} (Jira id ${issue.backendId}) of issue ${formatUuid(issue.uuid)}, ` +
        `but the deletion is not confirmed, so the issue is kept: ${reason}`;
      this.logger.warn(message);
      return { status: 'kept', reason: message };
    }

    await this.delete(issue);
    return { status: 'deleted' };
  }

  /** Returns why the configured project cannot be read, or undefined when it can. */
  private async projectUnreadable(): Promise<string | undefined> {
    let projectKey: string;
    try {
      projectKey = this.settings.useOldApi ? this.settings.projectId : await this.reference.projectKey();
    } catch (error) {
      if (error instanceof FailedDependencyException) return `the service desk of ATLASSIAN_PROJECT_ID cannot be read (${error.message})`;
      throw error;
    }
    try {
      if (await this.client.getProject(projectKey)) return undefined;
    } catch (error) {
      if (!(error instanceof JiraError && (error.kind === 'auth' || error.kind === 'captcha'))) throw error;
    }
    return (
      `the integration user cannot read project ${projectKey} either, ` +
      'so it may have lost its permissions, or ATLASSIAN_API_URL may point at another server'
    );
  }

  /** Returns a reason when a search still finds a Jira issue with the marker label of `issue`. */
  private async markerStillFound(issue: Issue): Promise<string | undefined> {
    const label = issueLabel(issue);
    const page = await this.client.search(this.settings.searchApi, { jql: `labels = "${label}"`, fields: ['labels'], pageSize: 1 });
    const found = page.issues[0];
    return found ? `a search still finds Jira issue ${found.key} with the marker label ${label}` : undefined;
  }

  private async delete(issue: Issue): Promise<void> {
    const keys = (await this.dataSource.getRepository(Attachment).find({ select: { storageKey: true }, where: { issueId: issue.id } }))
      .map((row) => row.storageKey)
      .filter((storageKey): storageKey is string => storageKey !== null);
    await this.dataSource.getRepository(Issue).delete({ id: issue.id });
    await this.discard(keys);
    this.logger.log(`Deleted issue ${formatUuid(issue.uuid)}, whose Jira issue ${issue.key || issue.backendId} was deleted`);
  }
}
