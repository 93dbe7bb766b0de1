import { forbidden } from './errors';
import type { FakeStore } from './store';
import type { ArticleRecord, TicketRecord, UserRecord } from './types';

/**
 * Access rules after Zammad's TicketPolicy and Ticket::ArticlePolicy: agents reach
 * tickets of groups they have access to, customers their own tickets and those of a
 * shared organisation, and only agents see internal articles.
 */

export function hasAgentAccess(store: FakeStore, user: UserRecord, ticket: TicketRecord): boolean {
  return store.isAgent(user) && String(ticket.group_id) in user.group_ids;
}

function hasCustomerAccess(store: FakeStore, user: UserRecord, ticket: TicketRecord): boolean {
  if (ticket.customer_id === user.id) {
    return true;
  }
  if (ticket.organization_id === null || ticket.organization_id !== user.organization_id) {
    return false;
  }
  return store.organizations.get(ticket.organization_id)?.shared === true;
}

export function canReadTicket(store: FakeStore, user: UserRecord, ticket: TicketRecord): boolean {
  return hasAgentAccess(store, user, ticket) || hasCustomerAccess(store, user, ticket);
}

export function assertCanReadTicket(store: FakeStore, user: UserRecord, ticket: TicketRecord): void {
  if (!canReadTicket(store, user, ticket)) {
    throw forbidden();
  }
}

export function canReadArticle(store: FakeStore, user: UserRecord, article: ArticleRecord): boolean {
  const ticket = store.tickets.get(article.ticket_id);
  if (!ticket || !canReadTicket(store, user, ticket)) {
    return false;
  }
  return !article.internal || hasAgentAccess(store, user, ticket);
}

/** Zammad needs the `admin` permission to delete a ticket. */
export function assertCanDeleteTicket(store: FakeStore, user: UserRecord, ticket: TicketRecord): void {
  assertCanReadTicket(store, user, ticket);
  if (!store.isAdmin(user)) {
    throw forbidden();
  }
}

export function assertAdmin(store: FakeStore, user: UserRecord): void {
  if (!store.isAdmin(user)) {
    throw forbidden();
  }
}

export function assertAgent(store: FakeStore, user: UserRecord): void {
  if (!store.isAgent(user) && !store.isAdmin(user)) {
    throw forbidden();
  }
}

/**
 * Article delete rules of Ticket::ArticlePolicy#destroy?: agents only, own articles
 * only, communication articles only when internal, and only within the configured
 * number of seconds after creation (0 disables the time limit).
 */
export function assertCanDeleteArticle(
  store: FakeStore,
  user: UserRecord,
  article: ArticleRecord,
  now: Date,
  timeframeSeconds: number,
): void {
  if (!canReadArticle(store, user, article)) {
    throw forbidden();
  }
  if (!store.isAgent(user)) {
    throw forbidden('agent permission required');
  }
  if (article.created_by_id !== user.id) {
    throw forbidden('you can only delete your own notes');
  }
  if (store.articleTypeById(article.type_id)?.communication && !article.internal) {
    throw forbidden('communication articles cannot be deleted');
  }
  const ageMs = now.getTime() - new Date(article.created_at).getTime();
  if (timeframeSeconds > 0 && ageMs >= timeframeSeconds * 1000) {
    throw forbidden('note is too old to be deleted');
  }
}
