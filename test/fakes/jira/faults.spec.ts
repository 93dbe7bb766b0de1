import { createHmac } from 'node:crypto';

import type { FakeJira } from './server';
import { call, createIssue, startReceiver, startTestFake, type WebhookReceiver } from './spec-helpers';

const SECRET = 'fault-secret';

function hmac(body: Buffer): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

const NEW_ISSUE = { fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' }, summary: 'Retry me' } };

describe('fake Jira route faults', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('forces a status for the next request', async () => {
    fake.addFault({ method: 'GET', path: '/rest/api/2/myself', status: 503, retryAfter: 7, times: 1 });
    const failed = await call(fake.url, '/rest/api/2/myself');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.json).toEqual({ errorMessages: ['Service unavailable.'], errors: {} });
    expect((await call(fake.url, '/rest/api/2/myself')).status).toBe(200);
  });

  it('sends rate limit headers with 429', async () => {
    fake.addFault({ path: '/rest/api/2/**', status: 429, retryAfter: 3 });
    const limited = await call(fake.url, '/rest/api/2/field');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-quota-based');
    expect((await call(fake.url, '/rest/api/2/priority')).status).toBe(429);
    fake.clearFaults();
    expect((await call(fake.url, '/rest/api/2/priority')).status).toBe(200);
  });

  it('matches path parameters and methods', async () => {
    const key = await createIssue(fake);
    fake.addFault({ method: 'PUT', path: '/rest/api/2/issue/{key}', status: 409, message: 'Conflict on edit.' });
    expect((await call(fake.url, `/rest/api/2/issue/${key}`)).status).toBe(200);
    const edit = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { summary: 'x' } } });
    expect(edit.status).toBe(409);
    expect(edit.json.errorMessages).toEqual(['Conflict on edit.']);
  });

  it('applies to the gateway surface too', async () => {
    fake.addFault({ path: '/rest/api/2/myself', status: 500, times: 1 });
    const result = await call(fake.gatewayUrl, '/rest/api/2/myself', { auth: 'Bearer fake-oauth-token' });
    expect(result.status).toBe(500);
  });

  it('returns an HTML error page', async () => {
    fake.addFault({ path: '/rest/api/2/field', status: 502, bodyFormat: 'html', times: 1 });
    const result = await call(fake.url, '/rest/api/2/field');
    expect(result.status).toBe(502);
    expect(result.headers.get('content-type')).toContain('text/html');
    expect(result.text).toContain('<html>');
  });

  it('adds latency', async () => {
    fake.addFault({ path: '/rest/api/2/myself', latencyMs: 150, times: 1 });
    const started = Date.now();
    const result = await call(fake.url, '/rest/api/2/myself');
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection before the write', async () => {
    fake.addFault({ method: 'POST', path: '/rest/api/2/issue', dropConnection: true, times: 1 });
    await expect(call(fake.url, '/rest/api/2/issue', { method: 'POST', body: NEW_ISSUE })).rejects.toThrow();
    expect(fake.issueRecords()).toHaveLength(0);
  });

  it('drops the connection after the write', async () => {
    const receiver = await startReceiver();
    try {
      fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });
      fake.addFault({ method: 'POST', path: '/rest/api/2/issue', dropConnection: true, afterCommit: true, times: 1 });
      await expect(call(fake.url, '/rest/api/2/issue', { method: 'POST', body: NEW_ISSUE })).rejects.toThrow();
      expect(fake.issueRecords().map((issue) => issue.key)).toEqual(['SUP-1']);
      const [delivery] = await receiver.waitFor(1);
      expect(delivery.json.issue.key).toBe('SUP-1');
      const retried = await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: NEW_ISSUE });
      expect(retried.json.key).toBe('SUP-2');
    } finally {
      await receiver.close();
    }
  });

  it('answers a gateway timeout after the write', async () => {
    fake.addFault({ method: 'POST', path: '/rest/api/2/issue', status: 504, afterCommit: true, times: 1 });
    const result = await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: NEW_ISSUE });
    expect(result.status).toBe(504);
    expect(result.json.errorMessages).toEqual(['Gateway timeout.']);
    expect(fake.issueRecords()).toHaveLength(1);
  });

  it('logs requests with headers and body', async () => {
    await call(fake.url, '/rest/api/2/issue?updateHistory=true', { method: 'POST', body: NEW_ISSUE, headers: { 'X-Trace': 'abc' } });
    const [entry] = fake.requests();
    expect(entry).toMatchObject({ method: 'POST', path: '/rest/api/2/issue', query: { updateHistory: 'true' }, status: 201, body: NEW_ISSUE });
    expect(entry.headers['x-trace']).toBe('abc');
    expect(entry.headers.authorization).toMatch(/^Basic /);
    expect(JSON.parse(entry.rawBody)).toEqual(NEW_ISSUE);
    fake.clearRequests();
    expect(fake.requests()).toEqual([]);
  });
});

