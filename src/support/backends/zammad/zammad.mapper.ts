import { safeFileName } from '../../common/file-names';
import { htmlToText } from '../../common/html-text';
import type { ZammadArticle, ZammadAttachment, ZammadNamedRecord, ZammadReference, ZammadTicket, ZammadUser } from './zammad.types';

/** Names of states and priorities by id, for tickets read without `expand=true`. */
export interface ZammadNames {
  states: ReadonlyMap<number, string>;
  priorities: ReadonlyMap<number, string>;
}

/** The parts of a ticket that our issue copies. */
export interface ZammadTicketFields {
  backendId: string;
  /** The ticket number agents see (`77001`); the id when the number is missing. */
  key: string;
  summary: string | undefined;
  /** State name, looked up in the issue-status table by the caller. */
  status: string | undefined;
  priority: string | undefined;
  firstResponseSla: Date | null;
  closedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  customerId: number | undefined;
}

export interface ZammadAttachmentFields {
  backendId: string;
  articleId: string;
  ticketId: string;
  fileName: string;
  /** Declared by Zammad (`Content-Type`, else `Mime-Type` of the preferences), without parameters. */
  mimeType: string;
  /** Size from Zammad's metadata, which sends it as a string; null when it is missing or invalid. */
  size: number | null;
  /** True for images shown inside the body (`Content-Disposition: inline`). */
  inline: boolean;
}

/** An article as a comment: plain text for the API, the body as Zammad keeps it, and who wrote it. */
export interface ZammadCommentFields {
  backendId: string;
  ticketId: string;
  text: string;
  originalBody: string;
  originalFormat: 'html' | 'text';
  isPublic: boolean;
  /** The author's Zammad user id: `origin_by_id` (on whose behalf) or else `created_by_id`. */
  authorId: number | undefined;
  createdById: number | undefined;
  createdAt: Date | null;
  /** Zammad's own articles (trigger replies, notifications), which are not comments. */
  isSystem: boolean;
  type: string | undefined;
  /** True when a line of the text starts with the comment marker. */
  carriesMarker: boolean;
  attachments: ZammadAttachmentFields[];
}

export interface ZammadAccountFields {
  backendId: string;
  name: string;
  login: string;
  email: string;
  active: boolean;
}

/** The ticket and article a trigger webhook names; the ticket is read again through the API before anything is applied. */
export interface ZammadWebhookChange {
  ticketId: string;
  articleId: string | null;
  ticketUpdatedAt: Date | null;
}

export class ZammadPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZammadPayloadError';
  }
}

export function mapTicket(ticket: ZammadTicket, names?: ZammadNames): ZammadTicketFields {
  const backendId = requireId(ticket.id, 'ticket.id');
  const number = typeof ticket.number === 'string' && ticket.number.trim() !== '' ? ticket.number.trim() : backendId;
  return {
    backendId,
    key: number,
    summary: typeof ticket.title === 'string' ? ticket.title : undefined,
    status: nameOf(ticket.state, ticket.state_id, names?.states),
    priority: nameOf(ticket.priority, ticket.priority_id, names?.priorities),
    firstResponseSla: parseZammadTime(ticket.first_response_escalation_at),
    closedAt: parseZammadTime(ticket.close_at),
    createdAt: parseZammadTime(ticket.created_at),
    updatedAt: parseZammadTime(ticket.updated_at),
    customerId: typeof ticket.customer_id === 'number' ? ticket.customer_id : idOf(ticket.customer),
  };
}

export function mapArticle(article: ZammadArticle, marker: string): ZammadCommentFields {
  const backendId = requireId(article.id, 'article.id');
  const ticketId = requireId(article.ticket_id, 'article.ticket_id');
  const body = typeof article.body === 'string' ? article.body : '';
  const isHtml = /text\/html/i.test(article.content_type ?? '');
  const text = isHtml ? htmlToText(body) : plainText(body);
  return {
    backendId,
    ticketId,
    text,
    originalBody: body,
    originalFormat: isHtml ? 'html' : 'text',
    isPublic: article.internal !== true,
    authorId: positiveId(article.origin_by_id) ?? positiveId(article.created_by_id),
    createdById: positiveId(article.created_by_id),
    createdAt: parseZammadTime(article.created_at),
    isSystem: article.sender === 'System',
    type: typeof article.type === 'string' ? article.type : undefined,
    carriesMarker: hasMarkerLine(text, marker),
    attachments: (article.attachments ?? []).map((attachment) => mapAttachment(attachment, backendId, ticketId)),
  };
}

