import type { FakeContext } from './context';
import { PAGE_LIMITS, applyPagination, paginate } from './pagination';
import { canReadTicket } from './policy';
import { type TicketDocument, buildTicketDocument } from './search-index';
import { matchesCondition } from './ticket-condition';
import { matchesTicketQuery } from './ticket-query';
import type { JsonObject, TicketRecord, UserRecord } from './types';

export interface TicketSearchResult {
  tickets: TicketRecord[];
  /** Number of matches before paging. */
  totalCount: number;
}

const SORTABLE = new Set(['id', 'number', 'title', 'created_at', 'updated_at', 'close_at', 'state_id', 'priority_id']);

/**
 * Runs `GET|POST /tickets/search`. A `query` goes through the search index, so it can
 * lag writes by `searchDelayMs`. A `condition` alone reads current data, because
 * Zammad runs it on the database, unless `searchDelayIncludesConditionSearch` is
 * set. Results default to `updated_at` descending, Zammad's default search order.
 */
export function searchTickets(ctx: FakeContext, actor: UserRecord, params: JsonObject): TicketSearchResult {
  const now = ctx.clock.now();
  const query = typeof params.query === 'string' ? params.query : '';
  const condition = params.condition;
  const hasCondition = condition !== undefined && condition !== null && condition !== '';
  const useIndex = query.trim() !== '' || !hasCondition || ctx.settings.searchDelayIncludesConditionSearch;
  const documents: TicketDocument[] = useIndex
    ? ctx.searchIndex.visibleTickets(now.getTime())
    : [...ctx.store.tickets.values()].map((ticket) => buildTicketDocument(ctx.store, ticket));

  const matches = documents
    .filter((document) => {
      const current = ctx.store.tickets.get(document.ticket.id);
      return current !== undefined && canReadTicket(ctx.store, actor, current);
    })
    .filter((document) => matchesTicketQuery(document, query, ctx.settings.searchMode, now))
    .filter((document) => !hasCondition || matchesCondition(document, condition, now));

  sortDocuments(matches, params.sort_by, params.order_by);
  const page = applyPagination(matches, paginate(params, PAGE_LIMITS.ticketSearch));
  return {
    tickets: page.map((document) => ctx.store.tickets.get(document.ticket.id)!),
    totalCount: matches.length,
  };
}

function sortDocuments(documents: TicketDocument[], sortBy: unknown, orderBy: unknown): void {
  const keys = listParam(sortBy, 'updated_at').filter((key) => SORTABLE.has(key));
  const orders = listParam(orderBy, 'desc');
  const fields = keys.length > 0 ? keys : ['updated_at'];
  documents.sort((left, right) => {
    for (const [index, key] of fields.entries()) {
      const direction = (orders[index] ?? orders[0]).toLowerCase() === 'asc' ? 1 : -1;
      const a = left.ticket[key as keyof TicketRecord] as string | number | null;
      const b = right.ticket[key as keyof TicketRecord] as string | number | null;
      if (a === b) {
        continue;
      }
      if (a === null) {
        return direction;
      }
      if (b === null) {
        return -direction;
      }
      return a < b ? -direction : direction;
    }
    return left.ticket.id - right.ticket.id;
  });
}

function listParam(value: unknown, fallback: string): string[] {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return value.split(',').map((part) => part.trim());
  }
  return [fallback];
}
