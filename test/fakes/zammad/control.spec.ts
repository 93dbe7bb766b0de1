import { type FakeZammad, startFakeZammad } from './server';
import { callApi } from './spec-support/api-client';
import { type WebhookReceiver, startWebhookReceiver } from './spec-support/webhook-receiver';

interface ControlResponse {
  status: number;
  json: any;
}

async function control(fake: FakeZammad, method: string, path: string, body?: unknown): Promise<ControlResponse> {
  const response = await fetch(`${fake.url}/__fake${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('fake Zammad control API', () => {
  let fake: FakeZammad;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    receiver = await startWebhookReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('lists its routes', async () => {
    const response = await control(fake, 'GET', '/');

    expect(response.json.routes).toContain('POST /__fake/reset');
  });

  it('records API requests with raw bodies but not control requests', async () => {
    const body = '{"title":"Logged","group":"Users","customer_id":4}';
    await callApi(fake, 'POST', '/api/v1/tickets?expand=true', { body });
    await control(fake, 'GET', '/tickets');

    const response = await control(fake, 'GET', '/requests');

    expect(response.json).toHaveLength(1);
    expect(response.json[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/tickets',
      url: '/api/v1/tickets?expand=true',
      query: { expand: 'true' },
      status: 201,
      bodyText: body,
      bodyBase64: Buffer.from(body).toString('base64'),
    });
    expect(response.json[0].headers.authorization).toBe('Token token=fake-zammad-token');
  });

  it('filters and clears the request log', async () => {
    await callApi(fake, 'GET', '/api/v1/users/me');
    await callApi(fake, 'GET', '/api/v1/groups');

    const filtered = await control(fake, 'GET', '/requests?method=GET&path=/api/v1/groups');
    await control(fake, 'DELETE', '/requests');

    expect(filtered.json.map((entry: { path: string }) => entry.path)).toEqual(['/api/v1/groups']);
    expect(fake.requests.list()).toEqual([]);
  });

  it('acts as the agent and sends webhooks', async () => {
    await control(fake, 'POST', '/webhooks', { endpoint: receiver.url, signatureToken: 's3cret' });
    const created = await control(fake, 'POST', '/agent/tickets', { title: 'Phone call', body: 'Printer broken' });
    const ticketId = created.json.ticket.id;

    const reply = await control(fake, 'POST', `/agent/tickets/${ticketId}/reply`, { body: '<p>Restart it.</p>' });
    const note = await control(fake, 'POST', `/agent/tickets/${ticketId}/note`, { body: 'Asked to restart.' });
    const state = await control(fake, 'POST', `/agent/tickets/${ticketId}/state`, { state: 'pending close' });
    const file = await control(fake, 'POST', `/agent/tickets/${ticketId}/attachments`, {
      filename: 'manual.pdf',
      data: Buffer.from('%PDF-1.4').toString('base64'),
      mimeType: 'application/pdf',
    });
    await receiver.waitFor(5);

    expect(created.status).toBe(201);
    expect(created.json.article.sender).toBe('Customer');
    expect(created.json.article.origin_by).toBe('nicole.braun@example.com');
    expect(reply.json).toMatchObject({ type: 'email', internal: false, sender: 'Agent', to: 'nicole.braun@example.com' });
    expect(note.json).toMatchObject({ type: 'note', internal: true, created_by: 'emma@example.com' });
    expect(state.json.state).toBe('pending close');
    expect(state.json.pending_time).not.toBeNull();
    expect(file.json.attachments[0]).toMatchObject({ filename: 'manual.pdf', size: '8' });
    expect(receiver.received).toHaveLength(5);
  });

  it('acts as another user when asked', async () => {
    const created = await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y' });

    const reply = await control(fake, 'POST', `/customer/tickets/${created.json.ticket.id}/reply`, { body: 'Thanks' });
    const note = await control(fake, 'POST', `/agent/tickets/${created.json.ticket.id}/note`, {
      body: 'by integration',
      as: 'deskbridge@example.com',
    });

    expect(reply.json).toMatchObject({ sender: 'Customer', type: 'web', created_by: 'nicole.braun@example.com' });
    expect(note.json.created_by_id).toBe(2);
  });

  it('adds system articles', async () => {
    const created = await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y' });

    const article = await control(fake, 'POST', `/system/tickets/${created.json.ticket.id}/articles`, { body: 'Auto reply' });

    expect(article.json).toMatchObject({ sender: 'System', created_by: '-' });
  });

  it('reads stored tickets, articles and attachments directly', async () => {
    const created = await control(fake, 'POST', '/agent/tickets', {
      title: 'Stored',
      body: 'body',
      attachments: [{ filename: 'a.bin', data: Buffer.from([1, 2, 3]).toString('base64') }],
    });
    await control(fake, 'POST', `/agent/tickets/${created.json.ticket.id}/note`, { body: 'internal' });

    const ticket = await control(fake, 'GET', `/tickets/${created.json.ticket.id}`);
    const article = await control(fake, 'GET', '/articles/2');
    const bytes = Buffer.from(await (await fetch(`${fake.url}/__fake/attachments/1`)).arrayBuffer());

    expect(ticket.json.ticket.title).toBe('Stored');
    expect(ticket.json.articles.map((entry: { internal: boolean }) => entry.internal)).toEqual([false, true]);
    expect(article.json.body).toBe('internal');
    expect([...bytes]).toEqual([1, 2, 3]);
  });

  it('lists e-mails an agent reply would send', async () => {
    const created = await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y' });
    await control(fake, 'POST', `/agent/tickets/${created.json.ticket.id}/reply`, { body: 'Hello' });

    const emails = await control(fake, 'GET', '/emails');

    expect(emails.json).toEqual([expect.objectContaining({ to: 'nicole.braun@example.com', from: 'Emma Taylor via <support@example.com>' })]);
  });

  it('changes settings and rejects unknown ones', async () => {
    const changed = await control(fake, 'PATCH', '/settings', { searchMode: 'elasticsearch' });
    const unknown = await control(fake, 'PATCH', '/settings', { colour: 'blue' });
    const wrongType = await control(fake, 'PATCH', '/settings', { searchDelayMs: 'soon' });

    expect(changed.json.searchMode).toBe('elasticsearch');
    expect(unknown.status).toBe(400);
    expect(wrongType.status).toBe(400);
  });

  it('sets the search delay', async () => {
    const response = await control(fake, 'POST', '/search-delay', { ms: 2500, includeConditionSearch: true });

    expect(response.json.searchDelayMs).toBe(2500);
    expect(fake.settings.searchDelayIncludesConditionSearch).toBe(true);
  });

  it('sets and advances the clock', async () => {
    await control(fake, 'POST', '/clock', { now: '2030-05-01T12:00:00Z' });
    const advanced = await control(fake, 'POST', '/clock', { advanceMs: 1500 });
    const created = await callApi(fake, 'POST', '/api/v1/tickets', { body: { title: 't', group: 'Users', customer_id: 4 } });

    expect(advanced.json).toEqual({ now: '2030-05-01T12:00:01.500Z', manual: true });
    expect(created.json.created_at).toBe('2030-05-01T12:00:01.500Z');
  });

  it('waits for deliveries and lists them', async () => {
    fake.webhooks.register({ endpoint: receiver.url });
    await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y' });

    const deliveries = await control(fake, 'POST', '/webhook-deliveries/wait', { timeoutMs: 2000 });

    expect(deliveries.json).toHaveLength(1);
    expect(deliveries.json[0]).toMatchObject({ state: 'delivered', ticketId: 1, articleId: 1, triggerName: 'Deskbridge' });
    expect(deliveries.json[0].attempts[0].headers['X-Zammad-Delivery']).toBe(deliveries.json[0].deliveryId);
  });

  it('resets data, logs and webhooks', async () => {
    fake.webhooks.register({ endpoint: receiver.url });
    await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y' });
    await callApi(fake, 'GET', '/api/v1/users/me');

    await control(fake, 'POST', '/reset');

    expect(fake.data.tickets()).toEqual([]);
    expect(fake.requests.list()).toEqual([]);
    expect(fake.webhooks.list()).toEqual([]);
    expect(fake.webhooks.deliveries()).toEqual([]);
  });

  it('returns 404 for unknown routes', async () => {
    const response = await control(fake, 'GET', '/nothing');

    expect(response.status).toBe(404);
    expect(fake.requests.list()).toEqual([]);
  });

  it('rejects an unknown acting user', async () => {
    const response = await control(fake, 'POST', '/agent/tickets', { title: 'x', body: 'y', as: 'ghost@example.com' });

    expect(response.status).toBe(400);
    expect(response.json.error).toContain('Unknown user "ghost@example.com"');
  });
});
