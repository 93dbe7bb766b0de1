import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan, Not } from 'typeorm';

import { Issue } from '../../issues/issue.entity';
import { PullPage, RemotePuller } from '../../sync/pull/remote-puller';
import { AtlassianBackendProvider } from './atlassian-backend.provider';
import { toRemoteError } from './atlassian-remote-error';
import { missingAtlassianSettings } from './atlassian.config';
import type { ChangedJiraIssue } from './jira-issue-puller';

/** Maximum number of issue ids read from Jira for one reconciliation. */
const MAX_RECONCILED_ISSUES = 100_000;

/**
 * The scheduled pull of Jira issues, the safety net for lost webhooks: it searches the
 * project for issues changed since the watermark and re-reads each one that is linked to
 * an issue of ours. It does nothing while Jira is not configured or no issue lives there.
 * Reconciliation deletes our issues whose Jira issue is gone, each only once Jira confirms it.
 */
@Injectable()
export class AtlassianIssuePuller extends RemotePuller<ChangedJiraIssue> {
  readonly backendName = 'atlassian';
  readonly scope = 'issues';
  private readonly logger = new Logger(AtlassianIssuePuller.name);

  constructor(
    private readonly backends: AtlassianBackendProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async pullChanges(since: Date | null, overlapMs: number, cursor?: string): Promise<PullPage<ChangedJiraIssue>> {
    if (!(await this.hasWork())) return { objects: [], newWatermark: null };
    try {
      const page = await this.backends.current().puller.changedSince(since, overlapMs, cursor);
      return { objects: page.issues, newWatermark: page.newWatermark, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    } catch (error) {
      throw toRemoteError(error);
    }
  }

  /** Re-reads one changed issue; `skipped` when it is not ours or nothing changed. */
  async applyObject(object: ChangedJiraIssue): Promise<'applied' | 'skipped'> {
    const backend = this.backends.current();
    const issue = await this.dataSource.getRepository(Issue).findOneBy({ backendName: backend.name, backendId: object.remoteId });
    if (!issue) return 'skipped';
    const outcome = await backend.pullIssue(issue).catch((error: unknown) => {
      throw toRemoteError(error);
    });
    if (outcome.status === 'not-found') return 'skipped';
    const result = outcome.result;
    const changes =
      result.issueChanges.length +
      result.commentsCreated +
      result.commentsUpdated +
      result.commentsDeleted +
      result.attachmentsCreated +
      result.attachmentsLinkedToComments +
      result.attachmentsDeleted +
      (result.resourceUpdated ? 1 : 0);
    return changes > 0 ? 'applied' : 'skipped';
  }

  async listRemoteIds(): Promise<Iterable<string>> {
    const backend = this.backends.current();
    try {
      const jql = (await backend.puller.jql(null, 0)).replace(/ ORDER BY .*$/, '');
      const issues = await backend.client.searchAll(backend.settings.searchApi, { jql, fields: ['updated'], pageSize: 100 }, MAX_RECONCILED_ISSUES);
      return issues.map((issue) => String(issue.id));
    } catch (error) {
      throw toRemoteError(error);
    }
  }

  async listLocalIds(createdBefore: Date): Promise<Iterable<string>> {
    if (!(await this.hasWork())) return [];
    const rows = await this.dataSource.getRepository(Issue).find({
      select: { backendId: true },
      where: { backendName: this.backendName, backendId: Not(IsNull()), created: LessThan(createdBefore) },
    });
    return rows.map((row) => row.backendId!);
  }

  /**
   * Deletes our issues whose Jira issue the project search no longer lists, each only after
   * Jira confirms the deletion (`JiraIssueDeletion`). Issues it cannot confirm are kept and
   * logged, so lost permissions or a wrong URL delete nothing.
   */
  async reconcileGone(remoteIds: string[]): Promise<void> {
    const backend = this.backends.current();
    const issues = await this.dataSource.getRepository(Issue).findBy({ backendName: this.backendName, backendId: In(remoteIds) });
    let unconfirmed = 0;
    for (const issue of issues) {
      const outcome = await backend.deleteIfGone(issue, 'missing-from-search').catch((error: unknown) => {
        throw toRemoteError(error);
      });
      if (outcome.status === 'kept') unconfirmed += 1;
    }
    if (unconfirmed > 0) this.logger.warn(`Kept ${unconfirmed} of ${issues.length} issues that the Jira search no longer lists, because Jira did not confirm their deletion`);
  }

  private async hasWork(): Promise<boolean> {
    if (missingAtlassianSettings(this.backends.current().settings).length > 0) return false;
    return this.dataSource.getRepository(Issue).existsBy({ backendName: this.backendName, backendId: Not(IsNull()) });
  }
}
