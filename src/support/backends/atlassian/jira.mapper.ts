import { parseJiraDateTime, parseJsmDate } from './jira-dates';
import type { AdfNode, JiraAttachment, JiraComment, JiraIssue, JiraUser, JsmComment, JsmCustomerRequest } from './jira.types';

/** A Jira account in our terms. */
export interface JiraAccountFields {
  /** `accountId` on Cloud, `key` on Data Center, `name` with the old API (as Waldur keys users). */
  backendId: string;
  name: string;
  email: string | null;
  /** Data Center login name; null on Cloud, where it no longer exists. */
  login: string | null;
  active: boolean;
}

export interface JiraCommentFields {
  backendId: string;
  /** Jira issue id, read from the comment's `self` link when it has one. */
  issueId: string | null;
  /** The body, without the `[Author]: ` prefix this service adds when the integration user wrote it. */
  text: string;
  /** The body as Jira stores it (ADF documents turned into plain text). */
  body: string;
  author: JiraAccountFields | null;
  /** Whether portal customers see it; undefined when the payload does not tell. */
  isPublic: boolean | undefined;
  created: Date | null;
  updated: Date | null;
}

export interface JiraAttachmentFields {
  backendId: string;
  fileName: string;
  mimeType: string;
  size: number | null;
  contentUrl: string | undefined;
  created: Date | null;
  author: JiraAccountFields | null;
}

/** Field ids of the custom fields the mapper reads, resolved from settings; undefined when not configured or not found. */
export interface JiraIssueFieldIds {
  impact?: string;
  sla?: string;
  requestFeedback?: string;
  waldurBackendId?: string;
}

/**
 * A Jira issue in our terms. A value is undefined when the payload does not carry its
 * field (comment webhooks carry six fields), so applying it leaves ours unchanged.
 */
export interface JiraIssueFields {
  /** Jira's numeric issue id, stable across moves; our `backend_id`. */
  backendId: string;
  key: string;
  summary?: string;
  description?: string;
  type?: string;
  status?: string;
  /** `new`, `indeterminate` or `done`. */
  statusCategory?: string;
  resolution?: string;
  priority?: string;
  created?: Date | null;
  updated?: Date | null;
  resolutionDate?: Date | null;
  /** When the first-response SLA breaches while it runs; null when no cycle runs. */
  firstResponseSla?: Date | null;
  assignee?: JiraAccountFields | null;
  reporter?: JiraAccountFields | null;
  impact?: string;
  /** Whether the request-feedback field allows a feedback request; undefined when the field is empty or not configured. */
  feedbackRequest?: boolean;
  waldurBackendId?: string | null;
  labels?: string[];
  attachments?: JiraAttachmentFields[];
}

export interface MapOptions {
  /** `ATLASSIAN_USE_OLD_API`: users are keyed by `name`. */
  useOldApi: boolean;
}

/** Reads a Jira user; returns null for null, and for objects with no usable id. */
export function mapUser(user: JiraUser | null | undefined, options: MapOptions): JiraAccountFields | null {
  if (!user || typeof user !== 'object') return null;
  const backendId = userIdOf(user, options);
  if (!backendId) return null;
  const email = typeof user.emailAddress === 'string' && user.emailAddress.includes('@') ? user.emailAddress : null;
  return {
    backendId,
    name: (user.displayName || user.name || email || backendId).slice(0, 150),
    email,
    login: typeof user.name === 'string' && user.name ? user.name : null,
    active: user.active !== false,
  };
}

/** Returns the id Jira users are keyed by: `name` with the old API, else `accountId`, else `key`. */
export function userIdOf(user: JiraUser, options: MapOptions): string | undefined {
  if (options.useOldApi) return user.name || user.key || user.accountId || undefined;
  return user.accountId || user.key || user.name || undefined;
}

/**
 * Reads a comment. The `[Author]: ` prefix is removed from `text` only when the integration
 * user (`integrationUserId`, keyed like `mapUser` keys users) wrote the comment, because only
 * the comments this service pushes carry it, and an agent's `[URGENT]: ...` stays as written.
 */
export function mapComment(comment: JiraComment, options: MapOptions, integrationUserId?: string): JiraCommentFields {
  const body = bodyText(comment.body);
  const author = mapUser(comment.author, options);
  return {
    backendId: String(comment.id),
    issueId: issueIdFromSelf(comment.self),
    text: writtenBy(author, integrationUserId) ? stripAuthorPrefix(body) : body,
    body,
    author,
    isPublic: commentVisibility(comment),
    created: parseJiraDateTime(comment.created),
    updated: parseJiraDateTime(comment.updated),
  };
}

