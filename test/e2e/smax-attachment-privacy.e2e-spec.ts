import { formatUuid, parseUuid } from '../../src/common/http/uuid';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { AGENT_USER } from '../fakes/smax/seed';
import { callSmax, loginAs } from '../fakes/smax/smax-test-client';
import { binaryBody } from '../support/binary-body';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { commentsOf, createSmaxTestApp, drainOutbox, findIssue, resetFakeSmax, settleWebhooks, SmaxTestApp } from '../support/smax-app';

const WEBHOOK_PATH = '/api/support-smax-webhook/';
const DUMP_NAME = 'gateway-dump.log';
const DUMP_BYTES = Buffer.from('agents only: admin password hunter2\n', 'utf8');

describe('SMAX files of internal comments', () => {
  let testApp: SmaxTestApp;
  let caller: UserWithToken;
  let staff: UserWithToken;
  let support: UserWithToken;

  beforeAll(async () => {
    testApp = await createSmaxTestApp();
    caller = await createUser(testApp.dataSource, { email: 'jane.doe@example.org', firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' });
    staff = await createStaff(testApp.dataSource, { email: 'stella.staff@example.org', firstName: 'Stella', lastName: 'Staff' });
    support = await createUser(testApp.dataSource, { isSupport: true, email: 'sue.support@example.org', firstName: 'Sue', lastName: 'Support' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    resetFakeSmax(testApp.fake);
  });

  /** Files an issue as the caller and pushes it, so it has its Request. */
  async function createIssue(): Promise<{ uuid: string; requestId: string }> {
    const response = await testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', caller.auth)
      .send({ summary: 'Gateway crashes', description: 'Twice a day.', type: 'Incident', is_reported_manually: true })
      .expect(201);
    await drainOutbox(testApp);
    const issue = await findIssue(testApp, parseUuid(response.body.uuid)!);
    return { uuid: response.body.uuid, requestId: issue.backendId! };
  }

  /** Attaches a file as the SMAX agent and posts a comment that carries it, through the collaboration API. */
  async function agentCommentWithFile(requestId: string, privacy: 'PUBLIC' | 'INTERNAL', fileName: string, content: Buffer): Promise<string> {
    const { file } = testApp.fake.agent.attach(requestId, { fileName, contentType: 'text/plain', content });
    const token = await loginAs(testApp.fake, AGENT_USER.login, AGENT_USER.password);
    const response = await callSmax(testApp.fake, `/collaboration/comments/Request/${requestId}/`, {
      method: 'POST',
      token,
      json: { Body: `<p>See ${fileName}.</p>`, PrivacyType: privacy, Submitter: { UserId: AGENT_USER.personId }, AttachmentIds: [file.guid] },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { Id: string }).Id;
  }

  async function fileNamesFor(viewer: UserWithToken, issueUuid: string): Promise<string[]> {
    const response = await testApp.http().get('/api/support-attachments/').query({ issue_uuid: issueUuid }).set('Authorization', viewer.auth).expect(200);
    return (response.body as Array<{ file_name: string }>).map((file) => file.file_name).sort();
  }

  function storedFile(fileName: string): Promise<Attachment> {
    return testApp.dataSource.getRepository(Attachment).findOneByOrFail({ fileName });
  }

  function download(viewer: UserWithToken, attachment: Attachment) {
    return testApp.http().get(`/api/support-attachments/${formatUuid(attachment.uuid)}/download/`).set('Authorization', viewer.auth).buffer(true).parse(binaryBody);
  }

  describe('by webhook', () => {
    let issueUuid: string;
    let dump: Attachment;

    beforeAll(async () => {
      resetFakeSmax(testApp.fake);
      testApp.fake.addWebhookTarget({ url: `${testApp.url}${WEBHOOK_PATH}` });
      const { uuid, requestId } = await createIssue();
      issueUuid = uuid;
      await agentCommentWithFile(requestId, 'INTERNAL', DUMP_NAME, DUMP_BYTES);
      await agentCommentWithFile(requestId, 'PUBLIC', 'howto.txt', Buffer.from('Restart the gateway.'));
      await settleWebhooks(testApp);
      dump = await storedFile(DUMP_NAME);
    });

    it('shows the caller only the public file', async () => {
      expect(await fileNamesFor(caller, issueUuid)).toEqual(['howto.txt']);
    });

    it('answers 404 to the caller retrieve', async () => {
      await testApp.http().get(`/api/support-attachments/${formatUuid(dump.uuid)}/`).set('Authorization', caller.auth).expect(404);
    });

    it('answers 404 to the caller download', async () => {
      await download(caller, dump).expect(404);
    });

    it.each([
      ['staff', () => staff],
      ['support', () => support],
    ])('lists both files for %s', async (_role, viewer) => {
      expect(await fileNamesFor(viewer(), issueUuid)).toEqual([DUMP_NAME, 'howto.txt']);
    });

    it.each([
      ['staff', () => staff],
      ['support', () => support],
    ])('serves the internal file to %s', async (_role, viewer) => {
      const response = await download(viewer(), dump).expect(200);

      expect(Buffer.compare(response.body as Buffer, DUMP_BYTES)).toBe(0);
    });

    it('serves the public file to the caller', async () => {
      const response = await download(caller, await storedFile('howto.txt')).expect(200);

      expect((response.body as Buffer).toString('utf8')).toBe('Restart the gateway.');
    });
  });

  describe('by pull', () => {
    it('keeps the file hidden after its comment is deleted', async () => {
      const { uuid, requestId } = await createIssue();
      const commentId = await agentCommentWithFile(requestId, 'INTERNAL', 'deleted-note.log', DUMP_BYTES);
      await testApp.app.get(PullRunner).pullAll();
      const token = await loginAs(testApp.fake, AGENT_USER.login, AGENT_USER.password);
      const deleted = await callSmax(testApp.fake, `/collaboration/comments/Request/${requestId}/${commentId}`, { method: 'DELETE', token });
      expect(deleted.status).toBe(200);

      await testApp.app.get(PullRunner).pullAll();

      const issue = await findIssue(testApp, parseUuid(uuid)!);
      expect(await commentsOf(testApp, issue)).toEqual([]);
      expect(await fileNamesFor(caller, uuid)).toEqual([]);
      expect(await fileNamesFor(staff, uuid)).toEqual(['deleted-note.log']);
    });
  });
});
