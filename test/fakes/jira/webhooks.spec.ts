import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { FakeJira } from './server';
import { AGENT_AUTH, call, createIssue, sleep, startReceiver, startTestFake, type WebhookReceiver } from './spec-helpers';

const SECRET = 'shared-webhook-secret';
const COMMENT_EVENT_FIELDS = ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'];

function signature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('fake Jira webhooks', () => {
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
    fake.configure({ commentEventStyle: 'cloud' });
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('registers through the admin API', async () => {
    const created = await call(fake.url, '/rest/webhooks/1.0/webhook', {
      method: 'POST',
      body: {
        name: 'helpdesk-sync',
        url: receiver.url,
        events: ['jira:issue_created', 'comment_created'],
        filters: { 'issue-related-events-section': 'project = SUP' },
        excludeBody: false,
        secret: SECRET,
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'helpdesk-sync',
      url: receiver.url,
      events: ['jira:issue_created', 'comment_created'],
      filters: { 'issue-related-events-section': 'project = SUP' },
      enabled: true,
      self: `${fake.url}/rest/webhooks/1.0/webhook/1`,
    });
    expect(created.json.secret).toBeUndefined();
    const listed = await call(fake.url, '/rest/webhooks/1.0/webhook');
    expect(listed.json).toHaveLength(1);
    expect((await call(fake.url, '/rest/webhooks/1.0/webhook/1', { method: 'DELETE' })).status).toBe(204);
    expect((await call(fake.url, '/rest/webhooks/1.0/webhook')).json).toEqual([]);
  });

  it('rejects an invalid JQL filter', async () => {
    const result = await call(fake.url, '/rest/webhooks/1.0/webhook', {
      method: 'POST',
      body: { name: 'x', url: receiver.url, events: [], filters: { 'issue-related-events-section': 'nosuch = 1' } },
    });
    expect(result.status).toBe(400);
    expect(result.json.errors.filters).toContain('nosuch');
  });

  it('signs issue_created with HMAC', async () => {
    fake.registerWebhook({ url: receiver.url, secret: SECRET });
    const key = await createIssue(fake, { description: 'Since 09:00.' });
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers['x-hub-signature']).toBe(signature(SECRET, delivery.rawBody));
    expect(delivery.headers['x-atlassian-webhook-identifier']).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery.headers['x-atlassian-webhook-flow']).toBe('Primary');
    expect(delivery.headers['x-atlassian-webhook-retry']).toBeUndefined();
    expect(delivery.headers['content-type']).toContain('application/json');
    const body = delivery.json;
    expect(body).toMatchObject({ webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue: { key } });
    expect(body.timestamp).toEqual(expect.any(Number));
    expect(body.user.emailAddress).toBe('jira-bot@example.com');
    expect(body.issue.fields.comment).toBeUndefined();
    expect(body.issue.fields.worklog).toBeUndefined();
    expect(body.issue.fields.project).toMatchObject({ key: 'SUP', id: '10000', name: 'Support' });
    expect(body.changelog.items.map((item: { fieldId: string }) => item.fieldId)).toEqual(['summary', 'description', 'status']);
  });

  it('sends no signature without a secret', async () => {
    fake.registerWebhook({ url: receiver.url });
    await createIssue(fake);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers['x-hub-signature']).toBeUndefined();
  });

  it('sends a comment event with six issue fields', async () => {
    const key = await createIssue(fake);
    fake.registerWebhook({ url: receiver.url, events: ['comment_created'] });
    await call(fake.url, `/rest/api/2/issue/${key}/comment`, { method: 'POST', auth: AGENT_AUTH, body: { body: 'On it.' } });
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.json.webhookEvent).toBe('comment_created');
    expect(Object.keys(delivery.json.issue.fields).sort()).toEqual([...COMMENT_EVENT_FIELDS].sort());
    expect(delivery.json.comment).toMatchObject({ body: 'On it.', jsdPublic: true });
    expect(delivery.json.comment.author.displayName).toBe('Agent One');
    expect(delivery.json.user).toBeUndefined();
  });

  it('sends resolution before status on Cloud', async () => {
    const key = await createIssue(fake);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_updated'] });
    await call(fake.url, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '21' }, fields: { resolution: { name: 'Done' } } } });
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.json.issue_event_type_name).toBe('issue_generic');
    expect(delivery.json.changelog.items.map((item: { field: string }) => item.field)).toEqual(['resolution', 'status']);
    expect(delivery.json.changelog.items[1]).toMatchObject({ fieldtype: 'jira', fieldId: 'status', from: '1', fromString: 'Open', to: '5', toString: 'Resolved' });
    expect(delivery.json.issue.fields.resolution.name).toBe('Done');
  });

  it('retries a failed delivery with the same identifier', async () => {
    receiver.respondWith([500, 503, 200]);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });
    await createIssue(fake);
    const deliveries = await receiver.waitFor(3);
    const identifiers = new Set(deliveries.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']));
    expect(identifiers.size).toBe(1);
    expect(deliveries.map((delivery) => delivery.headers['x-atlassian-webhook-retry'])).toEqual([undefined, '1', '2']);
    expect(deliveries[2].rawBody.equals(deliveries[0].rawBody)).toBe(true);
    await fake.whenWebhooksIdle();
    expect(fake.deliveries()[0]).toMatchObject({ state: 'delivered' });
    expect(fake.deliveries()[0].attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
  });

  it('does not retry a 400', async () => {
    receiver.respondWith(400);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });
    await createIssue(fake);
    await receiver.waitFor(1);
    await fake.whenWebhooksIdle();
    await sleep(100);
    expect(receiver.received).toHaveLength(1);
    expect(fake.deliveries()[0].state).toBe('failed');
  });

  it('gives up after the last retry', async () => {
    receiver.respondWith(500);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });
    await createIssue(fake);
    await receiver.waitFor(4);
    await fake.whenWebhooksIdle();
    expect(fake.deliveries()[0].state).toBe('failed');
    expect(receiver.received).toHaveLength(4);
  });

  it('stops retrying after a reset', async () => {
    receiver.respondWith(500);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });
    await createIssue(fake);
    await receiver.waitFor(1);
    fake.reset();
    await fake.whenWebhooksIdle();
    await sleep(200);
    expect(receiver.received).toHaveLength(1);
    expect(fake.deliveries()).toEqual([]);
  });

  it('retries an unreachable target', async () => {
    const unreachable = receiver.url;
    await receiver.close();
    fake.registerWebhook({ url: unreachable, events: ['jira:issue_created'] });
    await createIssue(fake);
    await fake.whenWebhooksIdle();
    const [delivery] = fake.deliveries();
    expect(delivery.attempts).toHaveLength(4);
    expect(delivery.attempts[0].error).toEqual(expect.any(String));
    receiver = await startReceiver();
  });

  it('retries a delivery that times out', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    fake.configure({ webhookTimeoutMs: 100 });
    try {
      fake.registerWebhook({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks`, events: ['jira:issue_created'] });
      await createIssue(fake);
      await fake.whenWebhooksIdle();
      const [delivery] = fake.deliveries();
      expect(delivery.state).toBe('failed');
      expect(delivery.attempts).toHaveLength(4);
      expect(delivery.attempts[0].error).toContain('timed out after 100 ms');
    } finally {
      fake.configure({ webhookTimeoutMs: 1_000 });
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('applies the JQL filter', async () => {
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'], jql: 'project = OPS' });
    await createIssue(fake);
    await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Patch' } } });
    const [delivery] = await receiver.waitFor(1);
    await fake.whenWebhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(delivery.json.issue.key).toBe('OPS-1');
  });

  it('sends secondary comment deletions after an issue deletion', async () => {
    const key = await createIssue(fake);
    await call(fake.url, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'note' } });
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_deleted', 'comment_deleted'] });
    await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'DELETE' });
    const deliveries = await receiver.waitFor(2);
    const deleted = deliveries.find((delivery) => delivery.json.webhookEvent === 'jira:issue_deleted');
    const commentDeleted = deliveries.find((delivery) => delivery.json.webhookEvent === 'comment_deleted');
    expect(deleted?.headers['x-atlassian-webhook-flow']).toBe('Primary');
    expect(deleted?.json.issue_event_type_name).toBeUndefined();
    expect(deleted?.json.issue.fields.comment.total).toBe(1);
    expect(commentDeleted?.headers['x-atlassian-webhook-flow']).toBe('Secondary');
  });

  it('substitutes URL placeholders', async () => {
    fake.registerWebhook({ url: `${receiver.url}?issue=\${issue.key}&project=\${project.key}`, events: ['jira:issue_created'] });
    await createIssue(fake);
    await receiver.waitFor(1);
    expect(fake.deliveries()[0].url).toBe(`${receiver.url}?issue=SUP-1&project=SUP`);
  });

  it('sends an empty body when excluded', async () => {
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'], excludeBody: true });
    await createIssue(fake);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.rawBody.length).toBe(0);
  });

  it('sends both comment events in dc-both style', async () => {
    fake.configure({ commentEventStyle: 'dc-both' });
    const key = await createIssue(fake);
    fake.registerWebhook({ url: receiver.url, events: ['comment_created', 'jira:issue_updated'] });
    await call(fake.url, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'note' } });
    const deliveries = await receiver.waitFor(2);
    const events = deliveries.map((delivery) => `${delivery.json.webhookEvent}/${delivery.json.issue_event_type_name ?? ''}`).sort();
    expect(events).toEqual(['comment_created/', 'jira:issue_updated/issue_commented']);
  });

  it('sends ADF comment bodies when configured', async () => {
    fake.configure({ webhookBodyFormat: 'adf' });
    try {
      const key = await createIssue(fake);
      fake.registerWebhook({ url: receiver.url, events: ['comment_created'] });
      fake.comment({ issue: key, body: 'line one\nline two' });
      const [delivery] = await receiver.waitFor(1);
      expect(delivery.json.comment.body).toEqual({
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'line one' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'line two' }] },
        ],
      });
    } finally {
      fake.configure({ webhookBodyFormat: 'wiki' });
    }
  });

  it('reports attachment uploads in the changelog', async () => {
    const key = await createIssue(fake);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_updated', 'attachment_created'] });
    fake.attach({ issue: key, filename: 'log.txt', content: 'boot failed' });
    const deliveries = await receiver.waitFor(2);
    const updated = deliveries.find((delivery) => delivery.json.webhookEvent === 'jira:issue_updated');
    expect(updated?.json.changelog.items[0]).toMatchObject({ field: 'Attachment', fieldId: 'attachment', from: null, toString: 'log.txt' });
    expect(deliveries.some((delivery) => delivery.json.webhookEvent === 'attachment_created')).toBe(true);
  });
});

describe('fake Jira webhooks on Data Center', () => {
  let fake: FakeJira;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    fake = await startTestFake({ flavour: 'datacenter' });
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver.close();
    await fake.close();
  });

  it('uses Data Center event names and shapes', async () => {
    const key = await createIssue(fake);
    fake.registerWebhook({ url: receiver.url, events: ['jira:issue_updated', 'comment_created'] });
    await call(fake.url, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '21' }, fields: { resolution: { name: 'Done' } } } });
    const [transition] = await receiver.waitFor(1);
    expect(transition.json.issue_event_type_name).toBe('issue_resolved');
    expect(transition.json.changelog.items.map((item: { field: string }) => item.field)).toEqual(['status', 'resolution']);
    expect(transition.json.user.name).toBe('jira-bot');
    await call(fake.url, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body: { body: 'note' } });
    const [, comment] = await receiver.waitFor(2);
    expect(comment.json.webhookEvent).toBe('comment_created');
    expect(comment.json.issue).toBeUndefined();
    expect(comment.json.comment.self).toContain(`/issue/10000/comment/`);
  });
});
