import { mapComment, MapOptions, JiraCommentFields } from './jira.mapper';
import type { JiraComment } from './jira.types';

export type JiraIssueEventType = 'issue_created' | 'issue_updated' | 'issue_deleted';
export type JiraCommentEventType = 'comment_created' | 'comment_updated' | 'comment_deleted';

/** A Jira webhook delivery in our terms. Every event names the issue it is about, so a receiver can re-read it. */
export type JiraWebhookEvent =
  | {
      type: JiraIssueEventType;
      issueId: string;
      issueKey: string | null;
      /** `issue_event_type_name`, an open set (`issue_generic`, `issue_resolved`, `issue_commented`, ...). */
      eventTypeName: string | null;
      /** Field ids (or names, where Data Center leaves the id out) of the changelog. */
      changedFields: string[];
      /** The comment of Data Center `issue_commented` deliveries. */
      comment: JiraCommentFields | null;
      /** Epoch milliseconds of the delivery. */
      timestamp: number | null;
    }
  | {
      type: JiraCommentEventType;
      /** Jira issue id: from `issue`, or from `comment.self` when Data Center sends no `issue`. */
      issueId: string;
      issueKey: string | null;
      comment: JiraCommentFields;
      timestamp: number | null;
    }
  | { type: 'ignored'; webhookEvent: string; reason: string };

const ISSUE_EVENTS: Record<string, JiraIssueEventType> = {
  'jira:issue_created': 'issue_created',
  'jira:issue_updated': 'issue_updated',
  'jira:issue_deleted': 'issue_deleted',
};

const COMMENT_EVENTS = new Set<string>(['comment_created', 'comment_updated', 'comment_deleted']);

/** A webhook body this adapter cannot read: not JSON, or an event without the ids it needs. */
export class JiraWebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JiraWebhookPayloadError';
  }
}

/**
 * Reads a webhook body. Events other than issue and comment events (attachments, links,
 * worklogs) come back as `ignored`, because the issue events that accompany them carry
 * the same change. Throws `JiraWebhookPayloadError` when a handled event lacks its ids.
 */
export function parseJiraWebhook(body: unknown, options: MapOptions): JiraWebhookEvent {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new JiraWebhookPayloadError('The webhook body is not a JSON object.');
  const payload = body as Record<string, unknown>;
  const webhookEvent = typeof payload.webhookEvent === 'string' ? payload.webhookEvent : '';
  const timestamp = typeof payload.timestamp === 'number' ? payload.timestamp : null;
  const issue = isRecord(payload.issue) ? payload.issue : null;
  const issueKey = issue && typeof issue.key === 'string' ? issue.key : null;
  const comment = isRecord(payload.comment) && payload.comment.id !== undefined ? mapComment(payload.comment as unknown as JiraComment, options) : null;

  const issueEvent = ISSUE_EVENTS[webhookEvent];
  if (issueEvent) {
    const issueId = idOf(issue?.id);
    if (!issueId) throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery has no issue id.`);
    return {
      type: issueEvent,
      issueId,
      issueKey,
      eventTypeName: typeof payload.issue_event_type_name === 'string' ? payload.issue_event_type_name : null,
      changedFields: changedFields(payload.changelog),
      comment,
      timestamp,
    };
  }

  if (COMMENT_EVENTS.has(webhookEvent)) {
    if (!comment) throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery has no comment id.`);
    const issueId = idOf(issue?.id) ?? comment.issueId;
    if (!issueId) throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery names no issue, neither in "issue" nor in the comment's link.`);
    return { type: webhookEvent as JiraCommentEventType, issueId, issueKey, comment, timestamp };
  }

  return { type: 'ignored', webhookEvent: webhookEvent || '(none)', reason: `Events of type "${webhookEvent || '(none)'}" are not handled.` };
}

function changedFields(changelog: unknown): string[] {
  if (!isRecord(changelog) || !Array.isArray(changelog.items)) return [];
  const fields: string[] = [];
  for (const item of changelog.items.filter(isRecord)) {
    // Data Center leaves `fieldId` out of custom-field items; their `field` is the name then.
    if (typeof item.fieldId === 'string' && item.fieldId) fields.push(item.fieldId);
    else if (typeof item.field === 'string' && item.field) fields.push(item.field);
  }
  return fields;
}

function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