describe('fake Jira webhook faults', () => {
  let fake: FakeJira;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    receiver = await startReceiver();
    fake.registerWebhook({ url: receiver.url, secret: SECRET, events: ['jira:issue_created', 'comment_created'] });
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('duplicates a delivery', async () => {
    fake.addWebhookFault({ kind: 'duplicate', times: 1 });
    await createIssue(fake);
    const [first, second] = await receiver.waitFor(2);
    expect(second.headers['x-atlassian-webhook-identifier']).toBe(first.headers['x-atlassian-webhook-identifier']);
    expect(second.headers['x-atlassian-webhook-retry']).toBe('1');
    expect(second.rawBody.equals(first.rawBody)).toBe(true);
  });

  it('drops a delivery', async () => {
    fake.addWebhookFault({ kind: 'drop', times: 1 });
    await createIssue(fake, { summary: 'dropped' });
    await createIssue(fake, { summary: 'kept' });
    const [delivery] = await receiver.waitFor(1);
    await fake.whenWebhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(delivery.json.issue.fields.summary).toBe('kept');
    expect(fake.deliveries()[0].state).toBe('dropped');
  });

  it('releases held deliveries in reverse', async () => {
    fake.holdWebhooks();
    await createIssue(fake, { summary: 'first' });
    await createIssue(fake, { summary: 'second' });
    await createIssue(fake, { summary: 'third' });
    await fake.whenWebhooksIdle();
    expect(receiver.received).toHaveLength(0);
    await fake.releaseWebhooks('reverse');
    const deliveries = await receiver.waitFor(3);
    expect(deliveries.map((delivery) => delivery.json.issue.fields.summary)).toEqual(['third', 'second', 'first']);
  });

  it('corrupts or omits the signature', async () => {
    fake.addWebhookFault({ kind: 'bad-signature', times: 1 });
    await createIssue(fake);
    const [bad] = await receiver.waitFor(1);
    expect(bad.headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(bad.headers['x-hub-signature']).not.toBe(hmac(bad.rawBody));
    fake.addWebhookFault({ kind: 'no-signature', times: 1 });
    await createIssue(fake);
    const [, missing] = await receiver.waitFor(2);
    expect(missing.headers['x-hub-signature']).toBeUndefined();
  });

  it('signs a re-formatted body', async () => {
    fake.addWebhookFault({ kind: 'pretty-body', times: 1 });
    await createIssue(fake);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.rawBody.toString()).toContain('\n  "webhookEvent"');
    expect(delivery.headers['x-hub-signature']).toBe(hmac(delivery.rawBody));
    expect(hmac(Buffer.from(JSON.stringify(delivery.json)))).not.toBe(delivery.headers['x-hub-signature']);
  });

  it('limits a fault to one event', async () => {
    fake.addWebhookFault({ kind: 'drop', event: 'comment_created' });
    const key = await createIssue(fake);
    fake.comment({ issue: key, body: 'dropped' });
    await receiver.waitFor(1);
    await fake.whenWebhooksIdle();
    expect(receiver.received.map((delivery) => delivery.json.webhookEvent)).toEqual(['jira:issue_created']);
  });
});
