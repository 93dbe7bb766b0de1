import { createHmac } from 'node:crypto';

import { parseUuid } from '../../src/common/http/uuid';
import { FileStorage } from '../../src/storage/file-storage';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { Comment } from '../../src/support/comments/comment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { Issue } from '../../src/support/issues/issue.entity';
import { InboxEntry } from '../../src/support/sync/inbox/inbox-entry.entity';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { OutboxWorker } from '../../src/support/sync/outbox/outbox-worker.service';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { WatermarksRepository } from '../../src/support/sync/pull/watermarks.repository';
import { SYNC_CONFIG, SyncConfig } from '../../src/support/sync/sync.config';
import { FakeZammad, startFakeZammad } from '../fakes/zammad';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { updateSettings } from '../support/support-factories';
import { makeEverythingDue, syncTestConfig } from '../support/sync-test-app';
import { createTestApp, TestApp } from '../support/test-app';

const SECRET = 'zammad-webhook-secret';
const FILE_NAME = 'Übersicht – 日本語.bin';
const FILE_BYTES = Buffer.concat([Buffer.from('Grüße 🚀\r\n', 'utf8'), Buffer.from([0, 1, 2, 253, 254, 255])]);

interface IssueBody {
  uuid: string;
  url: string;
  key: string;
  status: string;
  resolved: boolean | null;
}

interface CommentBody {
  description: string;
  is_public: boolean;
}

