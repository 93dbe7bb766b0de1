import { IssueStatusType } from '../statuses/issue-status.entity';
import type { Issue } from './issue.entity';

const TERMINAL_TYPES = new Set([IssueStatusType.RESOLVED, IssueStatusType.CANCELED]);

export type IssueStatusFields = Pick<Issue, 'status' | 'resolutionDate' | 'feedbackRequestedAt'>;

export interface StatusChangeOptions {
  /** `ISSUE_FEEDBACK_ENABLE`: whether entering a resolved status requests feedback. */
  feedbackEnabled: boolean;
  now?: Date;
}

/**
 * Returns the fields that move `issue` to `status`, or an empty object when it is already
 * there. Entering a resolved or canceled status from an open one stamps `resolutionDate`,
 * and reopening clears it. Entering a resolved status from any other stamps
 * `feedbackRequestedAt` when feedback is enabled and the issue asks for it, which starts the
 * validity period of the feedback link. Status names missing from `statusTypes` count as open.
 * The API's own status change and the pulls of remote backends both use it.
 */
export function statusChangeFields(
  issue: Pick<Issue, 'status' | 'resolutionDate' | 'feedbackRequest'>,
  status: string,
  statusTypes: ReadonlyMap<string, IssueStatusType>,
  options: StatusChangeOptions,
): Partial<IssueStatusFields> {
  if (status === issue.status) return {};
  const previousType = statusTypes.get(issue.status);
  const nextType = statusTypes.get(status);
  const now = options.now ?? new Date();
  const changes: Partial<IssueStatusFields> = { status };

  const wasTerminal = previousType !== undefined && TERMINAL_TYPES.has(previousType);
  const isTerminal = nextType !== undefined && TERMINAL_TYPES.has(nextType);
  if (isTerminal && (!wasTerminal || issue.resolutionDate === null)) changes.resolutionDate = now;
  if (!isTerminal && issue.resolutionDate !== null) changes.resolutionDate = null;

  const entersResolved = nextType === IssueStatusType.RESOLVED && previousType !== IssueStatusType.RESOLVED;
  if (entersResolved && issue.feedbackRequest && options.feedbackEnabled) changes.feedbackRequestedAt = now;
  return changes;
}
