import { parseUuid } from '../../src/common/http/uuid';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { parseRequestAttachments } from '../fakes/smax/request-attachments';
import { binaryBody } from '../support/binary-body';
import { createStaff, UserWithToken } from '../support/factories';
import { storedFiles } from '../support/stored-files';
import { createSmaxTestApp, drainOutbox, findIssue, resetFakeSmax, settleWebhooks, SmaxTestApp } from '../support/smax-app';

const WEBHOOK_PATH = '/api/support-smax-webhook/';

describe('SMAX attachments', () => {
  let testApp: SmaxTestApp;
  let staff: UserWithToken;

  beforeAll(async () => {
    testApp = await createSmaxTestApp();
    staff = await createStaff(testApp.dataSource, { email: 'customer.one@example.com', firstName: 'Customer', lastName: 'One' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    resetFakeSmax(testApp.fake);
  });

  /** Creates an issue through the API and pushes it, so it has its Request. */
  async function createIssue(): Promise<{ uuid: string; key: string }> {
    const response = await testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', staff.auth)
      .send({ summary: 'Broken export', description: 'See the files.', type: 'Incident', is_reported_manually: true })
      .expect(201);
    await drainOutbox(testApp);
    const issue = await findIssue(testApp, parseUuid(response.body.uuid)!);
    return { uuid: response.body.uuid, key: issue.backendId! };
  }

  function upload(issueUuid: string, content: Buffer, fileName: string) {
    return testApp
      .http()
      .post('/api/support-attachments/')
      .set('Authorization', staff.auth)
      .field('issue', `http://127.0.0.1/api/support-issues/${issueUuid}/`)
      .attach('file', content, { filename: fileName, contentType: 'text/plain' })
      .expect(201);
  }

  function linkedFiles(requestId: string): string[] {
    const request = testApp.fake.getEntity('Request', requestId);
    return parseRequestAttachments(request?.RequestAttachments).map((entry) => entry.properties.id);
  }

  function attachmentOf(uuid: string): Promise<Attachment> {
    return testApp.dataSource.getRepository(Attachment).findOneByOrFail({ uuid: parseUuid(uuid)! });
  }

  it('uploads a file with a Unicode name to the Request byte for byte', async () => {
    const { uuid, key } = await createIssue();
    const content = Buffer.from('Zeile 1: Grüße\nline 2: 東京\n', 'utf8');
    const fileName = 'Bericht – März 東京.txt';

    const created = await upload(uuid, content, fileName);
    await drainOutbox(testApp);

    const files = linkedFiles(key);
    expect(files).toHaveLength(1);
    const file = testApp.fake.getFile(files[0]);
    expect(file?.name).toBe(fileName);
    expect(Buffer.compare(file!.content, content)).toBe(0);
    const attachment = await attachmentOf(created.body.uuid);
    expect(attachment.backendId).toBe(files[0]);
    expect(attachment.state).toBe(SyncState.OK);
  });

  it('unlinks a deleted attachment from the Request', async () => {
    const { uuid, key } = await createIssue();
    const created = await upload(uuid, Buffer.from('remove me'), 'remove.txt');
    await drainOutbox(testApp);
    expect(linkedFiles(key)).toHaveLength(1);

    await testApp.http().delete(`/api/support-attachments/${created.body.uuid}/`).set('Authorization', staff.auth).expect(204);
    await drainOutbox(testApp);

    expect(linkedFiles(key)).toEqual([]);
  });

  it.each([
    ['upload', '*/ces/attachment'],
    ['link', '*/ems/bulk'],
  ])('ends with one linked file when the %s response is lost', async (_step, path) => {
    const { uuid, key } = await createIssue();
    const content = Buffer.from('sent once');
    const created = await upload(uuid, content, 'once.txt');

    testApp.fake.addFault({ kind: 'drop-after-commit', method: 'POST', path, times: 1 });
    await drainOutbox(testApp);

    const files = linkedFiles(key);
    expect(files).toHaveLength(1);
    expect(Buffer.compare(testApp.fake.getFile(files[0])!.content, content)).toBe(0);
    const attachment = await attachmentOf(created.body.uuid);
    expect(attachment.backendId).toBe(files[0]);
    expect(attachment.state).toBe(SyncState.OK);
  });

  it('downloads an agent attachment that a webhook announces', async () => {
    const { uuid, key } = await createIssue();
    testApp.fake.addWebhookTarget({ url: `${testApp.url}${WEBHOOK_PATH}` });
    const content = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x20]);

    const { file } = testApp.fake.agent.attach(key, { fileName: 'Снимок экрана.png', contentType: 'image/png', content });
    await settleWebhooks(testApp);

    const list = await testApp.http().get('/api/support-attachments/').query({ issue_uuid: uuid }).set('Authorization', staff.auth).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].file_name).toBe('Снимок экрана.png');
    const download = await testApp.http().get(new URL(list.body[0].file).pathname).set('Authorization', staff.auth).buffer(true).parse(binaryBody).expect(200);
    expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
    const attachment = await attachmentOf(list.body[0].uuid);
    expect(attachment).toMatchObject({ backendId: file.guid, fileSize: content.length, mimeType: 'image/png' });
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('retries a failed download, then removes the dropped file', async () => {
    const { uuid, key } = await createIssue();
    testApp.fake.addWebhookTarget({ url: `${testApp.url}${WEBHOOK_PATH}` });
    testApp.fake.addFault({ kind: 'status', status: 503, method: 'GET', path: '*/frs/file-list/*' });
    const content = Buffer.from('agent log\n');

    const { file } = testApp.fake.agent.attach(key, { fileName: 'agent.log', contentType: 'text/plain', content });
    await settleWebhooks(testApp);
    const repository = testApp.dataSource.getRepository(Attachment);
    const pending = await repository.findOneByOrFail({ backendId: file.guid });
    expect(pending.storageKey).toBeNull();
    testApp.fake.clearFaults();

    testApp.fake.agent.comment(key, { body: '<p>Attached the log.</p>' });
    await settleWebhooks(testApp);
    const downloaded = await repository.findOneByOrFail({ backendId: file.guid });
    expect(downloaded.storageKey).not.toBeNull();
    const filesBefore = storedFiles(testApp, 'issue-attachments').length;

    testApp.fake.agent.updateRequest(key, { RequestAttachments: '' });
    await settleWebhooks(testApp);

    expect(await repository.findOneBy({ backendId: file.guid })).toBeNull();
    expect(storedFiles(testApp, 'issue-attachments')).toHaveLength(filesBefore - 1);
    const list = await testApp.http().get('/api/support-attachments/').query({ issue_uuid: uuid }).set('Authorization', staff.auth).expect(200);
    expect(list.body).toEqual([]);
  });
});
