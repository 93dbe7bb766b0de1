import { EntityManager, In } from 'typeorm';

import type { Issue } from '../../issues/issue.entity';
import { Issue as IssueEntity } from '../../issues/issue.entity';
import { IssueStatus, IssueStatusType } from '../../statuses/issue-status.entity';
import type { ZammadTicketFields } from './zammad.mapper';

const TERMINAL_TYPES = new Set([IssueStatusType.RESOLVED, IssueStatusType.CANCELED]);

export interface IssueFieldOptions {
  /** Whether entering a resolved status starts the feedback period (`ISSUE_FEEDBACK_ENABLE`). */
  feedbackEnabled: boolean;
  now: Date;
}

/**
 * Copies a ticket's title, state, priority and first-response deadline onto the issue,
 * writing only what changed; returns whether anything did. The state is stored by name,
 * and the issue-status table decides what it means. Entering a RESOLVED or CANCELED
 * status stamps `resolution_date` (Zammad's `close_at` when it has one) and leaving it
 * clears the date. Entering RESOLVED starts the feedback period when feedback is on.
 */
export async function applyTicketFields(
  manager: EntityManager,
  issue: Issue,
  ticket: ZammadTicketFields,
  options: IssueFieldOptions,
): Promise<boolean> {
  const changes: Partial<Issue> = {};
  if (ticket.summary !== undefined && ticket.summary.trim() !== '') {
    const summary = ticket.summary.slice(0, 255);
    if (summary !== issue.summary) changes.summary = summary;
  }
  if (ticket.priority !== undefined && ticket.priority.slice(0, 255) !== issue.priority) changes.priority = ticket.priority.slice(0, 255);
  if (ticket.firstResponseSla?.getTime() !== issue.firstResponseSla?.getTime()) changes.firstResponseSla = ticket.firstResponseSla;
  if (ticket.status !== undefined && ticket.status.slice(0, 255) !== issue.status) {
    Object.assign(changes, await statusChange(manager, issue, ticket.status.slice(0, 255), ticket.closedAt, options));
  }

  if (Object.keys(changes).length === 0) return false;
  await manager.update(IssueEntity, { id: issue.id }, changes);
  Object.assign(issue, changes);
  return true;
}

async function statusChange(
  manager: EntityManager,
  issue: Issue,
  status: string,
  closedAt: Date | null,
  options: IssueFieldOptions,
): Promise<Partial<Issue>> {
  const rows = await manager.findBy(IssueStatus, { name: In([issue.status, status]) });
  const types = new Map(rows.map((row) => [row.name, row.type]));
  const previousType = types.get(issue.status);
  const nextType = types.get(status);
  const wasTerminal = previousType !== undefined && TERMINAL_TYPES.has(previousType);
  const isTerminal = nextType !== undefined && TERMINAL_TYPES.has(nextType);

  const changes: Partial<Issue> = { status };
  if (isTerminal && (!wasTerminal || issue.resolutionDate === null)) changes.resolutionDate = closedAt ?? options.now;
  if (!isTerminal && issue.resolutionDate !== null) changes.resolutionDate = null;
  const entersResolved = nextType === IssueStatusType.RESOLVED && previousType !== IssueStatusType.RESOLVED;
  if (entersResolved && issue.feedbackRequest && options.feedbackEnabled) changes.feedbackRequestedAt = options.now;
  return changes;
}
