import { FakeZammad, startFakeZammad } from '../../../../test/fakes/zammad';
import { apiUrlOf, parseRetryAfter, ZammadClient } from './zammad.client';
import { ZammadError } from './zammad.exception';

const TICKET = { title: 'VPN down', group: 'Users', customer_id: 4, tags: 'Deskbridge', article: { body: 'x', content_type: 'text/html' as const, type: 'note', internal: false } };

async function failure(call: Promise<unknown>): Promise<ZammadError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ZammadError) return error;
    throw error;
  }
  throw new Error('Expected the call to fail');
}

describe('ZammadClient', () => {
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
    client = new ZammadClient({ baseUrl: fake.url, token: fake.tokens.integration, timeoutMs: 2_000, maxRetryWaitMs: 1_500 });
  });

  afterEach(async () => {
    await client.close();
  });

  describe('requests', () => {
    it('authenticates with the token form', async () => {
      await client.getCurrentUser();

      const [request] = fake.requests.list({ path: '/api/v1/users/me' });
      expect(request.headers.authorization).toBe(`Token token=${fake.tokens.integration}`);
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers['user-agent']).toBe('Deskbridge');
    });

    it('reads a ticket with names', async () => {
      const created = await client.createTicket(TICKET);
      const ticket = await client.getTicket(created.id);

      const [request] = fake.requests.list({ method: 'GET', path: `/api/v1/tickets/${created.id}` });
      expect(request.url).toBe(`/api/v1/tickets/${created.id}?expand=true`);
      expect(ticket.state).toBe('new');
    });

    it('sends JSON on writes', async () => {
      await client.createTicket(TICKET);

      const [request] = fake.requests.list({ method: 'POST', path: '/api/v1/tickets' });
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(request.body.toString('utf8'))).toEqual(TICKET);
      expect(request.url).toBe('/api/v1/tickets?expand=true');
    });

    it('searches tickets by condition', async () => {
      const created = await client.createTicket(TICKET);
      const condition = { 'ticket.updated_at': { operator: 'after (absolute)', value: '2000-01-01T00:00:00.000Z' } };

      const tickets = await client.searchTickets(condition, 1, 50);

      const [request] = fake.requests.list({ method: 'POST', path: '/api/v1/tickets/search' });
      expect(request.url).toBe('/api/v1/tickets/search?expand=true');
      expect(JSON.parse(request.body.toString('utf8'))).toEqual({
        condition,
        page: 1,
        per_page: 50,
        sort_by: ['updated_at', 'id'],
        order_by: ['asc', 'asc'],
      });
      expect(tickets.map((ticket) => ticket.id)).toEqual([created.id]);
    });

    it('downloads attachment bytes unchanged', async () => {
      const bytes = Buffer.from([0, 255, 1, 254, 0x0a, 0x0d]);
      const ticket = await client.createTicket(TICKET);
      const article = fake.agent.attachFile(ticket.id, { filename: 'raw.bin', data: bytes.toString('base64') });
      const attachmentId = (fake.data.article(article.id)!.attachments as Array<{ id: number }>)[0].id;

      const downloaded = await client.downloadAttachment(ticket.id, article.id, attachmentId);

      expect(downloaded.equals(bytes)).toBe(true);
    });

    it('returns nothing for an empty delete body', async () => {
      const ticket = await client.createTicket(TICKET);

      await expect(client.deleteTicket(ticket.id)).resolves.toBeUndefined();
    });
  });

  describe('errors', () => {
    it('names a rejected token', async () => {
      const bad = new ZammadClient({ baseUrl: fake.url, token: 'wrong-token' });

      const error = await failure(bad.getCurrentUser());
      await bad.close();

      expect(error.kind).toBe('auth');
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.message).toBe("Zammad rejected the API token (401 on GET /users/me: Can't find User for Token). Check ZAMMAD_TOKEN.");
    });

    it('never shows the token', async () => {
      const bad = new ZammadClient({ baseUrl: fake.url, token: 'secret-token-value' });

      const error = await failure(bad.getCurrentUser());
      await bad.close();

      expect(error.message).not.toContain('secret-token-value');
    });

    it('names a forbidden call as a permission problem', async () => {
      const customer = new ZammadClient({ baseUrl: fake.url, token: fake.tokens.customer });

      const error = await failure(customer.createUser({ login: 'x@example.com', email: 'x@example.com', firstname: 'X', lastname: '' }));
      await customer.close();

      expect(error.kind).toBe('auth');
      expect(error.status).toBe(403);
      expect(error.message).toContain('Check the permissions of the ZAMMAD_TOKEN user');
    });

    it('reads error_human of a 422', async () => {
      const error = await failure(client.createTicket({ ...TICKET, group: 'Nowhere' }));

      expect(error.kind).toBe('http');
      expect(error.status).toBe(422);
      expect(error.retryable).toBe(false);
      expect(error.remoteMessage).toContain('Nowhere');
    });

    it('marks a missing ticket as not found', async () => {
      const error = await failure(client.getTicket(999));

      expect(error.isNotFound).toBe(true);
      expect(error.message).toBe("Zammad returned 404 for GET /tickets/999: Couldn't find Ticket with 'id'=999.");
    });

    it('reads the text of an HTML error page', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'error', status: 502, message: 'upstream down' });

      const error = await failure(client.createTicket(TICKET));

      expect(error.status).toBe(502);
      expect(error.retryable).toBe(true);
      expect(error.remoteMessage).toContain('upstream down');
    });

    it('does not repeat a failed write', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'error', status: 500 });

      const error = await failure(client.createTicket(TICKET));

      expect(error.mayHaveCommitted).toBe(true);
      expect(fake.requests.list({ method: 'POST', path: '/api/v1/tickets' })).toHaveLength(1);
    });

    it('reports a connection dropped after the write', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'drop-after-commit', times: 1 });

      const error = await failure(client.createTicket(TICKET));

      expect(error.kind).toBe('network');
      expect(error.mayHaveCommitted).toBe(true);
      expect(fake.data.tickets()).toHaveLength(1);
    });

    it('times out a slow answer', async () => {
      const impatient = new ZammadClient({ baseUrl: fake.url, token: fake.tokens.integration, timeoutMs: 200, maxReadAttempts: 1 });
      fake.faults.add({ path: '/api/v1/users/me', kind: 'latency', latencyMs: 1_000, times: 1 });

      const error = await failure(impatient.getCurrentUser());
      await impatient.close();

      expect(error.kind).toBe('timeout');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe('Zammad did not answer GET /users/me in time: no response within 200 ms.');
    });
  });

  describe('read retries', () => {
    it('repeats a GET after a 503', async () => {
      fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'error', status: 503, times: 2 });

      const user = await client.getCurrentUser();

      expect(user.id).toBe(2);
      expect(fake.requests.list({ path: '/api/v1/users/me' })).toHaveLength(3);
    });

    it('gives up after the last attempt', async () => {
      fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'error', status: 503 });

      const error = await failure(client.getCurrentUser());

      expect(error.status).toBe(503);
      expect(fake.requests.list({ path: '/api/v1/users/me' })).toHaveLength(3);
    });

    it('waits for Retry-After of a 429', async () => {
      fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'error', status: 429, retryAfterSeconds: 1, times: 1 });
      const started = Date.now();

      await client.getCurrentUser();

      const [first, second] = fake.requests.list({ path: '/api/v1/users/me' });
      expect(first.status).toBe(429);
      expect(second.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('reports a Retry-After longer than it waits', async () => {
      fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'error', status: 429, retryAfterSeconds: 60, times: 1 });

      const error = await failure(client.getCurrentUser());

      expect(error.retryable).toBe(true);
      expect(error.retryAfterSeconds).toBe(60);
      expect(error.remoteMessage).toBe('Retry later');
      expect(fake.requests.list({ path: '/api/v1/users/me' })).toHaveLength(1);
    });

    it('repeats a GET after a dropped connection', async () => {
      fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'drop-before-handling', times: 1 });

      const user = await client.getCurrentUser();

      expect(user.id).toBe(2);
    });

    it('does not repeat a client error', async () => {
      await failure(client.getTicket(999));

      expect(fake.requests.list({ path: '/api/v1/tickets/999' })).toHaveLength(1);
    });
  });
});

describe('apiUrlOf', () => {
  it('appends the API path', () => {
    expect(apiUrlOf('https://zammad.example.com/')).toBe('https://zammad.example.com/api/v1');
  });

  it('keeps a URL that has the API path', () => {
    expect(apiUrlOf('https://zammad.example.com/api/v1/')).toBe('https://zammad.example.com/api/v1');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('120')).toBe(120);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', new Date('2015-10-21T07:28:00Z'))).toBe(30);
  });

  it('ignores an invalid value', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
