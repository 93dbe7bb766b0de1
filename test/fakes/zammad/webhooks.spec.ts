import { createHmac } from 'node:crypto';

import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture, tokenHeader } from './spec-support/api-client';
import { type WebhookReceiver, startWebhookReceiver } from './spec-support/webhook-receiver';

const SECRET = 'webhook-secret';

const NEW_TICKET = {
  title: 'VPN <down> & out',
  group: 'Users',
  customer_id: 4,
  article: {
    body: 'Connection times out.',
    type: 'note',
    attachments: [{ filename: 'log.txt', data: Buffer.from('log').toString('base64'), 'mime-type': 'text/plain' }],
  },
};

describe('fake Zammad webhooks', () => {
  let fake: FakeZammad;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    fake = await startFakeZammad({ settings: { webhookRetryDelaysMs: [20, 40, 60, 80] } });
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

  async function registerWebhook(body: Record<string, unknown> = {}): Promise<void> {
    const response = await callApi(fake, 'POST', '/api/v1/webhooks', {
      body: { name: 'Deskbridge', endpoint: receiver.url, signature_token: SECRET, ssl_verify: false, active: true, ...body },
    });
    expect(response.status).toBe(201);
  }

  it('registers, lists and deletes webhooks through the REST API', async () => {
    await registerWebhook();

    const list = await callApi(fake, 'GET', '/api/v1/webhooks');
    const removed = await callApi(fake, 'DELETE', '/api/v1/webhooks/1');
    const after = await callApi(fake, 'GET', '/api/v1/webhooks/1');

    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ id: 1, name: 'Deskbridge', endpoint: receiver.url, signature_token: SECRET, active: true });
    expect(removed.status).toBe(200);
    expect(after.status).toBe(404);
  });

  it('refuses webhook administration to agents', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/webhooks', { authorization: tokenHeader(fake.tokens.agent) });

    expect(response.status).toBe(403);
  });

  it('refuses endpoints off this machine', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/webhooks', {
      body: { name: 'x', endpoint: 'http://example.com/hook' },
    });

    expect(response.status).toBe(422);
    expect(response.json.error).toContain('only delivers to 127.0.0.1');
  });

  it('delivers a ticket create with Zammad headers and a valid signature', async () => {
    await registerWebhook();

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const [delivery] = await receiver.waitFor(1);

    const expected = `sha1=${createHmac('sha1', SECRET).update(delivery.body).digest('hex')}`;
    expect(delivery.headers['x-hub-signature']).toBe(expected);
    expect(delivery.headers['x-zammad-trigger']).toBe('Deskbridge');
    expect(delivery.headers['x-zammad-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(delivery.headers['user-agent']).toBe('Zammad User Agent');
    expect(delivery.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('escapes HTML characters in the raw body as Rails does', async () => {
    await registerWebhook();

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const [delivery] = await receiver.waitFor(1);

    expect(delivery.text).toContain('"title":"VPN \\u003cdown\\u003e \\u0026 out"');
    expect((delivery.json as { ticket: { title: string } }).ticket.title).toBe('VPN <down> & out');
  });

  it('sends the default trigger payload shape', async () => {
    await registerWebhook();

    fake.agent.createTicket({
      title: 'Webhook-Test',
      body: 'This is a simple Webhook Test.',
      attachments: [{ filename: 'log.txt', text: 'log', mimeType: 'text/plain' }],
    });
    const [delivery] = await receiver.waitFor(1);
    const payload = delivery.json as { ticket: Record<string, any>; article: Record<string, any> };
    const fixture = readFixture('webhook-trigger-default-payload.json');

    expect(Object.keys(payload)).toEqual(['ticket', 'article']);
    expect(Object.keys(payload.ticket)).toEqual(expect.arrayContaining(Object.keys(fixture.ticket)));
    expect(Object.keys(payload.article)).toEqual(expect.arrayContaining(Object.keys(fixture.article)));
    expect(Object.keys(payload.ticket)).toEqual([...Object.keys(payload.ticket)].sort());
    expect(Object.keys(payload.ticket.customer)).toEqual(expect.arrayContaining(Object.keys(fixture.ticket.customer)));
    expect(Object.keys(payload.ticket.group)).toEqual(expect.arrayContaining(['id', 'name', 'user_ids', 'users']));
    expect(payload.ticket.customer.preferences).toBeUndefined();
    expect(payload.ticket.customer.group_ids).toBeUndefined();
    expect(payload.ticket.state).toBe('new');
    expect(payload.ticket.priority.name).toBe('2 normal');
    expect(payload.ticket.owner.login).toBe('-');
    expect(payload.article.attachments[0].size).toBe('3');
    expect(payload.article.attachments[0].url).toBe(`${fake.url}/api/v1/ticket_attachment/1/1/1`);
    expect(payload.article.accounted_time).toBe(0);
  });

  it('sends an empty article for a change without one', async () => {
    await registerWebhook();
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await receiver.waitFor(1);

    await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { state: 'open' } });
    const deliveries = await receiver.waitFor(2);

    const payload = deliveries[1].json as { ticket: { state: string; updated_by_id: number }; article: unknown };
    expect(payload.ticket.state).toBe('open');
    expect(payload.article).toEqual({});
    expect(deliveries[1].headers['x-zammad-delivery']).not.toBe(deliveries[0].headers['x-zammad-delivery']);
  });

  it('sends nothing for an update that changes nothing', async () => {
    await registerWebhook();
    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await receiver.waitFor(1);

    await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { title: NEW_TICKET.title } });
    await fake.webhooks.waitForIdle();

    expect(receiver.received).toHaveLength(1);
  });

  it('delivers the changes of the integration and of the agent', async () => {
    await registerWebhook();
    const actions: Array<() => unknown> = [
      () => callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET }),
      () => callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: 1, body: 'from Deskbridge', internal: true } }),
      () => fake.agent.reply(1, { body: 'Please restart the router.' }),
      () => fake.agent.note(1, { body: 'Customer called.' }),
      () => fake.agent.setState(1, 'closed'),
      () => fake.agent.attachFile(1, { filename: 'fix.txt', text: 'steps', mimeType: 'text/plain' }),
    ];

    for (const [index, action] of actions.entries()) {
      await action();
      await receiver.waitFor(index + 1);
    }

    const summary = receiver.received.map((delivery) => {
      const payload = delivery.json as { ticket: { updated_by_id: number }; article: { id?: number; internal?: boolean } };
      return [payload.ticket.updated_by_id, payload.article.id ?? null, payload.article.internal ?? null];
    });
    expect(summary).toEqual([
      [2, 1, false],
      [2, 2, true],
      [3, 3, false],
      [3, 4, true],
      [3, null, null],
      [3, 5, false],
    ]);
  });

  it('retries a failing receiver with the same delivery id', async () => {
    await registerWebhook();
    receiver.respondWith([500, 404, 503, 500]);

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const deliveries = await receiver.waitFor(5);
    await fake.webhooks.waitForIdle();

    expect(new Set(deliveries.map((delivery) => delivery.headers['x-zammad-delivery'])).size).toBe(1);
    expect(fake.webhooks.deliveries()[0].state).toBe('delivered');
    expect(fake.webhooks.deliveries()[0].attempts.map((attempt) => attempt.status)).toEqual([500, 404, 503, 500, 200]);
  });

  it('gives up after five attempts', async () => {
    await registerWebhook();
    receiver.respondWith([500, 500, 500, 500, 500, 500]);

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await receiver.waitFor(5);
    await fake.webhooks.waitForIdle();

    expect(receiver.received).toHaveLength(5);
    expect(fake.webhooks.deliveries()[0].state).toBe('failed');
  });

  it('waits longer before each retry', async () => {
    await registerWebhook();
    receiver.respondWith([500, 500, 500, 500]);

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const deliveries = await receiver.waitFor(5);

    const gaps = deliveries.slice(1).map((delivery, index) => delivery.receivedAt - deliveries[index].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(55);
    expect(gaps[3]).toBeGreaterThanOrEqual(75);
  });

  it('sends no signature without a token', async () => {
    await registerWebhook({ signature_token: '' });

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const [delivery] = await receiver.waitFor(1);

    expect(delivery.headers['x-hub-signature']).toBeUndefined();
  });

  it('sends nothing to inactive webhooks', async () => {
    await registerWebhook({ active: false });

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await fake.webhooks.waitForIdle();

    expect(receiver.received).toHaveLength(0);
  });

  it('uses the trigger name given on registration', async () => {
    fake.webhooks.register({ endpoint: receiver.url, triggerName: 'Deskbridge sync' });

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    const [delivery] = await receiver.waitFor(1);

    expect(delivery.headers['x-zammad-trigger']).toBe('Deskbridge sync');
  });

  it('freezes the payload at the change when configured', async () => {
    fake.configure({ webhookPayloadTiming: 'event' });
    fake.webhooks.register({ endpoint: receiver.url });
    fake.webhooks.hold();

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { title: 'renamed' } });
    await fake.webhooks.release('original');

    const titles = receiver.received.map((delivery) => (delivery.json as { ticket: { title: string } }).ticket.title);
    expect(titles).toEqual([NEW_TICKET.title, 'renamed']);
  });

  it('builds the payload at send time by default', async () => {
    fake.webhooks.register({ endpoint: receiver.url });
    fake.webhooks.hold();

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await callApi(fake, 'PUT', '/api/v1/tickets/1', { body: { title: 'renamed' } });
    await fake.webhooks.release('original');

    const titles = receiver.received.map((delivery) => (delivery.json as { ticket: { title: string } }).ticket.title);
    expect(titles).toEqual(['renamed', 'renamed']);
  });

  it('discards deliveries of a deleted ticket', async () => {
    fake.webhooks.register({ endpoint: receiver.url });
    fake.webhooks.hold();

    await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
    await callApi(fake, 'DELETE', '/api/v1/tickets/1');
    await fake.webhooks.release();

    expect(receiver.received).toHaveLength(0);
    expect(fake.webhooks.deliveries()[0].state).toBe('discarded');
  });
});
