import { stripNullCharacters } from '../../common/null-characters';
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

const JIRA_ID = /^\d{1,18}$/;
/** A project key and a number. Keys start with a letter, then letters, digits or underscores: Jira's default pattern and its usual variants. */
const JIRA_ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d{1,18}$/;

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
 * the same change. Throws `JiraWebhookPayloadError` when a handled event lacks its ids or
 * carries issue or comment ids that are not Jira ids (digits), so such a delivery is never
 * used in a query. U+0000 is removed from the texts it returns.
 */
export function parseJiraWebhook(body: unknown, options: MapOptions): JiraWebhookEvent {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new JiraWebhookPayloadError('The webhook body is not a JSON object.');
  const raw = body as Record<string, unknown>;
  const payload = stripNullCharacters(raw);
  const webhookEvent = typeof raw.webhookEvent === 'string' ? raw.webhookEvent : '';
  const issueEvent = ISSUE_EVENTS[webhookEvent];
  if (!issueEvent && !COMMENT_EVENTS.has(webhookEvent)) {
    const name = (typeof payload.webhookEvent === 'string' && payload.webhookEvent) || '(none)';
    return { type: 'ignored', webhookEvent: name, reason: `Events of type "${name}" are not handled.` };
  }

  const timestamp = typeof raw.timestamp === 'number' ? raw.timestamp : null;
  const rawIssue = isRecord(raw.issue) ? raw.issue : null;
  const issueKey = rawIssue ? keyOf(rawIssue.key) : null;
  const rawComment = isRecord(raw.comment) && raw.comment.id !== undefined ? raw.comment : null;
  const comment = rawComment ? mapComment({ ...(payload.comment as JiraComment), id: idOf(rawComment.id, 'comment id', webhookEvent)! }, options) : null;

  if (issueEvent) {
    const issueId = idOf(rawIssue?.id, 'issue id', webhookEvent);
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

  if (!comment) throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery has no comment id.`);
  const issueId = idOf(rawIssue?.id, 'issue id', webhookEvent) ?? comment.issueId;
  if (!issueId) throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery names no issue, neither in "issue" nor in the comment's link.`);
  return { type: webhookEvent as JiraCommentEventType, issueId, issueKey, comment, timestamp };
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

/** Reads a Jira id (digits, as a string or a number); null when absent, and throws for anything else. */
function idOf(value: unknown, idName: string, webhookEvent: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && JIRA_ID.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new JiraWebhookPayloadError(`The ${webhookEvent} delivery has an invalid ${idName} ${JSON.stringify(value)}; Jira ids are digits.`);
}

/**
 * Reads an issue key (`SUP-123`); null when absent or malformed. The key only names the
 * issue in messages (the id is what is queried), so a malformed one is dropped, not rejected.
 */
function keyOf(value: unknown): string | null {
  return typeof value === 'string' && JIRA_ISSUE_KEY.test(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
