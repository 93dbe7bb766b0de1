import { FakeZammad, startFakeZammad } from '../../../../test/fakes/zammad';
import { ZammadChangeFeed, ZammadChangePage } from './zammad-changes';
import { ZammadClient } from './zammad.client';

const START = new Date('2025-03-01T10:00:00.000Z');

describe('ZammadChangeFeed', () => {
  let fake: FakeZammad;
  let client: ZammadClient;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.clock.set(START);
    client = new ZammadClient({ baseUrl: fake.url, token: fake.tokens.integration, timeoutMs: 2_000 });
  });

  afterEach(async () => {
    await client.close();
  });

  function createTickets(count: number): number[] {
    return Array.from({ length: count }, (_, index) => {
      fake.clock.advance(1_000);
      return fake.agent.createTicket({ title: `Ticket ${index + 1}`, body: 'x' }).ticket.id;
    });
  }

  async function readAll(feed: ZammadChangeFeed, since: Date | null, between?: (page: ZammadChangePage) => void): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await feed.changedSince(since, 0, cursor);
      ids.push(...page.tickets.map((ticket) => ticket.backendId));
      between?.(page);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it('reads every ticket on the first pull', async () => {
    createTickets(3);

    expect(await readAll(new ZammadChangeFeed(client), null)).toEqual(['1', '2', '3']);
  });

  it('reads tickets changed since the watermark', async () => {
    createTickets(3);
    const watermark = new Date(fake.clock.now().getTime() + 500);
    fake.clock.advance(1_000);
    fake.agent.reply(1, { body: 'later' });

    expect(await readAll(new ZammadChangeFeed(client), watermark)).toEqual(['1']);
  });

  it('reads again within the overlap', async () => {
    createTickets(2);
    const watermark = fake.clock.now();

    const page = await new ZammadChangeFeed(client).changedSince(watermark, 1_500);

    expect(page.tickets.map((ticket) => ticket.backendId)).toEqual(['1', '2']);
  });

  it('sends the condition search', async () => {
    await new ZammadChangeFeed(client).changedSince(new Date('2025-03-01T12:00:00.000Z'), 60_000);

    const [request] = fake.requests.list({ method: 'POST', path: '/api/v1/tickets/search' });
    expect(JSON.parse(request.body.toString('utf8')).condition).toEqual({
      'ticket.updated_at': { operator: 'after (absolute)', value: '2025-03-01T11:59:00.000Z' },
    });
  });

  it('returns the latest change as watermark', async () => {
    createTickets(2);

    const page = await new ZammadChangeFeed(client).changedSince(null, 0);

    expect(page.newWatermark?.toISOString()).toBe(fake.data.ticket(2)!.updated_at);
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages by keyset', async () => {
    createTickets(5);

    expect(await readAll(new ZammadChangeFeed(client, 2), null)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('misses no ticket updated while paging', async () => {
    createTickets(5);
    let updated = false;

    const ids = await readAll(new ZammadChangeFeed(client, 2), null, () => {
      if (updated) return;
      updated = true;
      fake.clock.advance(1_000);
      fake.agent.reply(1, { body: 'moves ticket 1 to the end' });
    });

    expect(new Set(ids)).toEqual(new Set(['1', '2', '3', '4', '5']));
  });

  it('pages through tickets of one timestamp', async () => {
    for (let index = 0; index < 5; index += 1) fake.agent.createTicket({ title: `Same ${index}`, body: 'x' });

    expect(await readAll(new ZammadChangeFeed(client, 2), null)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('tells deleted tickets apart', async () => {
    createTickets(2);
    await client.deleteTicket(2);

    const existing = await new ZammadChangeFeed(client).existingTicketIds(['1', '2']);

    expect(existing).toEqual(new Set(['1']));
  });
});
