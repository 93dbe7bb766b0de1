import { createHmac } from 'node:crypto';

import { Attachment } from '../../src/support/attachments/attachment.entity';
import { Feedback } from '../../src/support/feedback/feedback.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { Resource } from '../../src/support/resources/resource.entity';
import { SETTING_KEYS } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';
import { InboxEntry } from '../../src/support/sync/inbox/inbox-entry.entity';
import { OutboxService } from '../../src/support/sync/outbox/outbox.service';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { AtlassianIssuePuller } from '../../src/support/backends/atlassian/atlassian-issue-puller';
import { CUSTOMER_EMAIL, CUSTOMER_TOKEN, startFakeJira, type FakeJira } from '../fakes/jira';
import {
  configureJira,
  fileIssue,
  JiraSyncWorld,
  localComments,
  localIssue,
  pullNow,
  settle,
  startJiraSyncWorld,
  visibleComments,
  WEBHOOK_SECRET,
} from '../support/jira-sync-app';

function calls(fake: FakeJira, method: string, path: string) {
  return fake.requests().filter((request) => request.method === method && request.path === path);
}

/** Custom field values of a fake issue by field name. */
function fieldsByName(fake: FakeJira, key: string): Record<string, unknown> {
  const rendered = fake.renderedIssue(key) as { fields: Record<string, unknown>; names?: Record<string, string> };
  return rendered.fields;
}