/**
 * Tells whether the caller may see a comment. A comment restricted to a project role or a
 * group (`visibility`) is internal, because the caller is in neither, and this wins over
 * `jsdPublic`. Otherwise Cloud's read-only `jsdPublic` decides, else the `sd.public.comment` property
 * (`internal`), else the `sd.allow.public.comment` property some sync plugins write.
 * Undefined when the comment carries none of them.
 */
export function commentVisibility(comment: Pick<JiraComment, 'jsdPublic' | 'properties' | 'visibility'>): boolean | undefined {
  if (isRestricted(comment.visibility)) return false;
  if (typeof comment.jsdPublic === 'boolean') return comment.jsdPublic;
  const properties = Array.isArray(comment.properties) ? comment.properties : [];
  const publicProperty = properties.find((property) => property?.key === 'sd.public.comment')?.value as { internal?: unknown } | undefined;
  if (publicProperty && typeof publicProperty === 'object' && 'internal' in publicProperty) return publicProperty.internal !== true;
  const allowProperty = properties.find((property) => property?.key === 'sd.allow.public.comment')?.value as { allow?: unknown } | undefined;
  if (allowProperty && typeof allowProperty === 'object' && 'allow' in allowProperty) return allowProperty.allow === true;
  return undefined;
}

/** Checks a comment's `visibility` (`{type: 'role' | 'group', value, identifier}`), which Jira leaves out or sends as null for unrestricted comments. */
function isRestricted(visibility: JiraComment['visibility']): boolean {
  if (!visibility || typeof visibility !== 'object') return false;
  return Boolean(visibility.type || visibility.value || visibility.identifier);
}

export function mapAttachment(attachment: JiraAttachment, options: MapOptions): JiraAttachmentFields {
  return {
    backendId: String(attachment.id),
    fileName: (attachment.filename ?? `attachment-${attachment.id}`).normalize('NFC'),
    mimeType: attachment.mimeType || 'application/octet-stream',
    size: typeof attachment.size === 'number' ? attachment.size : null,
    contentUrl: attachment.content,
    created: parseJiraDateTime(attachment.created),
    author: mapUser(attachment.author, options),
  };
}

export function mapIssue(issue: JiraIssue, fieldIds: JiraIssueFieldIds, options: MapOptions): JiraIssueFields {
  const fields = issue.fields ?? {};
  const has = (name: string) => Object.prototype.hasOwnProperty.call(fields, name);
  const mapped: JiraIssueFields = { backendId: String(issue.id), key: issue.key };

  if (has('summary')) mapped.summary = textOf(fields.summary);
  if (has('description')) mapped.description = bodyText(fields.description as string | AdfNode | null);
  if (has('issuetype')) mapped.type = nameOf(fields.issuetype);
  if (has('status')) {
    const status = mapStatus(fields.status);
    mapped.status = status.name;
    if (status.category) mapped.statusCategory = status.category;
  }
  if (has('resolution')) mapped.resolution = nameOf(fields.resolution);
  if (has('priority')) mapped.priority = nameOf(fields.priority);
  if (has('created')) mapped.created = parseJiraDateTime(fields.created);
  if (has('updated')) mapped.updated = parseJiraDateTime(fields.updated);
  if (has('resolutiondate')) mapped.resolutionDate = parseJiraDateTime(fields.resolutiondate);
  if (has('assignee')) mapped.assignee = mapUser(fields.assignee as JiraUser | null, options);
  if (has('reporter')) mapped.reporter = mapUser(fields.reporter as JiraUser | null, options);
  if (has('labels') && Array.isArray(fields.labels)) mapped.labels = fields.labels.filter((label): label is string => typeof label === 'string');
  if (has('attachment') && Array.isArray(fields.attachment)) {
    mapped.attachments = (fields.attachment as JiraAttachment[]).filter((item) => item && item.id !== undefined).map((item) => mapAttachment(item, options));
  }

  if (fieldIds.sla && has(fieldIds.sla)) mapped.firstResponseSla = slaBreachTime(fields[fieldIds.sla]);
  if (fieldIds.impact && has(fieldIds.impact)) {
    const impact = optionText(fields[fieldIds.impact]);
    if (impact) mapped.impact = impact;
  }
  if (fieldIds.requestFeedback && has(fieldIds.requestFeedback)) mapped.feedbackRequest = feedbackChoice(fields[fieldIds.requestFeedback]);
  if (fieldIds.waldurBackendId && has(fieldIds.waldurBackendId)) mapped.waldurBackendId = optionText(fields[fieldIds.waldurBackendId]) || null;
  return mapped;
}

/** Reads a Jira status (of an issue, or the target of a transition) into its name and, when present, its category key. */
export function mapStatus(value: unknown): { name: string; category: string | undefined } {
  const category = (value as { statusCategory?: { key?: unknown } } | null)?.statusCategory?.key;
  return { name: nameOf(value), category: typeof category === 'string' ? category : undefined };
}

