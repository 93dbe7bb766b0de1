import type { FakeClock, SeededUuids } from './clock';
import type { SearchIndex } from './search-index';
import type { FakeStore } from './store';

/**
 * Behaviour switches of the fake. Several cover points where public sources disagree
 * or are silent; tests must not depend on the defaults for those.
 */
export interface FakeSettings {
  /** How long a write stays invisible to index-backed search (Elasticsearch lag). */
  searchDelayMs: number;
  /** Also delay `condition` searches, which real Zammad runs on the database. */
  searchDelayIncludesConditionSearch: boolean;
  /**
   * `database`: `query` is a case-insensitive substring match on title, number and
   * article body, from, to and subject, as Zammad does without Elasticsearch.
   * `elasticsearch`: `query` also understands `field:value`, `field:>value` and `now-1h`.
   */
  searchMode: 'database' | 'elasticsearch';
  /**
   * Shape of `GET /tickets/search` without `expand` or `full`: `legacy` is
   * `{tickets, tickets_count, assets}` (Zammad source up to at least 5.x), `array` is a
   * bare array of tickets with ids only (current documentation).
   */
  searchResponseShape: 'legacy' | 'array';
  /** Age in seconds after which an agent may no longer delete their note; 0 means no limit. */
  articleDeleteTimeframeSeconds: number;
  /** `article` in a webhook body when the change has no article. */
  webhookAbsentArticle: 'empty-object' | 'null';
  /**
   * When the webhook body is built. `send` rebuilds it at each attempt from current
   * data, as Zammad's job does, and `event` freezes it when the change happens.
   */
  webhookPayloadTiming: 'send' | 'event';
  /** Waits before attempts 2 to 5; Zammad waits 10, 20, 30 and 40 seconds. */
  webhookRetryDelaysMs: number[];
  /** Time limit for one delivery attempt; Zammad allows 30 s to read the response. */
  webhookTimeoutMs: number;
  /** Extra ticket attribute names stored and returned as top-level ticket keys. */
  customTicketAttributes: string[];
  /** Body of `DELETE /tickets/{id}`: `empty` (Zammad's `head :ok`) or `{}`. */
  ticketDeleteBody: 'empty' | 'object';
  /** Prefix of ticket numbers, like Zammad's system id: `77` gives `77001`. */
  ticketNumberPrefix: string;
}

export const DEFAULT_SETTINGS: FakeSettings = {
  searchDelayMs: 0,
  searchDelayIncludesConditionSearch: false,
  searchMode: 'database',
  searchResponseShape: 'legacy',
  articleDeleteTimeframeSeconds: 600,
  webhookAbsentArticle: 'empty-object',
  webhookPayloadTiming: 'send',
  webhookRetryDelaysMs: [10_000, 20_000, 30_000, 40_000],
  webhookTimeoutMs: 30_000,
  customTicketAttributes: [],
  ticketDeleteBody: 'empty',
  ticketNumberPrefix: '77',
};

/** A committed change to a ticket, the event a Zammad trigger runs on. */
export interface TicketChange {
  ticketId: number;
  /** Article created in the same request, or null for a change without one. */
  articleId: number | null;
  actorId: number;
}

/** Everything the operations and routes share for one running fake. */
export interface FakeContext {
  store: FakeStore;
  clock: FakeClock;
  uuids: SeededUuids;
  settings: FakeSettings;
  searchIndex: SearchIndex;
  /** Called after every committed ticket or article change; schedules webhook deliveries. */
  notifyChange(change: TicketChange): void;
  baseUrl(): string;
}