describe.each(['cloud', 'datacenter'] as const)('Jira sync on %s', (flavour) => {
  let world: JiraSyncWorld;
  let fake: FakeJira;
  let fieldIds: Map<string, string>;

  beforeAll(async () => {
    world = await startJiraSyncWorld();
    fake = await startFakeJira({ flavour, webhookRetryDelaysMs: [20, 40, 80], webhookSecondaryDelayMs: 0, webhookTimeoutMs: 2_000 });
    const response = await fetch(`${fake.url}/rest/api/2/field`, { headers: { Authorization: `Basic ${Buffer.from('jira-bot@example.com:fake-api-token').toString('base64')}` } });
    const fields = (await response.json()) as Array<{ id: string; name: string; custom: boolean }>;
    fieldIds = new Map(fields.filter((field) => field.custom).map((field) => [field.name, field.id]));
  });

  afterAll(async () => {
    await fake.close();
    await world.testApp.close();
  });

  beforeEach(async () => {
    fake.reset();
    await world.testApp.dataSource.query('TRUNCATE attachments, comments, feedbacks, issues, request_types, sync_outbox, sync_inbox, sync_watermarks, sync_remote_versions RESTART IDENTITY CASCADE');
    await world.testApp.dataSource.query("DELETE FROM support_users WHERE backend_name = 'atlassian'");
    await configureJira(world, fake);
  });

  afterEach(async () => {
    await world.testApp.app.get(SettingsService).update(Object.fromEntries(SETTING_KEYS.map((key) => [key, null])));
  });

  describe('with webhooks', () => {
    beforeEach(() => {
      fake.registerWebhook({ url: `${world.appUrl}/api/support-jira-webhook/`, secret: WEBHOOK_SECRET });
    });

    it('creates the request with mapped custom fields', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      expect(created.key).toBe('SUP-1');
      const record = fake.issueRecord('SUP-1')!;
      expect(record.summary).toBe('VPN is down');
      const fields = fieldsByName(fake, 'SUP-1');
      expect(fields[fieldIds.get('Reporter organization')!]).toBe('Acme Research');
      expect(fields[fieldIds.get('Project')!]).toBe('Climate Models');
      expect(fields.labels).toEqual([`deskbridge-${created.uuid}`]);

      const issue = await localIssue(world, created.uuid);
      expect(issue).toMatchObject({ backendName: 'atlassian', backendId: record.id, key: 'SUP-1', status: 'Open', state: 3 });
    });

    it('runs the whole lifecycle through webhooks', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.comment({ issue: 'SUP-1', body: 'Please restart the router.' });
      fake.comment({ issue: 'SUP-1', body: 'Customer seems confused.', internal: true });
      await settle(world, fake);

      expect(await visibleComments(world, world.caller, created.uuid)).toEqual(['Please restart the router.']);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Customer seems confused.', 'Please restart the router.']);
      expect(await visibleComments(world, world.support, created.uuid)).toEqual(['Customer seems confused.', 'Please restart the router.']);

      await world.testApp
        .http()
        .post(`/api/support-issues/${created.uuid}/comment/`)
        .set('Authorization', world.caller.auth)
        .send({ description: 'Restarted, still broken.' })
        .expect(201);
      await settle(world, fake);
      const pushed = fake.commentRecords('SUP-1').at(-1)!;
      expect(pushed.body).toBe('[Jane Doe]: Restarted, still broken.');
      expect(pushed.properties['sd.public.comment']).not.toEqual({ internal: true });

      fake.attach({ issue: 'SUP-1', filename: 'Überprüfung.log', content: 'trace', mimeType: 'text/plain' });
      await settle(world, fake);
      const issue = (await localIssue(world, created.uuid))!;
      const [file] = await world.testApp.dataSource.getRepository(Attachment).findBy({ issueId: issue.id });
      expect(file).toMatchObject({ fileName: 'Überprüfung.log', backendName: 'atlassian', fileSize: 5 });
      expect((await world.store.readAll(file.storageKey!)).toString()).toBe('trace');

      fake.transition({ issue: 'SUP-1', transition: 'Resolve' });
      await settle(world, fake);
      const resolved = await world.testApp.http().get(`/api/support-issues/${created.uuid}/`).set('Authorization', world.caller.auth).expect(200);
      expect(resolved.body).toMatchObject({ status: 'Resolved', resolution: 'Done', resolved: true });
      expect((await localIssue(world, created.uuid))!.feedbackRequestedAt).toBeInstanceOf(Date);

      expect((await localComments(world, issue)).map((comment) => comment.description)).toEqual([
        'Please restart the router.',
        'Customer seems confused.',
        'Restarted, still broken.',
      ]);

      fake.deleteIssue({ issue: 'SUP-1' });
      await settle(world, fake);
      await world.testApp.http().get(`/api/support-issues/${created.uuid}/`).set('Authorization', world.staff.auth).expect(404);
    });

    it('answers a comment with its Jira id when the push finished in time', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      const response = await world.testApp
        .http()
        .post(`/api/support-issues/${created.uuid}/comment/`)
        .set('Authorization', world.caller.auth)
        .send({ description: 'Any news?' })
        .expect(201);

      const [record] = fake.commentRecords('SUP-1');
      expect(response.body).toMatchObject({ description: 'Any news?', backend_id: record.id, issue_key: 'SUP-1' });
      // The webhook of the pushed comment comes back; let it finish before the next test empties the tables.
      await settle(world, fake);
    });

    it('applies comment events without issue fields', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      fake.configure({ commentEventStyle: flavour === 'cloud' ? 'cloud' : 'dc-both' });

      const comment = fake.comment({ issue: 'SUP-1', body: 'Draft' });
      await settle(world, fake);
      fake.editComment({ issue: 'SUP-1', commentId: comment.id, body: 'Final' });
      await settle(world, fake);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Final']);

      fake.deleteComment({ issue: 'SUP-1', commentId: comment.id });
      await settle(world, fake);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual([]);
    });

    it('adds nothing for duplicate and reordered deliveries', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.addWebhookFault({ kind: 'duplicate', times: 3 });
      fake.holdWebhooks();
      fake.comment({ issue: 'SUP-1', body: 'One' });
      fake.comment({ issue: 'SUP-1', body: 'Two' });
      await fake.releaseWebhooks('reverse');
      await settle(world, fake);

      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['One', 'Two']);
    });

    it('stores nothing for a bad signature and accepts a repeat once', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      const issue = (await localIssue(world, created.uuid))!;
      const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: issue.backendId, key: 'SUP-1', fields: {} } });
      const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
      const post = (headers: Record<string, string>) =>
        world.testApp.http().post('/api/support-jira-webhook/').set('Content-Type', 'application/json').set(headers).send(body);

      await post({ 'X-Hub-Signature': 'sha256=0000' }).expect(403);
      await post({}).expect(403);
      const before = await world.testApp.dataSource.getRepository(InboxEntry).count();

      fake.edit({ issue: 'SUP-1', fields: { summary: 'Changed in Jira' } });
      fake.clearWebhookFaults();
      await post({ 'X-Hub-Signature': signature, 'X-Atlassian-Webhook-Identifier': 'delivery-42' }).expect(200, {});
      await post({ 'X-Hub-Signature': signature, 'X-Atlassian-Webhook-Identifier': 'delivery-42' }).expect(200, {});
      await settle(world, fake);

      const stored = await world.testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'delivery-42' });
      expect(stored).toHaveLength(1);
      expect(stored[0].status).toBe('processed');
      expect(await world.testApp.dataSource.getRepository(InboxEntry).count()).toBeGreaterThan(before);
      expect((await localIssue(world, created.uuid))!.summary).toBe('Changed in Jira');
    });

    it('answers 424 while support is disabled', async () => {
      await world.testApp.app.get(SettingsService).update({ WALDUR_SUPPORT_ENABLED: false });
      const response = await world.testApp.http().post('/api/support-jira-webhook/').send({ webhookEvent: 'jira:issue_updated' }).expect(424);
      expect(response.body).toEqual({ detail: 'Support extension is disabled.' });
    });

    it('applies texts with U+0000 and keeps applying later changes', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.comment({ issue: 'SUP-1', body: 'First\u0000 answer' });
      await settle(world, fake);
      fake.comment({ issue: 'SUP-1', body: 'Second answer' });
      await settle(world, fake);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['First answer', 'Second answer']);

      fake.comment({ issue: 'SUP-1', body: 'Pulled\u0000 answer' });
      fake.attach({ issue: 'SUP-1', filename: 'log\u0000.txt', content: 'line' });
      expect(await pullNow(world)).toMatchObject({ failed: 0 });
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['First answer', 'Pulled answer', 'Second answer']);
      await settle(world, fake);
    });

    it('rejects a delivery whose issue id is not a Jira id', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      const issue = (await localIssue(world, created.uuid))!;
      const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: `${issue.backendId}\u0000`, key: 'SUP-1' } });
      const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
      fake.clearRequests();

      await world.testApp
        .http()
        .post('/api/support-jira-webhook/')
        .set('Content-Type', 'application/json')
        .set({ 'X-Hub-Signature': signature, 'X-Atlassian-Webhook-Identifier': 'delivery-nul' })
        .send(body)
        .expect(200, {});
      await settle(world, fake);

      const [stored] = await world.testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'delivery-nul' });
      expect(stored.status).toBe('failed');
      expect(stored.lastError).toMatch(/invalid issue id/);
      expect(fake.requests().filter((request) => request.path.startsWith('/rest/api/2/issue/'))).toEqual([]);
    });

    it('keeps the issue when the integration user loses access', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      await configureJira(world, fake, { ATLASSIAN_EMAIL: CUSTOMER_EMAIL, ATLASSIAN_TOKEN: CUSTOMER_TOKEN });

      fake.comment({ issue: 'SUP-1', body: 'Agent answer' });
      await settle(world, fake);
      await pullNow(world);
      const issue = (await localIssue(world, created.uuid))!;
      await world.testApp.app.get(AtlassianIssuePuller).reconcileGone([issue.backendId!]);

      expect(await localIssue(world, created.uuid)).toMatchObject({ key: 'SUP-1' });
      const deliveries = await world.testApp.dataSource.getRepository(InboxEntry).findBy({ remoteObjectId: issue.backendId! });
      expect(deliveries.map((delivery) => delivery.status)).toContain('ignored');
    });

    it('deletes the issue on a deletion event only while Jira confirms it', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      await configureJira(world, fake, { ATLASSIAN_EMAIL: CUSTOMER_EMAIL, ATLASSIAN_TOKEN: CUSTOMER_TOKEN });

      fake.deleteIssue({ issue: 'SUP-1' });
      await settle(world, fake);
      expect(await localIssue(world, created.uuid)).toMatchObject({ key: 'SUP-1' });
      const [deletion] = await world.testApp.dataSource.getRepository(InboxEntry).findBy({ status: 'failed' });
      expect(deletion.lastError).toMatch(/cannot read project SUP/);

      await configureJira(world, fake);
      await world.testApp
        .http()
        .post(`/api/support-sync-deliveries/${deletion.uuid.replace(/-/g, '')}/replay/`)
        .set('Authorization', world.staff.auth)
        .expect(200);
      await settle(world, fake);
      expect(await localIssue(world, created.uuid)).toBeNull();
    });

    it('follows waldur_backend_id into the resource', async () => {
      const resource = await world.testApp.dataSource.getRepository(Resource).save({ name: 'vm-17', projectId: world.project.id, backendId: 'old' });
      const response = await world.testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.caller.auth)
        .send({ summary: 'Disk full', type: 'Incident', resource: `http://127.0.0.1/api/marketplace-resources/${resource.uuid.replace(/-/g, '')}/` })
        .expect(201);
      await settle(world, fake);

      fake.edit({ issue: response.body.key, fields: { waldur_backend_id: 'vm-17-new' } });
      await settle(world, fake);

      expect((await world.testApp.dataSource.getRepository(Resource).findOneByOrFail({ id: resource.id })).backendId).toBe('vm-17-new');
    });
  });

  describe('outbox rows of files and feedback', () => {
    beforeEach(() => {
      fake.registerWebhook({ url: `${world.appUrl}/api/support-jira-webhook/`, secret: WEBHOOK_SECRET });
    });

    /** Enqueues a feedback push as the feedback service does after it stores a rating. */
    async function enqueueFeedback(issue: Issue, feedback: Feedback): Promise<void> {
      const outbox = world.testApp.app.get(OutboxService);
      const row = await world.testApp.dataSource.transaction((manager) =>
        outbox.enqueue(manager, {
          backendName: 'atlassian',
          operation: 'feedback.create',
          issue: { id: issue.id, uuid: issue.uuid },
          target: { type: 'feedback', id: feedback.id, uuid: feedback.uuid },
        }),
      );
      await outbox.deliverSoon([row]);
    }

    it('uploads a file once, with its Unicode name', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      const response = await world.testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', world.caller.auth)
        .field('issue', `http://127.0.0.1/api/support-issues/${created.uuid}/`)
        .attach('file', Buffer.from('%PDF-1.4\n'), { filename: 'Überprüfung.pdf', contentType: 'application/pdf' })
        .expect(201);
      await settle(world, fake);

      const [record] = fake.attachmentRecords('SUP-1');
      expect(record.filename.normalize('NFC')).toBe('Überprüfung.pdf');
      const upload = fake.requests().find((request) => request.path.endsWith('/attachments'))!;
      expect(upload.headers['x-atlassian-token']).toBe('no-check');
      expect(upload.multipart?.[0]).toMatchObject({ name: 'file', filenameEncoding: 'raw', size: 9 });
      const issue = (await localIssue(world, created.uuid))!;
      const rows = await world.testApp.dataSource.getRepository(Attachment).findBy({ issueId: issue.id });
      expect(rows.map((row) => [row.uuid.replace(/-/g, ''), row.backendId, row.state])).toEqual([[response.body.uuid, record.id, 3]]);
    });

    it('posts feedback as an internal comment and a rating', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      const issue = (await localIssue(world, created.uuid))!;
      const feedback = await world.testApp.dataSource.getRepository(Feedback).save({ issueId: issue.id, evaluation: 9, comment: 'Fast and friendly' });

      await enqueueFeedback(issue, feedback);
      await settle(world, fake);

      const [comment] = fake.commentRecords('SUP-1');
      expect(comment.body).toBe('[Jane Doe]: Fast and friendly');
      expect(comment.properties['sd.public.comment']).toEqual({ internal: true });
      expect(fieldsByName(fake, 'SUP-1')[fieldIds.get('Customer satisfaction')!]).toMatchObject({ value: '9' });
      expect(await visibleComments(world, world.caller, created.uuid)).toEqual(['Fast and friendly']);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Fast and friendly']);
    });
  });

  describe('with webhooks off', () => {
    it('catches up on the next scheduled pull', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.comment({ issue: 'SUP-1', body: 'Public answer' });
      fake.comment({ issue: 'SUP-1', body: 'Internal note', internal: true });
      fake.attach({ issue: 'SUP-1', filename: 'log.txt', content: 'line' });
      fake.transition({ issue: 'SUP-1', transition: 'Resolve' });

      const counts = await pullNow(world);

      expect(counts).toMatchObject({ failed: 0 });
      expect(await visibleComments(world, world.caller, created.uuid)).toEqual(['Public answer']);
      expect(await visibleComments(world, world.support, created.uuid)).toEqual(['Internal note', 'Public answer']);
      const issue = await world.testApp.http().get(`/api/support-issues/${created.uuid}/`).set('Authorization', world.caller.auth).expect(200);
      expect(issue.body).toMatchObject({ status: 'Resolved', resolved: true });
      expect(await world.testApp.dataSource.getRepository(Attachment).countBy({ backendName: 'atlassian' })).toBe(1);

      expect((await pullNow(world)).failed).toBe(0);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Internal note', 'Public answer']);
    });

    it('keeps the watermark when a pull fails and loses nothing', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      await pullNow(world);

      fake.comment({ issue: 'SUP-1', body: 'Answer during outage' });
      const searchPath = flavour === 'cloud' ? '/rest/api/2/search/jql' : '/rest/api/2/search';
      fake.addFault({ path: searchPath, status: 503, times: 3 });
      await expect(pullNow(world)).resolves.toMatchObject({ failed: 1 });
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual([]);

      await pullNow(world);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Answer during outage']);
    });

    it('deletes the issue on reconciliation when Jira deleted it', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);
      await fileIssue(world, 'Second issue');
      await settle(world, fake);
      fake.deleteIssue({ issue: 'SUP-1' });

      const counts = await world.testApp.app.get(PullRunner).reconcileAll();

      expect(counts).toMatchObject({ local: 2, gone: 1, refused: 0 });
      expect(await localIssue(world, created.uuid)).toBeNull();
    });
  });

  describe('with faults', () => {
    beforeEach(() => {
      fake.registerWebhook({ url: `${world.appUrl}/api/support-jira-webhook/`, secret: WEBHOOK_SECRET });
    });

    it('files an issue while Jira is down and pushes it later', async () => {
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request', status: 503, times: 1 });
      const created = await fileIssue(world);

      expect(created.key).toBe('');
      expect(fake.issueRecords()).toHaveLength(0);
      const pending = await world.testApp.http().get(`/api/support-issues/${created.uuid}/`).set('Authorization', world.staff.auth).expect(200);
      expect(pending.body).toMatchObject({ key: '', backend_id: null });

      await settle(world, fake);

      expect(fake.issueRecords()).toHaveLength(1);
      expect(await localIssue(world, created.uuid)).toMatchObject({ key: 'SUP-1', state: 3 });
    });

    it('adopts a request whose response was lost', async () => {
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request', dropConnection: true, afterCommit: true, times: 1 });
      const created = await fileIssue(world);
      await settle(world, fake);

      expect(fake.issueRecords()).toHaveLength(1);
      expect(await localIssue(world, created.uuid)).toMatchObject({ key: 'SUP-1', state: 3 });
    });

    it('waits for a lagging search before repeating a lost create', async () => {
      world.syncConfig.pull.overlapMs = 1_500;
      fake.configure({ searchVisibilityDelayMs: 1_000 });
      try {
        fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request', dropConnection: true, afterCommit: true, times: 1 });
        const created = await fileIssue(world);
        await settle(world, fake);
        expect(fake.issueRecords()).toHaveLength(1);
        expect(await localIssue(world, created.uuid)).toMatchObject({ key: '' });

        await new Promise((resolve) => setTimeout(resolve, 1_600));
        await settle(world, fake);

        expect(fake.issueRecords()).toHaveLength(1);
        expect(calls(fake, 'POST', '/rest/servicedeskapi/request')).toHaveLength(1);
        expect(await localIssue(world, created.uuid)).toMatchObject({ key: 'SUP-1', state: 3 });
      } finally {
        world.syncConfig.pull.overlapMs = 0;
        fake.configure({ searchVisibilityDelayMs: 0 });
      }
    });

    it('delivers a comment once after a lost response and a 503', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request/{key}/comment', dropConnection: true, afterCommit: true, times: 1 });
      await world.testApp.http().post(`/api/support-issues/${created.uuid}/comment/`).set('Authorization', world.caller.auth).send({ description: 'First' }).expect(201);
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request/{key}/comment', status: 503, times: 2 });
      await world.testApp.http().post(`/api/support-issues/${created.uuid}/comment/`).set('Authorization', world.caller.auth).send({ description: 'Second' }).expect(201);
      await settle(world, fake);
      await pullNow(world);
      await settle(world, fake);

      expect(fake.commentRecords('SUP-1').map((comment) => comment.body)).toEqual(['[Jane Doe]: First', '[Jane Doe]: Second']);
      const issue = (await localIssue(world, created.uuid))!;
      const comments = await localComments(world, issue);
      expect(comments.map((comment) => [comment.description, comment.backendId])).toEqual(
        fake.commentRecords('SUP-1').map((record, index) => [['First', 'Second'][index], record.id]),
      );
    });

    it('loses no agent comment when deliveries are dropped', async () => {
      const created = await fileIssue(world);
      await settle(world, fake);

      fake.addWebhookFault({ kind: 'drop', event: 'comment_created' });
      fake.addWebhookFault({ kind: 'drop', event: 'jira:issue_updated' });
      fake.comment({ issue: 'SUP-1', body: 'Dropped webhook' });
      await settle(world, fake);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual([]);

      await pullNow(world);
      expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Dropped webhook']);
    });
  });
});
