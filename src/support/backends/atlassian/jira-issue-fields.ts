import { EntityManager, In } from 'typeorm';

import { Issue } from '../../issues/issue.entity';
import { IssueStatus, IssueStatusType } from '../../statuses/issue-status.entity';
import type { SupportUser } from '../../support-users/support-user.entity';
import type { JiraIssueFields } from './jira.mapper';

const TERMINAL_TYPES = new Set([IssueStatusType.RESOLVED, IssueStatusType.CANCELED]);

export interface IssueFieldOptions {
  /** Whether entering a resolved status starts the feedback period (`ISSUE_FEEDBACK_ENABLE`). */
  feedbackEnabled: boolean;
  now: Date;
  /** `<site>/browse/<key>`, or undefined to leave the link as it is. */
  link: string | undefined;
  assignee: SupportUser | null | undefined;
  reporter: SupportUser | null | undefined;
}

/**
 * Copies a Jira issue's fields onto ours, writing only what changed; returns the changed
 * column names. Fields the payload lacks stay as they are. The status is stored by name
 * and the issue-status table decides what it means: entering a RESOLVED status starts
 * the feedback period (when feedback is on and the issue asks for it), and leaving every
 * RESOLVED or CANCELED status clears a resolution date Jira does not report.
 */
export async function applyIssueFields(manager: EntityManager, issue: Issue, remote: JiraIssueFields, options: IssueFieldOptions): Promise<string[]> {
  const changes: Partial<Issue> = {};
  const set = <K extends keyof Issue>(key: K, value: Issue[K] | undefined) => {
    if (value === undefined) return;
    const current = issue[key];
    const same = current instanceof Date && value instanceof Date ? current.getTime() === value.getTime() : current === value;
    if (!same) changes[key] = value;
  };

  set('key', remote.key.slice(0, 255));
  if (remote.summary !== undefined && remote.summary.trim() !== '') set('summary', remote.summary.slice(0, 255));
  set('description', remote.description);
  if (remote.type) set('type', remote.type.slice(0, 255));
  set('resolution', remote.resolution?.slice(0, 255));
  set('priority', remote.priority?.slice(0, 255));
  set('link', options.link?.slice(0, 255));
  set('impact', remote.impact?.slice(0, 255));
  set('feedbackRequest', remote.feedbackRequest);
  set('firstResponseSla', remote.firstResponseSla);
  if (options.assignee !== undefined) set('assigneeId', options.assignee?.id ?? null);
  if (options.reporter) set('reporterId', options.reporter.id);
  if (remote.resolutionDate !== undefined) set('resolutionDate', remote.resolutionDate);

  if (remote.status !== undefined && remote.status.slice(0, 255) !== issue.status) {
    Object.assign(changes, await statusChange(manager, issue, remote.status.slice(0, 255), remote, options));
  }

  const changed = Object.keys(changes);
  if (changed.length === 0) return [];
  await manager.update(Issue, { id: issue.id }, changes);
  Object.assign(issue, changes);
  return changed;
}

async function statusChange(manager: EntityManager, issue: Issue, status: string, remote: JiraIssueFields, options: IssueFieldOptions): Promise<Partial<Issue>> {
  const rows = await manager.findBy(IssueStatus, { name: In([issue.status, status]) });
  const types = new Map(rows.map((row) => [row.name, row.type]));
  const previousType = types.get(issue.status);
  const nextType = types.get(status);
  const isTerminal = nextType !== undefined && TERMINAL_TYPES.has(nextType);

  const changes: Partial<Issue> = { status };
  if (remote.resolutionDate === undefined || remote.resolutionDate === null) {
    if (isTerminal && issue.resolutionDate === null) changes.resolutionDate = options.now;
    if (!isTerminal && issue.resolutionDate !== null) changes.resolutionDate = null;
  }
  const entersResolved = nextType === IssueStatusType.RESOLVED && previousType !== IssueStatusType.RESOLVED;
  const asksFeedback = remote.feedbackRequest ?? issue.feedbackRequest;
  if (entersResolved && asksFeedback && options.feedbackEnabled) changes.feedbackRequestedAt = options.now;
  return changes;
}
