import { ZammadClient, ZAMMAD_PAGE_SIZE } from './zammad.client';
import { ZammadError } from './zammad.exception';
import { mapTicket, ZammadTicketFields } from './zammad.mapper';
import type { ZammadTicket } from './zammad.types';

/** One page of changed tickets, oldest change first. */
export interface ZammadChangePage {
  tickets: ZammadTicketFields[];
  /** Latest `updated_at` on the page; every change up to it has been seen once the page is applied. */
  newWatermark: Date | null;
  /** Present when more tickets may follow; passed back to read the next page. */
  nextCursor?: string;
}

/** Position after the last ticket read: its `updated_at`, its id, and the page within that timestamp. */
interface ChangeCursor {
  after: string;
  id: number;
  page: number;
}

/** Start of time for the first pull, when every ticket counts as changed. */
const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Reads tickets changed since a time through Zammad's condition search on
 * `ticket.updated_at`, which runs on the database and so works without Elasticsearch
 * and does not lag writes. Paging goes by keyset (the last `updated_at` and id seen),
 * not by page number alone. A ticket updated while the pages are read moves to the end
 * of the result, and with page numbers the ticket behind it would slide into a page
 * already read and be missed.
 */
export class ZammadChangeFeed {
  constructor(
    private readonly client: ZammadClient,
    private readonly pageSize: number = ZAMMAD_PAGE_SIZE,
  ) {}

  async changedSince(since: Date | null, overlapMs: number, cursorText?: string): Promise<ZammadChangePage> {
    const cursor = cursorText ? parseCursor(cursorText) : { after: startOf(since, overlapMs), id: 0, page: 1 };
    const condition = { 'ticket.updated_at': { operator: 'after (absolute)', value: cursor.after } };
    const page = await this.client.searchTickets(condition, cursor.page, this.pageSize);

    const afterTime = Date.parse(cursor.after);
    const fresh = page.filter((ticket) => !(timeOf(ticket) === afterTime && ticket.id <= cursor.id));
    const tickets = fresh.map((ticket) => mapTicket(ticket));
    const last = fresh.at(-1);
    const newWatermark = last && timeOf(last) !== undefined ? new Date(timeOf(last)!) : null;

    if (page.length < this.pageSize) return { tickets, newWatermark };
    return { tickets, newWatermark, nextCursor: JSON.stringify(nextCursor(cursor, page)) };
  }

  /**
   * Returns which of `ids` Zammad still has. Each id is read on its own, and only a 404
   * counts as deleted, so a ticket the token cannot see (403) is never taken for gone.
   */
  async existingTicketIds(ids: Iterable<string>): Promise<Set<string>> {
    const existing = new Set<string>();
    for (const id of ids) {
      try {
        await this.client.getTicket(id);
        existing.add(id);
      } catch (error) {
        if (!(error instanceof ZammadError) || !error.isNotFound) throw error;
      }
    }
    return existing;
  }
}

/**
 * Builds the cursor after a full page. When the page ends on a later timestamp, the next query
 * starts at it. When every ticket on the page shares the cursor's timestamp, the query
 * stays and the page number moves on, so a burst of changes within one millisecond that
 * fills whole pages is still read to its end.
 */
function nextCursor(cursor: ChangeCursor, page: ZammadTicket[]): ChangeCursor {
  const last = page[page.length - 1];
  const lastTime = timeOf(last);
  if (lastTime === undefined || lastTime === Date.parse(cursor.after)) return { ...cursor, page: cursor.page + 1 };
  const sameTime = page.filter((ticket) => timeOf(ticket) === lastTime);
  return { after: new Date(lastTime).toISOString(), id: Math.max(...sameTime.map((ticket) => ticket.id)), page: 1 };
}

function startOf(since: Date | null, overlapMs: number): string {
  if (!since) return EPOCH;
  return new Date(Math.max(0, since.getTime() - overlapMs)).toISOString();
}

function timeOf(ticket: ZammadTicket): number | undefined {
  const time = typeof ticket.updated_at === 'string' ? Date.parse(ticket.updated_at) : NaN;
  return Number.isNaN(time) ? undefined : time;
}

function parseCursor(text: string): ChangeCursor {
  const value = JSON.parse(text) as Partial<ChangeCursor>;
  if (typeof value.after !== 'string' || typeof value.id !== 'number' || typeof value.page !== 'number') {
    throw new Error(`Invalid Zammad change cursor: ${text}`);
  }
  return { after: value.after, id: value.id, page: value.page };
}
