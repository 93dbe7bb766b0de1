import { formatUuid, parseUuid } from '../../src/common/http/uuid';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { Comment } from '../../src/support/comments/comment.entity';
import { InboxEntry } from '../../src/support/sync/inbox/inbox-entry.entity';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { SYNC_CONFIG } from '../../src/support/sync/sync.config';
import { FakeZammad, startFakeZammad } from '../fakes/zammad';
import { binaryBody } from '../support/binary-body';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { updateSettings } from '../support/support-factories';
import { syncTestConfig } from '../support/sync-test-app';
import { createTestApp, TestApp } from '../support/test-app';

const SECRET = 'zammad-webhook-secret';
const DUMP_NAME = 'core-dump – intern.log';
const DUMP_BYTES = Buffer.from('agents only: password reset token 12345\n', 'utf8');

interface IssueBody {
  uuid: string;
  url: string;
  key: string;
}

describe('Zammad files of internal articles', () => {
  let fake: FakeZammad;
  let testApp: TestApp;
  let appUrl: string;
  let caller: UserWithToken;
  let staff: UserWithToken;
  let support: UserWithToken;

  beforeAll(async () => {
    fake = await startFakeZammad({ settings: { webhookRetryDelaysMs: [50, 50, 50, 50] } });
    testApp = await createTestApp({ configure: (builder) => builder.overrideProvider(SYNC_CONFIG).useValue(syncTestConfig()) });
    await testApp.app.listen(0, '127.0.0.1');
    appUrl = (await testApp.app.getUrl()).replace('[::1]', '127.0.0.1');
    await updateSettings(testApp, {
      WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad',
      ZAMMAD_API_URL: fake.url,
      ZAMMAD_TOKEN: fake.tokens.integration,
      ZAMMAD_WEBHOOK_SECRET: SECRET,
    });
    caller = await createUser(testApp.dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' });
    staff = await createStaff(testApp.dataSource, { firstName: 'Stella', lastName: 'Staff', fullName: 'Stella Staff' });
    support = await createUser(testApp.dataSource, { isSupport: true, firstName: 'Sue', lastName: 'Support', fullName: 'Sue Support' });
  });

  afterAll(async () => {
    await testApp.close();
    await fake.close();
  });

  async function createIssue(summary: string): Promise<IssueBody> {
    const response = await testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', caller.auth)
      .send({ summary, description: 'The VPN drops every 5 minutes.', is_reported_manually: true })
      .expect(201);
    return response.body;
  }

  function ticketId(issue: IssueBody): number {
    const ticket = fake.data.tickets().find((candidate) => candidate.number === issue.key) as { id: number } | undefined;
    if (!ticket) throw new Error(`No Zammad ticket has the number ${issue.key}`);
    return ticket.id;
  }

  async function settleWebhooks(): Promise<void> {
    await fake.webhooks.waitForIdle(10_000);
    await testApp.app.get(InboxService).whenIdle();
    const failed = await testApp.dataSource.getRepository(InboxEntry).findBy({ source: 'zammad', status: 'failed' });
    expect(failed.map((entry) => entry.lastError)).toEqual([]);
  }

  async function fileNamesFor(viewer: UserWithToken, issue: IssueBody): Promise<string[]> {
    const response = await testApp.http().get(`/api/support-attachments/?issue_uuid=${issue.uuid}`).set('Authorization', viewer.auth).expect(200);
    return (response.body as Array<{ file_name: string }>).map((file) => file.file_name).sort();
  }

  async function storedFile(issue: IssueBody, fileName: string): Promise<Attachment> {
    return testApp.dataSource.getRepository(Attachment).findOneOrFail({ where: { issue: { uuid: parseUuid(issue.uuid)! }, fileName } });
  }

  function retrieve(viewer: UserWithToken, attachment: Attachment) {
    return testApp.http().get(`/api/support-attachments/${formatUuid(attachment.uuid)}/`).set('Authorization', viewer.auth);
  }

  function download(viewer: UserWithToken, attachment: Attachment) {
    return testApp.http().get(`/api/support-attachments/${formatUuid(attachment.uuid)}/download/`).set('Authorization', viewer.auth).buffer(true).parse(binaryBody);
  }

  describe('internal note by webhook', () => {
    let webhookId: number;
    let issue: IssueBody;
    let dump: Attachment;

    beforeAll(async () => {
      webhookId = fake.webhooks.register({ endpoint: `${appUrl}/api/support-zammad-webhook/`, signatureToken: SECRET }).id;
      issue = await createIssue('Webhook internal file');
      await settleWebhooks();

      // An agent adds an internal note with a file, as Zammad's UI does.
      const response = await fetch(`${fake.url}/__fake/agent/tickets/${ticketId(issue)}/attachments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ filename: DUMP_NAME, data: DUMP_BYTES.toString('base64'), mimeType: 'text/plain', internal: true, body: 'Dump for the team.' }),
      });
      expect(response.status).toBe(201);
      await settleWebhooks();
      dump = await storedFile(issue, DUMP_NAME);
    });

    afterAll(async () => {
      await settleWebhooks();
      fake.webhooks.remove(webhookId);
    });

    it('links the file to the internal comment', async () => {
      const comment = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ id: dump.commentId! });

      expect(comment).toMatchObject({ description: 'Dump for the team.', isPublic: false });
    });

    it('leaves the file out of the caller list', async () => {
      expect(await fileNamesFor(caller, issue)).toEqual([]);
    });

    it('answers 404 to the caller retrieve', async () => {
      await retrieve(caller, dump).expect(404);
    });

    it('answers 404 to the caller download', async () => {
      await download(caller, dump).expect(404);
    });

    it('answers 404 to the caller delete', async () => {
      await testApp.http().delete(`/api/support-attachments/${formatUuid(dump.uuid)}/`).set('Authorization', caller.auth).expect(404);
    });

    it('leaves the file out of the caller issue detail', async () => {
      const response = await testApp.http().get(`/api/support-issues/${issue.uuid}/`).set('Authorization', caller.auth).expect(200);

      expect(JSON.stringify(response.body)).not.toContain(DUMP_NAME);
    });

    it.each([
      ['staff', () => staff],
      ['support', () => support],
    ])('lists the file for %s', async (_role, viewer) => {
      expect(await fileNamesFor(viewer(), issue)).toEqual([DUMP_NAME]);
    });

    it.each([
      ['staff', () => staff],
      ['support', () => support],
    ])('retrieves the file for %s', async (_role, viewer) => {
      const response = await retrieve(viewer(), dump).expect(200);

      expect(response.body).toMatchObject({ file_name: DUMP_NAME, file_size: DUMP_BYTES.length });
    });

    it.each([
      ['staff', () => staff],
      ['support', () => support],
    ])('serves the bytes to %s', async (_role, viewer) => {
      const response = await download(viewer(), dump).expect(200);

      expect(Buffer.compare(response.body as Buffer, DUMP_BYTES)).toBe(0);
    });
  });

  describe('pull alone', () => {
    it('hides the internal file and shows the public one', async () => {
      const issue = await createIssue('Pulled files');
      const ticket = ticketId(issue);
      fake.agent.note(ticket, { body: 'Internal dump.', attachments: [{ filename: DUMP_NAME, data: DUMP_BYTES.toString('base64') }] });
      fake.agent.reply(ticket, { body: 'Here is the manual.', attachments: [{ filename: 'manual.txt', text: 'Restart the client.' }] });

      await testApp.app.get(PullRunner).pullAll();

      expect(await fileNamesFor(caller, issue)).toEqual(['manual.txt']);
      expect(await fileNamesFor(staff, issue)).toEqual([DUMP_NAME, 'manual.txt'].sort());
      expect(await fileNamesFor(support, issue)).toEqual([DUMP_NAME, 'manual.txt'].sort());
    });

    it('serves the public file to the caller', async () => {
      const issue = await createIssue('Pulled public file');
      fake.agent.reply(ticketId(issue), { body: 'Here is the manual.', attachments: [{ filename: 'manual.txt', text: 'Restart the client.' }] });

      await testApp.app.get(PullRunner).pullAll();

      const manual = await storedFile(issue, 'manual.txt');
      const response = await download(caller, manual).expect(200);
      expect((response.body as Buffer).toString('utf8')).toBe('Restart the client.');
    });

    it('hides the file of a bare internal upload', async () => {
      const issue = await createIssue('Pulled bare file');
      fake.agent.attachFile(ticketId(issue), { filename: DUMP_NAME, data: DUMP_BYTES.toString('base64') }, { internal: true, body: '' });

      await testApp.app.get(PullRunner).pullAll();

      expect(await fileNamesFor(caller, issue)).toEqual([]);
      expect(await fileNamesFor(staff, issue)).toEqual([DUMP_NAME]);
    });

    it('shows the file once Zammad makes its note public', async () => {
      const issue = await createIssue('Pulled then published');
      const note = fake.agent.note(ticketId(issue), { body: 'Internal dump.', attachments: [{ filename: DUMP_NAME, data: DUMP_BYTES.toString('base64') }] });
      await testApp.app.get(PullRunner).pullAll();
      const published = await fetch(`${fake.url}/api/v1/ticket_articles/${note.id}`, {
        method: 'PUT',
        headers: { Authorization: `Token token=${fake.tokens.agent}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ internal: false }),
      });
      expect(published.status).toBe(200);
      // The fake does not move the ticket's updated_at when an article changes, so a reply
      // makes the next pull read the ticket.
      fake.agent.reply(ticketId(issue), { body: 'The dump is public now.' });

      await testApp.app.get(PullRunner).pullAll();

      expect(await fileNamesFor(caller, issue)).toEqual([DUMP_NAME]);
    });
  });
});
