import {
  renderArticle,
  renderGroupWithNames,
  renderOrganizationWithNames,
  renderPriority,
  renderTicketWithNames,
  renderUserWithNames,
} from './render';
import type { FakeStore } from './store';
import type { JsonObject } from './types';

/**
 * Default trigger webhook body `{"ticket": {...}, "article": {...}}`, built the way
 * Zammad's TriggerWebhookJob::RecordPayload does (zammad/zammad, app/jobs). Records
 * carry attributes with names and sorted keys. The listed associations are expanded
 * into whole records, an absent association or article becomes `{}`, and user records
 * leave out login and group details.
 */

const USER_KEYS_LEFT_OUT = [
  'last_login',
  'login_failed',
  'password',
  'preferences',
  'group_ids',
  'groups',
  'authorization_ids',
  'authorizations',
];

export interface WebhookPayloadOptions {
  /** Base URL put in front of `/api/v1/ticket_attachment/...` in `attachments[].url`. */
  baseUrl: string;
  /** Value of `article` when the change has no article; current Zammad source sends `{}`. */
  absentArticle: 'empty-object' | 'null';
}

export function buildWebhookPayload(
  store: FakeStore,
  ticketId: number,
  articleId: number | null,
  options: WebhookPayloadOptions,
): JsonObject | null {
  const ticket = store.tickets.get(ticketId);
  if (!ticket) {
    return null;
  }
  const article = articleId === null ? undefined : store.articles.get(articleId);
  const absentArticle = options.absentArticle === 'null' ? null : {};
  return {
    ticket: buildTicketRecord(store, ticketId),
    article: article ? buildArticleRecord(store, article.id, options.baseUrl) : absentArticle,
  };
}

function buildTicketRecord(store: FakeStore, ticketId: number): JsonObject {
  const ticket = store.tickets.get(ticketId)!;
  const result = renderTicketWithNames(store, ticket);
  result.owner = nestedUser(store, ticket.owner_id);
  result.customer = nestedUser(store, ticket.customer_id);
  result.created_by = nestedUser(store, ticket.created_by_id);
  result.updated_by = nestedUser(store, ticket.updated_by_id);
  const organization = ticket.organization_id === null ? undefined : store.organizations.get(ticket.organization_id);
  result.organization = organization ? sortKeys(renderOrganizationWithNames(store, organization)) : {};
  const priority = store.priorities.get(ticket.priority_id);
  result.priority = priority ? sortKeys(renderPriority(store, priority, true)) : {};
  const group = store.groups.get(ticket.group_id);
  result.group = group ? sortKeys(renderGroupWithNames(store, group)) : {};
  return sortKeys(result);
}

function buildArticleRecord(store: FakeStore, articleId: number, baseUrl: string): JsonObject {
  const article = store.articles.get(articleId)!;
  const result = renderArticle(store, article);
  result.created_by = nestedUser(store, article.created_by_id);
  result.updated_by = nestedUser(store, article.updated_by_id);
  result.attachments = (result.attachments as JsonObject[]).map((attachment) => ({
    ...attachment,
    url: `${baseUrl}/api/v1/ticket_attachment/${article.ticket_id}/${article.id}/${String(attachment.id)}`,
  }));
  result.accounted_time = Number(store.timeAccountings.get(article.id) ?? 0);
  return sortKeys(result);
}

function nestedUser(store: FakeStore, userId: number): JsonObject {
  const user = store.users.get(userId);
  if (!user) {
    return {};
  }
  const attributes = renderUserWithNames(store, user);
  for (const key of USER_KEYS_LEFT_OUT) {
    delete attributes[key];
  }
  return sortKeys(attributes);
}

function sortKeys(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).sort(([left], [right]) => (left < right ? -1 : 1)));
}
