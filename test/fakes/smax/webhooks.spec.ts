import { FakeSmax, startFakeSmax } from './fake-smax';
import { bulk, callSmax, createRequest, loginAs } from './smax-test-client';
import { WebhookReceiver } from './webhook-receiver';

describe('fake SMAX change notifications', () => {
  let fake: FakeSmax;
  let receiver: WebhookReceiver;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeSmax();
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  beforeEach(async () => {
    fake.reset();
    receiver.reset();
    fake.configure({ webhookRetryDelayMs: 10 });
    token = await loginAs(fake);
  });

  it('posts {"id"} with the shared secret on create', async () => {
    fake.addWebhookTarget({ url: receiver.url, secret: 's3cret', secretHeader: 'X-Deskbridge-Secret' });

    const id = await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.received).toHaveLength(1);
    const [webhook] = receiver.received;
    expect(JSON.parse(webhook.body)).toEqual({ id });
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(webhook.headers['x-deskbridge-secret']).toBe('s3cret');
  });

  it('uses the default secret header', async () => {
    fake.addWebhookTarget({ url: receiver.url, secret: 'abc' });

    await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.received[0].headers['x-smax-webhook-secret']).toBe('abc');
  });

  it('sends no secret header without a secret', async () => {
    fake.addWebhookTarget({ url: receiver.url });

    await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.received[0].headers).not.toHaveProperty('x-smax-webhook-secret');
  });

  it('notifies on every Request change by anyone', async () => {
    const id = await createRequest(fake, token);
    fake.addWebhookTarget({ url: receiver.url });

    await bulk(fake, token, { operation: 'UPDATE', entities: [{ entity_type: 'Request', properties: { Id: id, Urgency: 'High' } }] });
    await callSmax(fake, `/collaboration/comments/Request/${id}/`, { method: 'POST', token, json: { Body: 'x', PrivacyType: 'PUBLIC' } });
    fake.agent.comment(id, { body: '<p>Agent reply</p>', privacy: 'PUBLIC' });
    fake.agent.attach(id, { fileName: 'log.txt', content: Buffer.from('log') });
    fake.agent.setPhase(id, 'Close');
    await fake.waitForWebhooks();

    expect(receiver.ids()).toEqual([id, id, id, id, id]);
    expect(fake.webhookDeliveries().map((delivery) => delivery.changedBy)).toEqual([
      'smax-bot',
      'smax-bot',
      'smax-agent',
      'smax-agent',
      'smax-agent',
    ]);
  });

  it('does not notify for Person changes or failed writes', async () => {
    fake.addWebhookTarget({ url: receiver.url });

    await bulk(fake, token, { operation: 'UPDATE', entities: [{ entity_type: 'Person', properties: { Id: '10003', Upn: 'x' } }] });
    await bulk(fake, token, { operation: 'CREATE', entities: [{ entity_type: 'Request', properties: { DisplayLabel: 'no requester' } }] });
    await fake.waitForWebhooks();

    expect(receiver.received).toEqual([]);
  });

  it('sends a webhook on demand', async () => {
    fake.configure({ autoNotify: false });
    fake.addWebhookTarget({ url: receiver.url });
    const id = await createRequest(fake, token);
    await fake.waitForWebhooks();

    const deliveries = fake.sendWebhook(id);
    await fake.waitForWebhooks();

    expect(deliveries).toHaveLength(1);
    expect(receiver.ids()).toEqual([id]);
  });

  it('retries failed deliveries', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    receiver.respondWith(500, 503);

    await createRequest(fake, token);
    await fake.waitForWebhooks();

    const [delivery] = fake.webhookDeliveries();
    expect(receiver.received).toHaveLength(3);
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
  });

  it('gives up after the configured retries', async () => {
    fake.configure({ webhookRetries: 1 });
    fake.addWebhookTarget({ url: receiver.url });
    receiver.respondWith(500, 500, 500);

    await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.received).toHaveLength(2);
    expect(fake.webhookDeliveries()[0].state).toBe('failed');
  });

  it('records network errors of a delivery', async () => {
    fake.configure({ webhookRetries: 0 });
    const closed = await WebhookReceiver.start();
    const url = closed.url;
    await closed.close();
    fake.addWebhookTarget({ url });

    await createRequest(fake, token);
    await fake.waitForWebhooks();

    const [delivery] = fake.webhookDeliveries();
    expect(delivery.state).toBe('failed');
    expect(delivery.attempts[0].error).toContain('ECONNREFUSED');
  });

  it('duplicates the next delivery', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    fake.addWebhookFault({ kind: 'duplicate', times: 1 });

    const first = await createRequest(fake, token);
    const second = await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.ids().sort()).toEqual([first, first, second].sort());
    const duplicate = fake.webhookDeliveries().find((delivery) => delivery.duplicateOf !== undefined);
    expect(duplicate?.requestId).toBe(first);
  });

  it('duplicates every delivery without times', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    fake.addWebhookFault({ kind: 'duplicate' });

    await createRequest(fake, token);
    await createRequest(fake, token);
    await fake.waitForWebhooks();

    expect(receiver.received).toHaveLength(4);
  });

  it('holds deliveries and releases them in reverse', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    fake.addWebhookFault({ kind: 'hold' });
    const ids = [await createRequest(fake, token), await createRequest(fake, token), await createRequest(fake, token)];
    await fake.waitForWebhooks();

    expect(receiver.received).toEqual([]);
    expect(fake.webhookDeliveries().map((delivery) => delivery.state)).toEqual(['held', 'held', 'held']);

    expect(fake.releaseWebhooks()).toBe(3);
    await fake.waitForWebhooks();

    expect(receiver.ids()).toEqual([...ids].reverse());
  });

  it('releases held deliveries in order with fifo', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    fake.addWebhookFault({ kind: 'hold' });
    const ids = [await createRequest(fake, token), await createRequest(fake, token)];

    fake.releaseWebhooks('fifo');
    await fake.waitForWebhooks();

    expect(receiver.ids()).toEqual(ids);
  });

  it('keeps holding until faults are cleared', async () => {
    fake.addWebhookTarget({ url: receiver.url });
    fake.addWebhookFault({ kind: 'hold' });
    const held = await createRequest(fake, token);

    fake.clearWebhookFaults();
    const sent = await createRequest(fake, token);
    await fake.waitForWebhooks();
    const beforeRelease = receiver.ids();
    fake.releaseWebhooks();
    await fake.waitForWebhooks();

    expect(beforeRelease).toEqual([sent]);
    expect(receiver.ids()).toEqual([sent, held]);
  });

  it('sends to every target', async () => {
    const other = await WebhookReceiver.start();
    try {
      fake.addWebhookTarget({ url: receiver.url });
      fake.addWebhookTarget({ url: other.url, secret: 'x' });

      const id = await createRequest(fake, token);
      await fake.waitForWebhooks();

      expect(receiver.ids()).toEqual([id]);
      expect(other.ids()).toEqual([id]);
    } finally {
      await other.close();
    }
  });

  it.each([
    ['another host', 'http://example.com/hook', 'on the loopback interface'],
    ['a relative URL', '/hook', 'must be an absolute URL'],
    ['another scheme', 'ftp://127.0.0.1/hook', 'on the loopback interface'],
  ])('rejects a target with %s', (_case, url, message) => {
    expect(() => fake.addWebhookTarget({ url })).toThrow(message);
  });

  it('rejects an invalid secret header name', () => {
    expect(() => fake.addWebhookTarget({ url: receiver.url, secretHeader: 'Bad Header' })).toThrow('HTTP header name');
  });
});