export function mapAttachment(attachment: ZammadAttachment, articleId: string, ticketId: string): ZammadAttachmentFields {
  const preferences = attachment.preferences ?? {};
  const declared = stringOf(preferences['Content-Type']) ?? stringOf(preferences['Mime-Type']) ?? stringOf(preferences['mime-type']);
  const size = typeof attachment.size === 'number' ? attachment.size : Number.parseInt(String(attachment.size ?? ''), 10);
  return {
    backendId: requireId(attachment.id, 'attachment.id'),
    articleId,
    ticketId,
    fileName: safeFileName(attachment.filename),
    mimeType: normalizeMimeType(declared),
    size: Number.isSafeInteger(size) && size >= 0 ? size : null,
    inline: /^inline/i.test(stringOf(preferences['Content-Disposition']) ?? ''),
  };
}

export function mapUser(user: ZammadUser): ZammadAccountFields {
  const first = (user.firstname ?? '').trim();
  const last = (user.lastname ?? '').trim();
  const login = (user.login ?? '').trim();
  const email = (user.email ?? '').trim();
  const name = first && last ? `${first} ${last}` : first || last || login || email || `Zammad user ${user.id}`;
  return { backendId: requireId(user.id, 'user.id'), name: name.slice(0, 150), login, email, active: user.active !== false };
}

/** Names by id of states, priorities, groups or organisations; records without an id or a name are left out. */
export function mapNamedRecords(records: ZammadNamedRecord[]): Map<number, string> {
  const named = records.filter((record) => positiveId(record.id) !== undefined && typeof record.name === 'string' && record.name !== '');
  return new Map(named.map((record) => [Number(record.id), record.name]));
}

/**
 * Reads the default trigger payload `{ticket, article}`. Only the ids are taken, because
 * a retried delivery carries an old snapshot; `article` may be null, `{}` or an old one.
 */
export function mapWebhookPayload(payload: unknown): ZammadWebhookChange {
  if (!isRecord(payload) || !isRecord(payload.ticket)) throw new ZammadPayloadError('The webhook body has no "ticket" object.');
  const ticketId = idText(payload.ticket.id);
  if (!ticketId) throw new ZammadPayloadError('The webhook body has no "ticket.id".');
  const articleId = isRecord(payload.article) ? idText(payload.article.id) : undefined;
  return {
    ticketId,
    articleId: articleId ?? null,
    ticketUpdatedAt: parseZammadTime(payload.ticket.updated_at),
  };
}

/** Parses Zammad's UTC timestamps (`2021-11-08T14:17:41.913Z`); null for anything else. */
export function parseZammadTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time);
}

/** True when a line of `text`, leading spaces ignored, starts with `marker`. */
export function hasMarkerLine(text: string, marker: string): boolean {
  if (!marker) return false;
  return text.split('\n').some((line) => line.trimStart().startsWith(marker));
}

function normalizeMimeType(value: string | undefined): string {
  const type = (value ?? '').split(';')[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : 'application/octet-stream';
}

function nameOf(reference: ZammadReference, id: number | undefined, names: ReadonlyMap<number, string> | undefined): string | undefined {
  if (typeof reference === 'string' && reference !== '') return reference;
  if (isRecord(reference) && typeof reference.name === 'string' && reference.name !== '') return reference.name;
  const referenceId = typeof id === 'number' ? id : idOf(reference);
  return referenceId === undefined ? undefined : names?.get(referenceId);
}

function idOf(reference: ZammadReference): number | undefined {
  return isRecord(reference) ? positiveId(reference.id) : undefined;
}

function plainText(body: string): string {
  return body.replace(/\r\n?/g, '\n').trim();
}

function requireId(value: unknown, field: string): string {
  const id = idText(value);
  if (!id) throw new ZammadPayloadError(`Zammad sent no valid "${field}".`);
  return id;
}

/** Ids arrive as numbers, and some clients and payloads send them as strings. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim()) && Number(value) > 0) return String(Number(value));
  return undefined;
}

function positiveId(value: unknown): number | undefined {
  const id = idText(value);
  return id === undefined ? undefined : Number(id);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