/**
 * Reads a Service Management comment (`/rest/servicedeskapi/request/{key}/comment`), whose
 * `public` flag is the visibility. The author prefix is removed as `mapComment` does.
 */
export function mapJsmComment(comment: JsmComment, options: MapOptions, integrationUserId?: string): JiraCommentFields {
  const body = typeof comment.body === 'string' ? comment.body : '';
  const created = parseJsmDate(comment.created);
  const author = mapUser(comment.author, options);
  return {
    backendId: String(comment.id),
    issueId: null,
    text: writtenBy(author, integrationUserId) ? stripAuthorPrefix(body) : body,
    body,
    author,
    isPublic: typeof comment.public === 'boolean' ? comment.public : undefined,
    created,
    updated: created,
  };
}

/** The parts of a Service Management customer request (as create and list return it) the adapter reads. */
export interface JsmRequestFields {
  issueId: string;
  issueKey: string;
  status: string | undefined;
  statusCategory: string | undefined;
  created: Date | null;
  reporter: JiraAccountFields | null;
  webLink: string | undefined;
}

/** Reads a customer request; returns null when it lacks the issue id or key, which Jira sends for every stored request. */
export function mapCustomerRequest(request: JsmCustomerRequest, options: MapOptions): JsmRequestFields | null {
  if (!request.issueKey || request.issueId === undefined || request.issueId === null) return null;
  const category = request.currentStatus?.statusCategory;
  return {
    issueId: String(request.issueId),
    issueKey: request.issueKey,
    status: request.currentStatus?.status,
    statusCategory: typeof category === 'string' ? category.toLowerCase() : undefined,
    created: parseJsmDate(request.createdDate),
    reporter: mapUser(request.reporter, options),
    webLink: request._links?.web,
  };
}

/** Returns the breach time of the running cycle of a JSM SLA field, or null when no cycle runs. */
export function slaBreachTime(value: unknown): Date | null {
  if (!value || typeof value !== 'object') return null;
  const cycle = (value as { ongoingCycle?: { breachTime?: unknown } }).ongoingCycle;
  return cycle ? parseJsmDate(cycle.breachTime) : null;
}

/**
 * Prefixes a comment pushed to Jira with its author, `[Jane Doe]: text`, because Jira
 * shows every pushed comment as written by the integration user.
 */
export function withAuthorPrefix(author: string, text: string): string {
  const who = author.trim();
  return who ? `[${who}]: ${text}` : text;
}

function writtenBy(author: JiraAccountFields | null, accountId: string | undefined): boolean {
  return Boolean(accountId) && author?.backendId === accountId;
}

/** Removes a leading `[Author]: ` prefix (the shortest bracketed one), as written by `withAuthorPrefix`. */
export function stripAuthorPrefix(text: string): string {
  const match = /^\[[^\]\n]*?\]:\s/.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/** Jira issue id in a comment's `self` link (`.../issue/10013/comment/10082`), the only issue reference Data Center comment webhooks carry. */
export function issueIdFromSelf(self: string | undefined): string | null {
  if (typeof self !== 'string') return null;
  const match = /\/issue\/(\d+)\/comment\/\d+/.exec(self);
  return match ? match[1] : null;
}

/** Text of a wiki-markup string or of an ADF document (one line per block). */
export function bodyText(body: string | AdfNode | null | undefined): string {
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object') return '';
  return adfText(body).replace(/\n+$/, '');
}

function adfText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
      return typeof node.attrs?.text === 'string' ? node.attrs.text : '';
    default: {
      const inner = (node.content ?? []).map(adfText).join('');
      const block = ['paragraph', 'heading', 'codeBlock', 'blockquote', 'listItem', 'rule'].includes(node.type ?? '');
      return block ? `${inner}\n` : inner;
    }
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function nameOf(value: unknown): string {
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') return (value as { name: string }).name;
  return '';
}

/** Text of a custom field value: a string, a number, a select option (`value`) or a named object. */
function optionText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(optionText).filter(Boolean).join(', ');
  if (value && typeof value === 'object') {
    const record = value as { value?: unknown; name?: unknown; displayName?: unknown };
    return optionText(record.value ?? record.name ?? record.displayName);
  }
  return '';
}

/**
 * Reads the request-feedback field: a boolean, or an option or text where "No", "False"
 * and "0" mean no. An empty field gives undefined, so our default (ask) stays. The
 * original integration read an empty field as no, which turned feedback off wherever
 * agents leave the field alone.
 */
function feedbackChoice(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = optionText(value).toLowerCase();
  if (text === '') return undefined;
  return !['no', 'false', '0'].includes(text);
}
