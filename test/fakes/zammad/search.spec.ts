import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture } from './spec-support/api-client';

const START = '2030-01-01T10:00:00.000Z';

describe('fake Zammad ticket search', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  /** Creates tickets `stepMs` apart (one minute by default), starting at START. */
  async function createTickets(titles: string[], stepMs = 60_000): Promise<void> {
    fake.clock.set(START);
    for (const [index, title] of titles.entries()) {
      if (index > 0) {
        fake.clock.advance(stepMs);
      }
      await callApi(fake, 'POST', '/api/v1/tickets', {
        body: { title, group: 'Users', customer_id: 4, article: { body: `About ${title}`, type: 'note' } },
      });
    }
  }

  function titlesOf(tickets: Array<{ title: string }>): string[] {
    return tickets.map((ticket) => ticket.title);
  }

  beforeEach(() => {
    fake.reset();
  });

  describe('query', () => {
    it('matches title and article text without Elasticsearch', async () => {
      await createTickets(['VPN down', 'Printer jam', 'Mail']);

      const byTitle = await callApi(fake, 'GET', '/api/v1/tickets/search?query=vpn&expand=true');
      const byBody = await callApi(fake, 'GET', '/api/v1/tickets/search?query=about%20printer&expand=true');

      expect(titlesOf(byTitle.json)).toEqual(['VPN down']);
      expect(titlesOf(byBody.json)).toEqual(['Printer jam']);
    });

    it('returns expanded results with real keys', async () => {
      await createTickets(['VPN down']);

      const response = await callApi(fake, 'GET', '/api/v1/tickets/search?query=VPN&expand=true');

      expect(Object.keys(response.json[0])).toEqual(Object.keys(readFixture('ticket-search-expand-true.json')[0]));
    });

    it('returns the legacy shape without flags', async () => {
      await createTickets(['VPN down', 'VPN slow']);

      const response = await callApi(fake, 'GET', '/api/v1/tickets/search?query=vpn');

      expect(response.json.tickets).toEqual([2, 1]);
      expect(response.json.tickets_count).toBe(2);
      expect(Object.keys(response.json.assets.Ticket)).toEqual(['1', '2']);
    });

    it('returns a bare array when configured', async () => {
      fake.configure({ searchResponseShape: 'array' });
      await createTickets(['VPN down']);

      const response = await callApi(fake, 'GET', '/api/v1/tickets/search?query=vpn');

      expect(Array.isArray(response.json)).toBe(true);
      expect(response.json[0].state).toBeUndefined();
      expect(response.json[0].state_id).toBe(1);
    });

    it('pages results newest first by default', async () => {
      await createTickets(['t1', 't2', 't3', 't4', 't5']);

      const pages = [];
      for (const page of [1, 2, 3]) {
        const response = await callApi(fake, 'GET', `/api/v1/tickets/search?query=t&page=${page}&per_page=2&expand=true`);
        pages.push(titlesOf(response.json));
      }

      expect(pages).toEqual([['t5', 't4'], ['t3', 't2'], ['t1']]);
    });

    it('sorts by the requested field and order', async () => {
      await createTickets(['b', 'c', 'a']);

      const response = await callApi(fake, 'GET', '/api/v1/tickets/search?query=&sort_by=title&order_by=asc&expand=true');

      expect(titlesOf(response.json)).toEqual(['a', 'b', 'c']);
    });

    it('counts matches for only_total_count', async () => {
      await createTickets(['VPN 1', 'VPN 2', 'Mail']);

      const response = await callApi(fake, 'GET', '/api/v1/tickets/search?query=vpn&only_total_count=true');

      expect(response.json).toEqual({ total_count: 2 });
    });

    it('understands field syntax in elasticsearch mode', async () => {
      fake.configure({ searchMode: 'elasticsearch' });
      await createTickets(['old', 'recent']);
      fake.clock.advance(60_000);
      await callApi(fake, 'PUT', '/api/v1/tickets/2', { body: { state: 'open' } });

      const recent = await callApi(fake, 'GET', `/api/v1/tickets/search?query=${encodeURIComponent('updated_at:>now-90s')}&expand=true`);
      const open = await callApi(fake, 'GET', `/api/v1/tickets/search?query=${encodeURIComponent('state.name:open AND title:rec*')}&expand=true`);

      expect(titlesOf(recent.json)).toEqual(['recent']);
      expect(titlesOf(open.json)).toEqual(['recent']);
    });
  });

  describe('condition', () => {
    it('filters on updated_at after an absolute time', async () => {
      await createTickets(['first', 'second', 'third']);

      const response = await callApi(fake, 'POST', '/api/v1/tickets/search', {
        body: {
          condition: { 'ticket.updated_at': { operator: 'after (absolute)', value: '2030-01-01T10:01:00.000Z' } },
          sort_by: 'updated_at',
          order_by: 'asc',
          expand: true,
        },
      });

      expect(titlesOf(response.json)).toEqual(['second', 'third']);
    });

    it('pages condition results', async () => {
      await createTickets(['t1', 't2', 't3']);
      const condition = { 'ticket.state_id': { operator: 'is', value: ['1', '2'] } };

      const first = await callApi(fake, 'POST', '/api/v1/tickets/search', {
        body: { condition, page: 1, per_page: 2, sort_by: 'id', order_by: 'asc', expand: true },
      });
      const second = await callApi(fake, 'POST', '/api/v1/tickets/search', {
        body: { condition, page: 2, per_page: 2, sort_by: 'id', order_by: 'asc', expand: true },
      });

      expect(titlesOf(first.json)).toEqual(['t1', 't2']);
      expect(titlesOf(second.json)).toEqual(['t3']);
    });

    it('supports relative time ranges', async () => {
      await createTickets(['old', 'new']);
      fake.clock.set('2030-01-01T10:01:30.000Z');

      const response = await callApi(fake, 'POST', '/api/v1/tickets/search?expand=true', {
        body: { condition: { 'ticket.created_at': { operator: 'within last (relative)', value: 1, range: 'minute' } } },
      });

      expect(titlesOf(response.json)).toEqual(['new']);
    });

    it('supports the expert form with OR', async () => {
      await createTickets(['alpha', 'beta', 'gamma']);

      const response = await callApi(fake, 'POST', '/api/v1/tickets/search', {
        body: {
          condition: {
            operator: 'OR',
            conditions: [
              { name: 'ticket.title', operator: 'contains', value: 'alp' },
              { name: 'ticket.title', operator: 'is', value: 'gamma' },
            ],
          },
          sort_by: 'id',
          order_by: 'asc',
          expand: true,
        },
      });

      expect(titlesOf(response.json)).toEqual(['alpha', 'gamma']);
    });

    it('finds tickets by tag', async () => {
      await createTickets(['tagged', 'plain']);
      await callApi(fake, 'POST', '/api/v1/tags/add', { body: { object: 'Ticket', o_id: 1, item: 'deskbridge:issue-7' } });

      const response = await callApi(fake, 'POST', '/api/v1/tickets/search?expand=true', {
        body: { condition: { 'ticket.tags': { operator: 'contains all', value: 'deskbridge:issue-7' } } },
      });

      expect(titlesOf(response.json)).toEqual(['tagged']);
    });

    it('rejects an unknown operator', async () => {
      await createTickets(['x']);

      const response = await callApi(fake, 'POST', '/api/v1/tickets/search', {
        body: { condition: { 'ticket.updated_at': { operator: 'sometime', value: 'x' } } },
      });

      expect(response.status).toBe(422);
      expect(response.json.error).toBe("Invalid operator 'sometime' for 'ticket.updated_at'");
    });
  });

  describe('delayed visibility', () => {
    it('hides new tickets from query search until the delay passes', async () => {
      fake.setSearchDelay(5_000);
      await createTickets(['lagging']);

      const before = await callApi(fake, 'GET', '/api/v1/tickets/search?query=lagging&expand=true');
      fake.clock.advance(5_000);
      const after = await callApi(fake, 'GET', '/api/v1/tickets/search?query=lagging&expand=true');

      expect(before.json).toEqual([]);
      expect(titlesOf(after.json)).toEqual(['lagging']);
    });

    it('matches the old version of a changed ticket', async () => {
      await createTickets(['before rename']);
      fake.setSearchDelay(5_000);
      await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { title: 'after rename' } });

      const stale = await callApi(fake, 'GET', '/api/v1/tickets/search?query=before&expand=true');
      const fresh = await callApi(fake, 'GET', '/api/v1/tickets/search?query=after&expand=true');

      expect(titlesOf(stale.json)).toEqual(['after rename']);
      expect(fresh.json).toEqual([]);
    });

    it('leaves condition search current unless asked', async () => {
      const condition = { 'ticket.title': { operator: 'contains', value: 'lag' } };
      fake.setSearchDelay(5_000);
      await createTickets(['lagging']);

      const current = await callApi(fake, 'POST', '/api/v1/tickets/search?expand=true', { body: { condition } });
      fake.setSearchDelay(5_000, { includeConditionSearch: true });
      const delayed = await callApi(fake, 'POST', '/api/v1/tickets/search?expand=true', { body: { condition } });

      expect(titlesOf(current.json)).toEqual(['lagging']);
      expect(delayed.json).toEqual([]);
    });
  });
});
