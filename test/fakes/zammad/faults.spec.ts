import { type FakeZammad, startFakeZammad } from './server';
import { callApi } from './spec-support/api-client';
import { type WebhookReceiver, startWebhookReceiver } from './spec-support/webhook-receiver';

const NEW_TICKET = { title: 'Faulty', group: 'Users', customer_id: 4, article: { body: 'x', type: 'note' } };

async function control(fake: FakeZammad, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${fake.url}/__fake${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

describe('fake Zammad faults', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad({ settings: { webhookRetryDelaysMs: [20, 20, 20, 20] } });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  describe('HTTP', () => {
    it('returns an injected status and body', async () => {
      await control(fake, 'POST', '/faults', { method: 'GET', path: '/api/v1/tickets/:id', kind: 'error', status: 503, times: 1 });

      const faulted = await callApi(fake, 'GET', '/api/v1/tickets/1');
      const next = await callApi(fake, 'GET', '/api/v1/tickets/1');

      expect(faulted.status).toBe(503);
      expect(faulted.json).toEqual({ error: 'Service Unavailable', error_human: 'Service Unavailable' });
      expect(next.status).toBe(404);
    });

    it('keeps an unlimited fault until cleared', async () => {
      fake.faults.add({ path: '/api/v1/users/me', kind: 'error', status: 500, message: 'boom' });

      const first = await callApi(fake, 'GET', '/api/v1/users/me');
      const second = await callApi(fake, 'GET', '/api/v1/users/me');
      fake.faults.clear();
      const cleared = await callApi(fake, 'GET', '/api/v1/users/me');

      expect(first.json.error).toBe('boom');
      expect(second.status).toBe(500);
      expect(cleared.status).toBe(200);
    });

    it('matches the method of a rule', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'error', status: 409 });

      const read = await callApi(fake, 'GET', '/api/v1/tickets');
      const write = await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });

      expect(read.status).toBe(200);
      expect(write.status).toBe(409);
    });

    it('sends an HTML page for proxy errors', async () => {
      fake.faults.add({ path: '/api/v1/**', kind: 'error', status: 502, times: 1 });

      const response = await callApi(fake, 'GET', '/api/v1/tickets');

      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.text).toContain('<h1>502</h1>');
    });

    it('returns 429 as text with Retry-After', async () => {
      fake.faults.add({ path: '/api/v1/tickets', kind: 'error', status: 429, retryAfterSeconds: 7, times: 1 });

      const response = await callApi(fake, 'GET', '/api/v1/tickets');

      expect(response.status).toBe(429);
      expect(response.text).toBe('Retry later\n');
      expect(response.headers.get('retry-after')).toBe('7');
    });

    it('adds latency before handling', async () => {
      await control(fake, 'POST', '/faults', { path: '/api/v1/users/me', kind: 'latency', latencyMs: 150, times: 1 });

      const started = Date.now();
      const response = await callApi(fake, 'GET', '/api/v1/users/me');

      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('drops the connection after committing the write', async () => {
      const receiver = await startWebhookReceiver();
      fake.webhooks.register({ endpoint: receiver.url });
      await control(fake, 'POST', '/faults', { method: 'POST', path: '/api/v1/tickets', kind: 'drop-after-commit', times: 1 });

      const failure = await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET }).catch((error: Error) => error);
      await receiver.waitFor(1);
      await receiver.close();

      expect(failure).toHaveProperty('message', 'fetch failed');
      expect(fake.data.tickets().map((ticket) => ticket.title)).toEqual(['Faulty']);
      expect(fake.requests.list({ method: 'POST', path: '/api/v1/tickets' })[0]).toMatchObject({
        status: 201,
        dropped: true,
        fault: 'drop-after-commit',
      });
    });

    it('drops the connection before handling', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'drop-before-handling', times: 1 });

      const failure = await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET }).catch((error: Error) => error);

      expect(failure).toHaveProperty('message', 'fetch failed');
      expect(fake.data.tickets()).toEqual([]);
    });

    it('lists and removes rules through the control API', async () => {
      const rule = await control(fake, 'POST', '/faults', { path: '/api/v1/groups', kind: 'error', status: 500 });

      const listed = await control(fake, 'GET', '/faults');
      const removed = await control(fake, 'DELETE', `/faults/${rule.id}`);

      expect(listed).toEqual([expect.objectContaining({ id: rule.id, path: '/api/v1/groups', remaining: null })]);
      expect(removed).toEqual({ removed: true });
      expect(fake.faults.list()).toEqual([]);
    });

    it('rejects a rule without a kind', async () => {
      const response = await fetch(`${fake.url}/__fake/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: '/api/v1/tickets' }),
      });

      expect(response.status).toBe(400);
    });
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;

    beforeEach(async () => {
      receiver = await startWebhookReceiver();
      fake.webhooks.register({ endpoint: receiver.url, signatureToken: 'secret' });
    });

    afterEach(async () => {
      await receiver.close();
    });

    it('duplicates a delivery with the same id and body', async () => {
      await control(fake, 'POST', '/webhook-faults', { kind: 'duplicate', times: 1 });

      await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
      const [first, second] = await receiver.waitFor(2);

      expect(second.headers['x-zammad-delivery']).toBe(first.headers['x-zammad-delivery']);
      expect(second.headers['x-hub-signature']).toBe(first.headers['x-hub-signature']);
      expect(second.body.equals(first.body)).toBe(true);
    });

    it('fails the first attempts without sending them', async () => {
      fake.webhooks.addFault({ kind: 'fail-attempts', attempts: 4, times: 1 });

      await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
      await receiver.waitFor(1);
      await fake.webhooks.waitForIdle();

      const [delivery] = fake.webhooks.deliveries();
      expect(receiver.received).toHaveLength(1);
      expect(delivery.attempts.map((attempt) => attempt.sent)).toEqual([false, false, false, false, true]);
      expect(delivery.state).toBe('delivered');
    });

    it('fails every attempt when all five are faulted', async () => {
      fake.webhooks.addFault({ kind: 'fail-attempts', attempts: 5, sendToReceiver: true, times: 1 });

      await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
      await receiver.waitFor(5);
      await fake.webhooks.waitForIdle();

      expect(new Set(receiver.received.map((request) => request.headers['x-zammad-delivery'])).size).toBe(1);
      expect(fake.webhooks.deliveries()[0].state).toBe('failed');
    });

    it('sends faulted attempts whose responses are ignored', async () => {
      fake.webhooks.addFault({ kind: 'fail-attempts', attempts: 2, sendToReceiver: true });

      await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
      await receiver.waitFor(3);
      await fake.webhooks.waitForIdle();

      expect(receiver.received).toHaveLength(3);
      expect(fake.webhooks.deliveries()[0].attempts.map((attempt) => attempt.succeeded)).toEqual([false, false, true]);
    });

    it('releases held deliveries in reverse order', async () => {
      await control(fake, 'POST', '/webhook-deliveries/hold');
      await callApi(fake, 'POST', '/api/v1/tickets', { body: NEW_TICKET });
      await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: 1, body: 'second' } });
      await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: 1, body: 'third' } });
      await fake.webhooks.waitForIdle();
      const heldCount = receiver.received.length;

      const released = await control(fake, 'POST', '/webhook-deliveries/release', { order: 'reverse' });

      const articleIds = receiver.received.map((request) => (request.json as { article: { id: number } }).article.id);
      expect(heldCount).toBe(0);
      expect(articleIds).toEqual([3, 2, 1]);
      expect(released.map((delivery: { articleId: number }) => delivery.articleId)).toEqual([3, 2, 1]);
    });

    it('lists and clears webhook faults through the control API', async () => {
      await control(fake, 'POST', '/webhook-faults', { kind: 'fail-attempts', attempts: 1 });

      const listed = await control(fake, 'GET', '/webhook-faults');
      await control(fake, 'DELETE', '/webhook-faults');

      expect(listed).toEqual([{ id: 1, kind: 'fail-attempts', attempts: 1, sendToReceiver: false, remaining: null }]);
      expect(fake.webhooks.faults()).toEqual([]);
    });
  });
});
