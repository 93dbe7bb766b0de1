import { spawn } from 'node:child_process';
import path from 'node:path';

import type { FakeJira } from './server';
import { call, createIssue, startReceiver, startTestFake, type WebhookReceiver } from './spec-helpers';

async function control(fake: FakeJira, route: string, body?: unknown, method = 'POST') {
  return call(fake.url, `/__fake${route}`, { method, body, auth: null });
}

describe('fake Jira control API', () => {
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
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('registers a webhook and acts as the agent', async () => {
    const registered = await control(fake, '/webhooks', { url: receiver.url, secret: 's3cret', events: ['comment_created', 'jira:issue_updated'] });
    expect(registered.status).toBe(201);
    const key = await createIssue(fake);

    const commented = await control(fake, '/agent/comment', { issue: key, body: 'Checking the gateway.', internal: true });
    expect(commented.status).toBe(201);
    const transitioned = await control(fake, '/agent/transition', { issue: key, transition: 'Resolve', resolution: 'Done' });
    expect(transitioned.status).toBe(200);

    const deliveries = await receiver.waitFor(2);
    const comment = deliveries.find((delivery) => delivery.json.webhookEvent === 'comment_created');
    expect(comment?.json.comment).toMatchObject({ body: 'Checking the gateway.', jsdPublic: false });
    expect(comment?.json.comment.author.emailAddress).toBe('agent@example.com');
    const updated = deliveries.find((delivery) => delivery.json.webhookEvent === 'jira:issue_updated');
    expect(updated?.json.user.emailAddress).toBe('agent@example.com');
    expect(updated?.json.issue.fields.resolution.name).toBe('Done');
  });

  it('edits a field by name', async () => {
    const key = await createIssue(fake);
    const edited = await control(fake, '/agent/edit', { issue: key, fields: { waldur_backend_id: 'local-42', summary: 'Renamed' } });
    expect(edited.status).toBe(200);
    const marker = fake.renderedIssue(key) as { fields: Record<string, unknown> };
    const fieldId = (await call(fake.url, '/rest/api/2/field')).json.find((f: { name: string }) => f.name === 'waldur_backend_id').id;
    expect(marker.fields[fieldId]).toBe('local-42');
    expect(marker.fields.summary).toBe('Renamed');
  });

  it('assigns and attaches as the agent', async () => {
    const key = await createIssue(fake);
    expect((await control(fake, '/agent/assign', { issue: key, assignee: 'agent.two@example.com' })).status).toBe(200);
    expect(fake.issueRecord(key)?.assigneeId).toBe('5b10ac8d82e05b22cc7d0003');
    const attached = await control(fake, '/agent/attach', { issue: key, filename: 'trace.log', contentBase64: Buffer.from('trace').toString('base64'), mimeType: 'text/plain' });
    expect(attached.status).toBe(201);
    const listed = await control(fake, `/attachments?issue=${key}`, undefined, 'GET');
    expect(listed.json[0]).toMatchObject({ filename: 'trace.log', size: 5, contentBase64: Buffer.from('trace').toString('base64') });
  });

  it('rejects an unknown transition name', async () => {
    const key = await createIssue(fake);
    const result = await control(fake, '/agent/transition', { issue: key, transition: 'Close' });
    expect(result.status).toBe(400);
    expect(result.json.errorMessages[0]).toContain('Start progress');
  });

  it('injects faults over HTTP', async () => {
    const added = await control(fake, '/faults', { method: 'GET', path: '/rest/api/2/myself', status: 503, retryAfter: 2, times: 1 });
    expect(added.status).toBe(201);
    expect((await call(fake.url, '/rest/api/2/myself')).status).toBe(503);
    expect((await call(fake.url, '/rest/api/2/myself')).status).toBe(200);
    expect((await control(fake, '/faults', undefined, 'GET')).json).toEqual([]);
  });

  it('holds and releases webhooks over HTTP', async () => {
    await control(fake, '/webhooks', { url: receiver.url, events: ['jira:issue_created'] });
    await control(fake, '/webhooks/hold');
    await createIssue(fake, { summary: 'one' });
    await createIssue(fake, { summary: 'two' });
    await control(fake, '/webhooks/release', { order: 'reverse' });
    const deliveries = await receiver.waitFor(2);
    expect(deliveries.map((delivery) => delivery.json.issue.fields.summary)).toEqual(['two', 'one']);
    const log = await control(fake, '/webhooks/deliveries', undefined, 'GET');
    expect(log.json).toHaveLength(2);
  });

  it('sets the clock and search delay', async () => {
    const pinned = await control(fake, '/clock', { now: '2024-01-31T10:20:30.000Z' });
    expect(pinned.json.now).toBe(Date.UTC(2024, 0, 31, 10, 20, 30));
    await control(fake, '/search-delay', { ms: 1000 });
    const key = await createIssue(fake);
    const hidden = await call(fake.url, '/rest/api/2/search/jql?jql=project%20%3D%20SUP');
    expect(hidden.json.issues).toEqual([]);
    await control(fake, '/clock', { advanceMs: 1000 });
    const shown = await call(fake.url, '/rest/api/2/search/jql?jql=project%20%3D%20SUP&fields=created');
    expect(shown.json.issues[0]).toMatchObject({ key, fields: { created: '2024-01-31T10:20:30.000+0000' } });
    await control(fake, '/search-delay', { ms: 0 });
    await control(fake, '/clock', { now: null });
  });

  it('reads and clears the request log', async () => {
    await call(fake.url, '/rest/api/2/myself');
    const log = await control(fake, '/requests', undefined, 'GET');
    expect(log.json.map((entry: { path: string }) => entry.path)).toEqual(['/rest/api/2/myself']);
    await control(fake, '/requests', undefined, 'DELETE');
    expect((await control(fake, '/requests', undefined, 'GET')).json).toEqual([]);
  });

  it('resets all state', async () => {
    await createIssue(fake);
    await control(fake, '/webhooks', { url: receiver.url });
    await control(fake, '/reset');
    expect((await control(fake, '/issues', undefined, 'GET')).json).toEqual([]);
    expect((await control(fake, '/webhooks', undefined, 'GET')).json).toEqual([]);
    expect(await createIssue(fake)).toBe('SUP-1');
  });

  it('changes settings at run time', async () => {
    const changed = await control(fake, '/settings', { commentEventStyle: 'dc-both' }, 'PATCH');
    expect(changed.json.commentEventStyle).toBe('dc-both');
    const rejected = await control(fake, '/settings', { customFieldIdStart: 1 }, 'PATCH');
    expect(rejected.status).toBe(400);
    await control(fake, '/settings', { commentEventStyle: 'cloud' }, 'PATCH');
  });
});

describe('fake Jira runner', () => {
  it('prints the base URL', async () => {
    const root = path.resolve(__dirname, '../../..');
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'main.ts'), '--port', '0'], { cwd: root });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('\n')) {
            resolve(output.split('\n')[0]);
          }
        });
        child.on('exit', (code) => reject(new Error(`The runner exited with ${code} before printing a URL.`)));
      });
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(firstLine);
      expect(match).not.toBeNull();
      const info = await call(match?.[1] ?? '', '/rest/api/2/serverInfo', { auth: null });
      expect(info.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
