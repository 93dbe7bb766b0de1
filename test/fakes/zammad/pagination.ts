import type { JsonObject } from './types';

export interface Pagination {
  offset: number;
  limit: number;
}

/**
 * Paging as Zammad's CanPaginate::Pagination does it: 1-based `page`, `per_page` (or
 * its alias `limit`), a per-route default, and values above the route's maximum
 * silently clamped to it. There is no total count in the response.
 */
export function paginate(params: JsonObject, defaults: { perPage: number; max: number }): Pagination {
  const requested = params.per_page ?? params.limit ?? defaults.perPage;
  const limit = Math.max(0, Math.min(toInteger(requested, defaults.perPage), defaults.max));
  const page = Math.max(1, toInteger(params.page, 1));
  return { offset: (page - 1) * limit, limit };
}

export function applyPagination<T>(records: T[], pagination: Pagination): T[] {
  return records.slice(pagination.offset, pagination.offset + pagination.limit);
}

/** Ruby's `to_i`: leading digits of a string, 0 when there are none. */
function toInteger(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const match = /^\s*-?\d+/.exec(String(value));
  return match ? Number(match[0]) : 0;
}

/** Per-route paging limits of Zammad 6.x controllers. */
export const PAGE_LIMITS = {
  ticketIndex: { perPage: 100, max: 100 },
  ticketSearch: { perPage: 50, max: 200 },
  // NOTE: user and organisation limits changed across Zammad versions; 500 is the
  // historical cap of the users index.
  userIndex: { perPage: 100, max: 500 },
  userSearch: { perPage: 100, max: 500 },
  organizationIndex: { perPage: 100, max: 500 },
  referenceIndex: { perPage: 100, max: 1000 },
} as const;
