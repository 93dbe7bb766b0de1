import type { FakeStore } from './store';
import type { TicketRecord, UserRecord } from './types';

/** What the search index holds for a ticket: its attributes and searchable text. */
export interface TicketDocument {
  ticket: TicketRecord;
  custom: Record<string, unknown>;
  stateName: string;
  priorityName: string;
  groupName: string;
  tags: string[];
  /** Body, from, to and subject of every article. */
  articleTexts: string[];
}

interface Version<T> {
  visibleAt: number;
  /** Null marks a deleted record. */
  document: T | null;
}

/**
 * Search index with a visibility delay, standing in for Zammad's Elasticsearch. Each
 * write adds a version that becomes visible `delayMs` after it was made, and a search
 * reads the last visible version. So a record that is too new is missing, and one
 * that was changed a moment ago still has its old values.
 */
export class SearchIndex {
  private tickets = new Map<number, Version<TicketDocument>[]>();
  private users = new Map<number, Version<UserRecord>[]>();

  indexTicket(store: FakeStore, ticketId: number, now: number, delayMs: number): void {
    const ticket = store.tickets.get(ticketId);
    const document = ticket ? buildTicketDocument(store, ticket) : null;
    addVersion(this.tickets, ticketId, { visibleAt: now + delayMs, document });
  }

  indexUser(store: FakeStore, userId: number, now: number, delayMs: number): void {
    const user = store.users.get(userId);
    addVersion(this.users, userId, { visibleAt: now + delayMs, document: user ? structuredClone(user) : null });
  }

  visibleTickets(now: number): TicketDocument[] {
    return visibleDocuments(this.tickets, now);
  }

  visibleUsers(now: number): UserRecord[] {
    return visibleDocuments(this.users, now);
  }

  reset(): void {
    this.tickets = new Map();
    this.users = new Map();
  }
}

export function buildTicketDocument(store: FakeStore, ticket: TicketRecord): TicketDocument {
  const articleTexts = store
    .articlesOfTicket(ticket.id)
    .flatMap((article) => [article.body, article.from, article.to, article.subject])
    .filter((text): text is string => typeof text === 'string');
  return {
    ticket: structuredClone(ticket),
    custom: structuredClone(store.ticketCustomAttributes.get(ticket.id) ?? {}),
    stateName: store.states.get(ticket.state_id)?.name ?? '',
    priorityName: store.priorities.get(ticket.priority_id)?.name ?? '',
    groupName: store.groups.get(ticket.group_id)?.name ?? '',
    tags: [...(store.ticketTags.get(ticket.id) ?? [])],
    articleTexts,
  };
}

function addVersion<T>(table: Map<number, Version<T>[]>, id: number, version: Version<T>): void {
  const versions = table.get(id) ?? [];
  versions.push(version);
  table.set(id, versions);
}

function visibleDocuments<T>(table: Map<number, Version<T>[]>, now: number): T[] {
  const result: T[] = [];
  for (const versions of table.values()) {
    const visible = versions.filter((version) => version.visibleAt <= now);
    const latest = visible[visible.length - 1];
    if (latest?.document) {
      result.push(latest.document);
    }
  }
  return result;
}
