import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture, tokenHeader } from './spec-support/api-client';

const NEW_TICKET = {
  title: 'VPN not reachable',
  group: 'Users',
  customer_id: 4,
  priority: '2 normal',
  state: 'new',
  tags: 'waldur,vpn',
  article: {
    subject: 'Task description',
    body: 'Connection times out since 09:00.',
    type: 'note',
    internal: false,
    attachments: [{ filename: 'log.txt', data: Buffer.from('timeout\n').toString('base64'), 'mime-type': 'text/plain' }],
  },
};

describe('fake Zammad tickets', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('creates a ticket with its first article and attachment', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    expect(response.status).toBe(201);
    expect(response.json.id).toBe(1);
    expect(response.json.number).toBe('77001');
    expect(response.json.title).toBe('VPN not reachable');
    expect(response.json.customer_id).toBe(4);
    expect(response.json.organization_id).toBe(1);
    expect(response.json.article_ids).toEqual([1]);
    expect(response.json.article_count).toBe(1);
    expect(response.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const articles = fake.data.articles(1);
    expect(articles).toHaveLength(1);
    expect(articles[0].attachments).toEqual([
      { id: 1, filename: 'log.txt', size: '8', preferences: { 'Mime-Type': 'text/plain' } },
    ]);
    expect(fake.data.ticket(1)?.tags).toEqual(['waldur', 'vpn']);
  });

  it('returns create with real keys', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    expect(Object.keys(response.json)).toEqual(Object.keys(readFixture('ticket-create-response.json')));
  });

  it('shows a ticket without names unless expanded', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const plain = await callApi(fake, 'GET', '/api/v1/tickets/1');
    const expanded = await callApi(fake, 'GET', '/api/v1/tickets/1?expand=true');

    expect(Object.keys(plain.json)).toEqual(Object.keys(readFixture('ticket-get-no-expand.json')));
    expect(plain.json.state).toBeUndefined();
    expect(Object.keys(expanded.json)).toEqual(Object.keys(readFixture('ticket-list-expand-true.json')[0]));
    expect(expanded.json.state).toBe('new');
    expect(expanded.json.priority).toBe('2 normal');
    expect(expanded.json.group).toBe('Users');
    expect(expanded.json.owner).toBe('-');
    expect(expanded.json.customer).toBe('nicole.braun@example.com');
    expect(expanded.json.organization).toBe('Zammad Foundation');
    expect(expanded.json.create_article_type).toBe('note');
    expect(expanded.json.create_article_sender).toBe('Agent');
  });

  it('returns the ticket zoom bundle for all=true', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const response = await callApi(fake, 'GET', '/api/v1/tickets/1?all=true');

    expect(response.json.ticket_id).toBe(1);
    expect(response.json.ticket_article_ids).toEqual([1]);
    expect(response.json.tags).toEqual(['waldur', 'vpn']);
    expect(response.json.assets.Ticket['1'].title).toBe('VPN not reachable');
  });

  it('accepts ids sent as strings', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', {
      body: { ...NEW_TICKET, group: undefined, group_id: '2', customer_id: '5', priority_id: '3' },
    });

    expect(response.status).toBe(201);
    expect(response.json.group_id).toBe(2);
    expect(response.json.customer_id).toBe(5);
    expect(response.json.priority_id).toBe(3);
    expect((await callApi(fake, 'GET', '/api/v1/tickets/1')).json.id).toBe(1);
    expect((await callApi(fake, 'GET', '/api/v1/tickets/%221%22')).status).toBe(404);
  });

  it('creates a missing customer for guess: e-mails', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', {
      body: { ...NEW_TICKET, customer_id: 'guess:jane@example.com' },
    });

    expect(response.status).toBe(201);
    const customer = await callApi(fake, 'GET', `/api/v1/users/${response.json.customer_id}`);
    expect(customer.json.email).toBe('jane@example.com');
    expect(customer.json.login).toBe('jane@example.com');
    expect(customer.json.role_ids).toEqual([3]);
  });

  it('rejects an invalid guess: e-mail with an error-only body', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, customer_id: 'guess:nope' } });

    expect(response.status).toBe(422);
    expect(response.json).toEqual({ error: "Invalid email 'nope' of customer" });
  });

  it('rejects an unknown group name', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, group: 'Nowhere' } });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe('No lookup value found for \'group\': "Nowhere"');
    expect(fake.data.tickets()).toHaveLength(0);
  });

  it('rejects a ticket without a title', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, title: '' } });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe("Missing required value for field 'title'!");
  });

  it('stores nothing when the first article is invalid', async () => {
    const article = { ...NEW_TICKET.article, attachments: [{ filename: 'a.txt', data: 'aGk=' }] };
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, article } });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe("Attachment needs 'mime-type' param for attachment with index '0'");
    expect(fake.data.tickets()).toHaveLength(0);
  });

  it('updates state, priority, title and owner', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const response = await callApi(fake, 'PUT', '/api/v1/tickets/1?expand=true', {
      body: { state: 'open', priority_id: 3, title: 'VPN down', owner: 'emma@example.com', number: '99999' },
    });

    expect(response.status).toBe(200);
    expect(response.json.state).toBe('open');
    expect(response.json.priority).toBe('3 high');
    expect(response.json.title).toBe('VPN down');
    expect(response.json.owner_id).toBe(3);
    expect(response.json.number).toBe('77001');
    expect(response.json.last_owner_update_at).not.toBeNull();
  });

  it('sets close_at when the state is closed', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const response = await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { state_id: 4 } });

    expect(response.json.state_id).toBe(4);
    expect(response.json.close_at).not.toBeNull();
  });

  it('requires pending_time for pending states', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const without = await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { state: 'pending reminder' } });
    const withTime = await callApi(fake, 'PUT', '/api/v1/tickets/1', {
      body: { state: 'pending reminder', pending_time: '2030-02-01T08:00:00Z' },
    });

    expect(without.status).toBe(422);
    expect(without.json.error).toBe("Missing required value for field 'pending_time'!");
    expect(withTime.status).toBe(200);
    expect(withTime.json.pending_time).toBe('2030-02-01T08:00:00.000Z');
  });

  it('adds an article through ticket update', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const response = await callApi(fake, 'PUT', '/api/v1/tickets/1', {
      body: { article: { body: 'Restarted the router.', internal: true } },
    });

    expect(response.json.article_ids).toEqual([1, 2]);
    expect(fake.data.article(2)?.internal).toBe(true);
  });

  it('lets only admins delete tickets', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    const byAgent = await callApi(fake, 'DELETE', '/api/v1/tickets/1', { authorization: tokenHeader(fake.tokens.agent) });
    const byAdmin = await callApi(fake, 'DELETE', '/api/v1/tickets/1');
    const afterwards = await callApi(fake, 'GET', '/api/v1/tickets/1');

    expect(byAgent.status).toBe(403);
    expect(byAgent.json.error).toBe('Not authorized');
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.text).toBe('');
    expect(afterwards.status).toBe(404);
    expect(afterwards.json.error).toBe("Couldn't find Ticket with 'id'=1");
  });

  it('lists tickets by id with paging', async () => {
    for (const title of ['one', 'two', 'three']) {
      await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, title } });
    }

    const first = await callApi(fake, 'GET', '/api/v1/tickets?page=1&per_page=2');
    const second = await callApi(fake, 'GET', '/api/v1/tickets?page=2&per_page=2&expand=true');

    expect(first.json.map((ticket: { title: string }) => ticket.title)).toEqual(['one', 'two']);
    expect(second.json.map((ticket: { title: string }) => ticket.title)).toEqual(['three']);
    expect(second.json[0].state).toBe('new');
  });

  it('shows customers only their own tickets', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, customer_id: 5 } });
    const customer = tokenHeader(fake.tokens.customer);

    const list = await callApi(fake, 'GET', '/api/v1/tickets', { authorization: customer });
    const other = await callApi(fake, 'GET', '/api/v1/tickets/2', { authorization: customer });

    expect(list.json.map((ticket: { id: number }) => ticket.id)).toEqual([1]);
    expect(other.status).toBe(403);
  });

  it('keeps configured custom attributes', async () => {
    fake.configure({ customTicketAttributes: ['deskbridge_origin'] });

    const created = await callApi(fake, 'POST', '/api/v1/tickets', { body: { ...NEW_TICKET, deskbridge_origin: 'issue-1' } });
    const shown = await callApi(fake, 'GET', '/api/v1/tickets/1');

    expect(created.json.deskbridge_origin).toBe('issue-1');
    expect(shown.json.deskbridge_origin).toBe('issue-1');
  });

  it('adds and removes tags', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

    await callApi(fake, 'POST', '/api/v1/tags/add', { body: { object: 'Ticket', o_id: 1, item: 'sync' } });
    await callApi(fake, 'DELETE', '/api/v1/tags/remove', { body: { object: 'Ticket', o_id: '1', item: 'vpn' } });
    const tags = await callApi(fake, 'GET', '/api/v1/tags?object=Ticket&o_id=1');

    expect(tags.json).toEqual({ tags: ['waldur', 'sync'] });
  });
});