describe('Zammad sync', () => {
  let fake: FakeZammad;
  let testApp: TestApp;
  let syncConfig: SyncConfig;
  let appUrl: string;
  let user: UserWithToken;
  let staff: UserWithToken;

  beforeAll(async () => {
    fake = await startFakeZammad({ settings: { webhookRetryDelaysMs: [50, 50, 50, 50] } });
    syncConfig = syncTestConfig();
    testApp = await createTestApp({
      configure: (builder) => builder.overrideProvider(SYNC_CONFIG).useValue(syncConfig),
    });
    await testApp.app.listen(0, '127.0.0.1');
    appUrl = (await testApp.app.getUrl()).replace('[::1]', '127.0.0.1');
    await updateSettings(testApp, {
      WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad',
      ZAMMAD_API_URL: fake.url,
      ZAMMAD_TOKEN: fake.tokens.integration,
      ZAMMAD_WEBHOOK_SECRET: SECRET,
    });
    user = await createUser(testApp.dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' });
    staff = await createStaff(testApp.dataSource, { firstName: 'Stella', lastName: 'Staff', fullName: 'Stella Staff' });
  });

  afterAll(async () => {
    await testApp.close();
    await fake.close();
  });

  async function createIssue(summary: string): Promise<IssueBody> {
    const response = await testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', user.auth)
      .send({ summary, description: 'The VPN drops every 5 minutes.\nSince Monday.', is_reported_manually: true })
      .expect(201);
    return response.body;
  }

  async function getIssue(issue: IssueBody): Promise<IssueBody> {
    return (await testApp.http().get(`/api/support-issues/${issue.uuid}/`).set('Authorization', staff.auth).expect(200)).body;
  }

  async function comments(issue: IssueBody, viewer: UserWithToken = staff): Promise<CommentBody[]> {
    const response = await testApp
      .http()
      .get(`/api/support-comments/?issue=${encodeURIComponent(issue.url)}&o=created`)
      .set('Authorization', viewer.auth)
      .expect(200);
    return response.body;
  }

  function attachments(issue: IssueBody): Promise<Attachment[]> {
    return testApp.dataSource.getRepository(Attachment).find({ where: { issue: { uuid: parseUuid(issue.uuid)! } }, order: { id: 'ASC' } });
  }

  function storedBytes(attachment: Attachment): Promise<Buffer> {
    return testApp.app.get(FileStorage).readAll(attachment.storageKey!);
  }

  function ticketId(issue: IssueBody): number {
    const ticket = fake.data.tickets().find((candidate) => candidate.number === issue.key) as { id: number } | undefined;
    if (!ticket) throw new Error(`No Zammad ticket has the number ${issue.key}`);
    return ticket.id;
  }

  /** Waits until the fake sent every webhook and the inbox processed every delivery, none of them failing. */
  async function settleWebhooks(): Promise<void> {
    await fake.webhooks.waitForIdle(10_000);
    await testApp.app.get(InboxService).whenIdle();
    const failed = await testApp.dataSource.getRepository(InboxEntry).findBy({ source: 'zammad', status: 'failed' });
    expect(failed.map((entry) => entry.lastError)).toEqual([]);
  }

  /** Delivers the outbox until nothing is due, making back-off waits due at once. */
  async function drainOutbox(rounds = 5): Promise<void> {
    for (let round = 0; round < rounds; round += 1) {
      await makeEverythingDue(testApp);
      await testApp.app.get(OutboxWorker).drainUntilIdle();
    }
  }

  describe('push', () => {
    it('creates a ticket for a new issue', async () => {
      const issue = await createIssue('VPN unstable');

      const ticket = fake.data.ticket(ticketId(issue))!;
      expect(issue.key).toBe(ticket.number);
      expect(ticket.title).toBe('VPN unstable');
      expect(ticket.customer).toBe(user.user.email);
      expect(ticket.tags).toContain(`deskbridge-issue-${issue.uuid}`);
      expect(issue.status).toBe('new');
    });

    it('sends a comment as a marked article', async () => {
      const issue = await createIssue('Comment push');

      await testApp
        .http()
        .post(`/api/support-issues/${issue.uuid}/comment/`)
        .set('Authorization', user.auth)
        .send({ description: 'Still broken.', is_public: true })
        .expect(201);

      const article = fake.data.articles(ticketId(issue)).at(-1)!;
      const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ description: 'Still broken.' });
      expect(stored.backendId).toBe(String(article.id));
      expect(article.body).toBe('Still broken.<br><br>Created by Waldur<br><br>User: Jane Doe');
      expect(article.internal).toBe(false);
    });

    it('uploads a file byte for byte', async () => {
      const issue = await createIssue('File push');

      const response = await testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', user.auth)
        .field('issue', issue.url)
        .attach('file', FILE_BYTES, { filename: FILE_NAME, contentType: 'application/octet-stream' })
        .expect(201);

      const stored = await testApp.dataSource.getRepository(Attachment).findOneByOrFail({ uuid: parseUuid(response.body.uuid)! });
      const note = fake.data.articles(ticketId(issue)).at(-1)!;
      const [file] = note.attachments as Array<{ id: number; filename: string }>;
      expect(stored.backendId).toBe(String(file.id));
      expect(file.filename).toBe(FILE_NAME);
      expect(note.internal).toBe(true);
      expect(fake.data.attachmentBytes(file.id)?.equals(FILE_BYTES)).toBe(true);
    });

    it('finishes a create after Zammad recovers', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'error', status: 503, times: 2 });

      const issue = await createIssue('Created while down');
      expect(issue.key).toBe('');
      await drainOutbox();

      const stored = await testApp.dataSource.getRepository(Issue).findOneByOrFail({ uuid: parseUuid(issue.uuid)! });
      const tickets = fake.data.tickets().filter((ticket) => ticket.title === 'Created while down');
      expect(tickets).toHaveLength(1);
      expect(stored.key).toBe(tickets[0].number);
      expect(stored.state).toBe(SyncState.OK);
    });

    it('parks a comment whose error names a NUL character', async () => {
      const issue = await createIssue('Rejected with NUL');
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'error', status: 422, message: 'Invalid\u0000 body', times: 1 });

      await testApp.http().post(`/api/support-issues/${issue.uuid}/comment/`).set('Authorization', user.auth).send({ description: 'Rejected.' }).expect(201);

      const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ description: 'Rejected.' });
      const [row] = await testApp.dataSource.getRepository(OutboxEntry).findBy({ targetUuid: stored.uuid });
      expect(row.status).toBe('dead');
      expect(row.lastError).toContain('Invalid body');
      expect(stored.state).toBe(SyncState.ERRED);
    });

    it('adopts a comment whose response was lost', async () => {
      const issue = await createIssue('Lost response');
      const before = fake.data.articles(ticketId(issue)).length;
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'drop-after-commit', times: 1 });

      await testApp
        .http()
        .post(`/api/support-issues/${issue.uuid}/comment/`)
        .set('Authorization', user.auth)
        .send({ description: 'Sent once.' })
        .expect(201);

      const articles = fake.data.articles(ticketId(issue));
      const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ description: 'Sent once.' });
      expect(articles).toHaveLength(before + 1);
      expect(stored.backendId).toBe(String(articles.at(-1)!.id));
    });

    it('adopts a comment of a timed out attempt', async () => {
      const issue = await createIssue('Slow Zammad');
      const before = fake.data.articles(ticketId(issue)).length;
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'latency', latencyMs: 2_500, times: 1 });

      await testApp
        .http()
        .post(`/api/support-issues/${issue.uuid}/comment/`)
        .set('Authorization', user.auth)
        .send({ description: 'Arrives late.' })
        .expect(201);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await drainOutbox();

      const articles = fake.data.articles(ticketId(issue));
      const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ description: 'Arrives late.' });
      const rows = await testApp.dataSource.getRepository(OutboxEntry).findBy({ targetUuid: stored.uuid });
      expect(articles).toHaveLength(before + 1);
      expect(stored.backendId).toBe(String(articles.at(-1)!.id));
      expect(rows.map((row) => row.status)).toEqual(['done']);
    });
  });

  describe('webhooks', () => {
    let webhookId: number;

    beforeAll(() => {
      webhookId = fake.webhooks.register({ endpoint: `${appUrl}/api/support-zammad-webhook/`, signatureToken: SECRET }).id;
    });

    afterAll(async () => {
      await settleWebhooks();
      fake.webhooks.remove(webhookId);
    });

    it('brings an agent reply as a public comment', async () => {
      const issue = await createIssue('Webhook reply');
      await settleWebhooks();

      fake.agent.reply(ticketId(issue), { body: 'Hi Jane,<br><br>please <b>restart</b> the client.' });
      await settleWebhooks();

      expect(await comments(issue, user)).toMatchObject([{ description: 'Hi Jane,\n\nplease restart the client.', is_public: true }]);
    });

    it('brings an internal note as a private comment', async () => {
      const issue = await createIssue('Webhook note');

      fake.agent.note(ticketId(issue), { body: 'Firmware is outdated.' });
      await settleWebhooks();

      expect(await comments(issue)).toMatchObject([{ description: 'Firmware is outdated.', is_public: false }]);
      expect(await comments(issue, user)).toEqual([]);
    });

    it('resolves the issue on a closed ticket', async () => {
      const issue = await createIssue('Webhook close');

      fake.agent.setState(ticketId(issue), 'closed');
      await settleWebhooks();

      const stored = await getIssue(issue);
      expect(stored.status).toBe('closed');
      expect(stored.resolved).toBe(true);
    });

    it('stores an agent file byte for byte', async () => {
      const issue = await createIssue('Webhook file');

      fake.agent.attachFile(ticketId(issue), { filename: FILE_NAME, data: FILE_BYTES.toString('base64') });
      await settleWebhooks();

      const [attachment] = await attachments(issue);
      expect(attachment.fileName).toBe(FILE_NAME);
      expect((await storedBytes(attachment)).equals(FILE_BYTES)).toBe(true);
    });

    it('keeps our own comment single', async () => {
      const issue = await createIssue('Webhook echo');
      await testApp
        .http()
        .post(`/api/support-issues/${issue.uuid}/comment/`)
        .set('Authorization', user.auth)
        .send({ description: 'From the portal.' })
        .expect(201);

      await settleWebhooks();

      expect((await comments(issue)).map((comment) => comment.description)).toEqual(['From the portal.']);
    });

    it('applies a repeated delivery once', async () => {
      const issue = await createIssue('Webhook duplicate');
      await settleWebhooks();
      fake.webhooks.addFault({ kind: 'duplicate', times: 1 });

      fake.agent.reply(ticketId(issue), { body: 'Only once.' });
      await settleWebhooks();

      const [delivery] = fake.webhooks.deliveries().slice(-1);
      const stored = await testApp.dataSource.getRepository(InboxEntry).findBy({ source: 'zammad', deliveryId: delivery.deliveryId });
      expect(delivery.attempts.filter((attempt) => attempt.duplicate)).toHaveLength(1);
      expect(stored).toHaveLength(1);
      expect(await comments(issue)).toHaveLength(1);
    });

    it('applies a retried delivery once', async () => {
      const issue = await createIssue('Webhook retry');
      await settleWebhooks();
      fake.webhooks.addFault({ kind: 'fail-attempts', attempts: 2, sendToReceiver: true, times: 1 });

      fake.agent.reply(ticketId(issue), { body: 'Retried.' });
      await settleWebhooks();

      expect(await comments(issue)).toHaveLength(1);
    });

    it('rejects a wrong signature', async () => {
      const body = JSON.stringify({ ticket: { id: 1 }, article: {} });

      await testApp
        .http()
        .post('/api/support-zammad-webhook/')
        .set('Content-Type', 'application/json')
        .set('X-Zammad-Delivery', 'forged-1')
        .set('X-Hub-Signature', `sha1=${createHmac('sha1', 'wrong').update(body).digest('hex')}`)
        .send(body)
        .expect(403);

      expect(await testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'forged-1' })).toEqual([]);
    });

    it('rejects a missing signature', async () => {
      await testApp
        .http()
        .post('/api/support-zammad-webhook/')
        .set('Content-Type', 'application/json')
        .send({ ticket: { id: 1 } })
        .expect(403);
    });

    it.each(['not json', 'null', '{"ticket": '])('checks the signature of the unparsable body %j first', async (body) => {
      await testApp.http().post('/api/support-zammad-webhook/').set('Content-Type', 'application/json').send(body).expect(403);
    });

    it('stores a signed body that is not JSON', async () => {
      const body = '{"ticket": ';

      const response = await testApp
        .http()
        .post('/api/support-zammad-webhook/')
        .set('Content-Type', 'application/json')
        .set('X-Zammad-Delivery', 'truncated-1')
        .set('X-Hub-Signature', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`)
        .send(body)
        .expect(200);
      await testApp.app.get(InboxService).whenIdle();

      const [entry] = await testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'truncated-1' });
      expect(response.body).toEqual({});
      expect(entry.body.toString()).toBe(body);
      expect(entry.signatureVerdict).toBe('valid');
    });

    it('records a delivery whose error names a NUL character', async () => {
      const body = '{"ticket": \u0000}';

      await testApp
        .http()
        .post('/api/support-zammad-webhook/')
        .set('Content-Type', 'application/json')
        .set('X-Zammad-Delivery', 'nul-1')
        .set('X-Hub-Signature', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`)
        .send(body)
        .expect(200);
      await testApp.app.get(InboxService).whenIdle();

      const [entry] = await testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'nul-1' });
      expect(entry.status).toBe('ignored');
      expect(entry.lastError).toMatch(/^Not a Zammad trigger payload: /);
      expect(entry.lastError).not.toContain('\u0000');
    });

    it('answers a signed delivery with an empty object', async () => {
      const body = JSON.stringify({ ticket: { id: 99_999 }, article: null });

      const response = await testApp
        .http()
        .post('/api/support-zammad-webhook/')
        .set('Content-Type', 'application/json; charset=utf-8')
        .set('X-Zammad-Delivery', 'signed-1')
        .set('X-Hub-Signature', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`)
        .send(body)
        .expect(200);
      await testApp.app.get(InboxService).whenIdle();

      const [entry] = await testApp.dataSource.getRepository(InboxEntry).findBy({ deliveryId: 'signed-1' });
      expect(response.body).toEqual({});
      expect(entry.status).toBe('ignored');
      expect(entry.signatureVerdict).toBe('valid');
    });
  });

  describe('pull alone', () => {
    const pull = () => testApp.app.get(PullRunner).pullAll();

    it('brings replies, notes, files and the state', async () => {
      const issue = await createIssue('Pulled lifecycle');
      const ticket = ticketId(issue);
      fake.agent.reply(ticket, { body: 'Public answer.' });
      fake.agent.note(ticket, { body: 'Internal remark.' });
      fake.agent.attachFile(ticket, { filename: FILE_NAME, data: FILE_BYTES.toString('base64') }, { body: 'Log attached.' });
      fake.agent.setState(ticket, 'closed');

      await pull();

      const stored = await getIssue(issue);
      const [attachment] = await attachments(issue);
      const pulled = (await comments(issue)).sort((left, right) => left.description.localeCompare(right.description));
      expect(pulled).toMatchObject([
        { description: 'Internal remark.', is_public: false },
        { description: 'Log attached.', is_public: true },
        { description: 'Public answer.', is_public: true },
      ]);
      expect((await storedBytes(attachment)).equals(FILE_BYTES)).toBe(true);
      expect(stored.status).toBe('closed');
      expect(stored.resolved).toBe(true);
    });

    it('applies nothing twice', async () => {
      const issue = await createIssue('Pulled twice');
      fake.agent.reply(ticketId(issue), { body: 'Once.' });
      await pull();

      const second = await pull();

      expect(second.failed).toBe(0);
      expect(await comments(issue)).toHaveLength(1);
    });

    it('keeps the watermark when a pull fails', async () => {
      const issue = await createIssue('Pulled after failure');
      fake.agent.reply(ticketId(issue), { body: 'After the outage.' });
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets/search', kind: 'error', status: 503, times: 1 });

      const failed = await pull();
      const recovered = await pull();

      expect(failed.failed).toBe(1);
      expect(recovered.failed).toBe(0);
      expect(await comments(issue)).toMatchObject([{ description: 'After the outage.' }]);
    });

    it('copies text with NUL characters', async () => {
      const issue = await createIssue('Pulled NUL characters');
      const ticket = ticketId(issue);
      fake.agent.note(ticket, { body: 'Plain\u0000 text', contentType: 'text/plain' });
      fake.agent.reply(ticket, { body: '<p>Html\u0000 text</p>' });
      fake.agent.attachFile(ticket, { filename: 'log\u0000.txt', text: 'bytes' }, { body: 'File\u0000 attached.' });
      const watermarkBefore = await testApp.app.get(WatermarksRepository).find('zammad', 'issues');

      const counts = await pull();

      const descriptions = (await comments(issue)).map((comment) => comment.description).sort();
      const stored = await testApp.dataSource.getRepository(Comment).findBy({ issue: { uuid: parseUuid(issue.uuid)! } });
      const watermarkAfter = await testApp.app.get(WatermarksRepository).find('zammad', 'issues');
      expect(counts.failed).toBe(0);
      expect(descriptions).toEqual(['File attached.', 'Html text', 'Plain text']);
      expect(stored.map((comment) => comment.originalBody).sort()).toEqual(['<p>Html text</p>', 'File attached.', 'Plain text']);
      expect((await attachments(issue)).map((attachment) => attachment.fileName)).toEqual(['log.txt']);
      expect(watermarkAfter!.watermark!.getTime()).toBeGreaterThan(watermarkBefore?.watermark?.getTime() ?? 0);
    });

    it('keeps a file added in Zammad', async () => {
      const issue = await createIssue('Agent file kept');
      fake.agent.attachFile(ticketId(issue), { filename: 'agent.log', text: 'agent bytes' });
      await pull();
      const [pulled] = await attachments(issue);
      const upload = await testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', user.auth)
        .field('issue', issue.url)
        .attach('file', Buffer.from('own bytes'), { filename: 'own.log', contentType: 'text/plain' })
        .expect(201);

      const listed = await testApp.http().get(`/api/support-attachments/${pulled.uuid}/`).set('Authorization', staff.auth).expect(200);
      const refused = await testApp.http().delete(`/api/support-attachments/${pulled.uuid}/`).set('Authorization', staff.auth).expect(400);
      const own = await testApp.http().get(`/api/support-attachments/${upload.body.uuid}/`).set('Authorization', staff.auth).expect(200);

      expect(listed.body.destroy_is_available).toBe(false);
      expect(refused.body).toEqual({ non_field_errors: ['This attachment cannot be deleted.'] });
      expect(await testApp.dataSource.getRepository(OutboxEntry).findBy({ targetUuid: pulled.uuid })).toEqual([]);
      expect(own.body.destroy_is_available).toBe(true);
    });

    it('removes comments deleted in Zammad', async () => {
      const issue = await createIssue('Pulled deletion');
      const note = fake.agent.note(ticketId(issue), { body: 'Posted by mistake.' });
      await pull();
      await fetch(`${fake.url}/api/v1/ticket_articles/${note.id}`, { method: 'DELETE', headers: { Authorization: `Token token=${fake.tokens.agent}` } });
      fake.agent.reply(ticketId(issue), { body: 'Ignore my note.' });

      await pull();

      expect((await comments(issue)).map((comment) => comment.description)).toEqual(['Ignore my note.']);
    });

    describe('sync action', () => {
      const sync = (issue: IssueBody) => testApp.http().post(`/api/support-issues/${issue.uuid}/sync/`).set('Authorization', staff.auth);
      const exists = (issue: IssueBody) => testApp.dataSource.getRepository(Issue).existsBy({ uuid: parseUuid(issue.uuid)! });
      const deleteTicket = (issue: IssueBody) =>
        fetch(`${fake.url}/api/v1/tickets/${ticketId(issue)}`, { method: 'DELETE', headers: { Authorization: `Token token=${fake.tokens.integration}` } });

      it('deletes the issue of a deleted ticket', async () => {
        const issue = await createIssue('Deleted before sync');
        await deleteTicket(issue);

        const response = await sync(issue).expect(404);

        expect(response.body).toEqual({ detail: 'The zammad backend no longer has this issue, so it was deleted here too.' });
        expect(await exists(issue)).toBe(false);
      });

      it('keeps the issue of a ticket it may not see', async () => {
        const issue = await createIssue('Hidden before sync');
        fake.faults.add({ method: 'GET', path: `/api/v1/tickets/${ticketId(issue)}`, kind: 'error', status: 403, message: 'Not authorized', times: 4 });

        const response = await sync(issue).expect(424);
        fake.faults.clear();

        expect(response.body.detail).toContain('403');
        expect(await exists(issue)).toBe(true);
      });

      it('keeps the issue when every path returns 404', async () => {
        const issue = await createIssue('Wrong URL before sync');
        await deleteTicket(issue);
        fake.faults.add({ method: 'GET', path: '/api/v1/users/me', kind: 'error', status: 404, times: 4 });

        await sync(issue).expect(424);
        fake.faults.clear();
        const keptWhileBroken = await exists(issue);
        await sync(issue).expect(404);

        expect(keptWhileBroken).toBe(true);
        expect(await exists(issue)).toBe(false);
      });
    });

    it('deletes issues of deleted tickets', async () => {
      const issue = await createIssue('Ticket deleted in Zammad');
      await fetch(`${fake.url}/api/v1/tickets/${ticketId(issue)}`, {
        method: 'DELETE',
        headers: { Authorization: `Token token=${fake.tokens.integration}` },
      });
      syncConfig.pull.reconcileMaxGoneRatio = 1;

      const counts = await testApp.app.get(PullRunner).reconcileAll();

      expect(counts.gone).toBe(1);
      expect(await testApp.dataSource.getRepository(Issue).existsBy({ uuid: parseUuid(issue.uuid)! })).toBe(false);
    });
  });
});
