import { createHash } from 'node:crypto';

import { formatUuid } from '../../src/common/http/uuid';
import { Customer } from '../../src/identity/customers/customer.entity';
import { Project } from '../../src/identity/projects/project.entity';
import { SettingsService } from '../../src/settings/settings.service';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { binaryBody } from '../support/binary-body';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from '../support/factories';
import { createSupportTestApp, RecordingSupportBackend } from '../support/recording-backend';
import { storedFiles } from '../support/stored-files';
import { createIssue } from '../support/support-rows';
import { TestApp } from '../support/test-app';

const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('support attachments', () => {
  let testApp: TestApp;
  let backend: RecordingSupportBackend;
  let settings: SettingsService;
  let staff: UserWithToken;
  let support: UserWithToken;
  let owner: UserWithToken;
  let customerSupport: UserWithToken;
  let projectAdmin: UserWithToken;
  let projectMember: UserWithToken;
  let caller: UserWithToken;
  let stranger: UserWithToken;
  let customer: Customer;
  let project: Project;
  let issue: Issue;

  const issueUrl = (target: Issue) => `http://localhost/api/support-issues/${formatUuid(target.uuid)}/`;
  const storedIssueFiles = () => storedFiles(testApp, 'issue-attachments');

  const upload = (who: UserWithToken, target: Issue, content: Buffer, fileName: string, contentType = 'application/octet-stream') =>
    testApp.http().post('/api/support-attachments/').set('Authorization', who.auth).field('issue', issueUrl(target)).attach('file', content, { filename: fileName, contentType });

  beforeAll(async () => {
    backend = new RecordingSupportBackend();
    testApp = await createSupportTestApp(backend);
    settings = testApp.app.get(SettingsService);
    const dataSource = testApp.dataSource;

    staff = await createStaff(dataSource);
    support = await createUser(dataSource, { isSupport: true });
    owner = await createUser(dataSource);
    customerSupport = await createUser(dataSource);
    projectAdmin = await createUser(dataSource);
    projectMember = await createUser(dataSource);
    caller = await createUser(dataSource);
    stranger = await createUser(dataSource);

    customer = await createCustomer(dataSource);
    project = await createProject(dataSource, customer);
    await grantRole(dataSource, owner.user, 'CUSTOMER.OWNER', customer);
    await grantRole(dataSource, customerSupport.user, 'CUSTOMER.SUPPORT', customer);
    await grantRole(dataSource, projectAdmin.user, 'PROJECT.ADMIN', project);
    await grantRole(dataSource, projectMember.user, 'PROJECT.MEMBER', project);
    issue = await createIssue(dataSource, { customerId: customer.id, projectId: project.id, callerId: caller.user.id });
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(async () => {
    backend.calls = [];
    backend.maxAttachmentBytes = undefined;
    backend.attachmentsCreatable = true;
    backend.attachmentsDestroyable = true;
    await settings.update({ SUPPORT_ATTACHMENT_MAX_SIZE_MB: 25, ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '' });
  });

  describe('upload and download', () => {
    it('round-trips a Unicode file name byte for byte', async () => {
      const content = Buffer.from('Grüße aus Tartu\nüks, kaks, kolm\n', 'utf8');
      const decomposedName = 'Ре\u0301зюме – cafe\u0301 😀.txt';

      const created = await upload(caller, issue, content, decomposedName, 'application/x-whatever').expect(201);

      expect(created.body.file_name).toBe(decomposedName.normalize('NFC'));
      expect(created.body.file_size).toBe(content.length);
      expect(created.body.mime_type).toBe('text/plain');
      expect(created.body.issue).toMatch(new RegExp(`/api/support-issues/${formatUuid(issue.uuid)}/$`));
      expect(created.body.issue_key).toBe(issue.key);
      expect(created.body.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(created.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/support-attachments\/[0-9a-f]{32}\/$/);
      expect(created.body.file).toBe(`${created.body.url}download/`);
      expect(created.body.destroy_is_available).toBe(true);

      const download = await testApp.http().get(new URL(created.body.file).pathname).set('Authorization', caller.auth).buffer(true).parse(binaryBody).expect(200);
      expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
      expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(download.headers['content-length']).toBe(String(content.length));
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="______ _ cafe _.txt"; filename*=UTF-8''${encodeURIComponent(decomposedName.normalize('NFC'))}`,
      );
    });

    it('records sha256 and the storage key', async () => {
      const content = Buffer.from('checksum me');
      const created = await upload(caller, issue, content, 'sum.txt').expect(201);
      const row = await testApp.dataSource.getRepository(Attachment).findOneByOrFail({ uuid: created.body.uuid });
      expect(row.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(row.storageKey).toMatch(/^issue-attachments\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    });

    it('sniffs an image regardless of the claimed type', async () => {
      const created = await upload(caller, issue, PNG_BYTES, 'not-really.txt', 'text/plain').expect(201);
      expect(created.body.mime_type).toBe('image/png');
    });

    it('labels unknown binary as octet-stream', async () => {
      const created = await upload(caller, issue, Buffer.from([0x00, 0xff, 0x10, 0x80, 0x00, 0x01]), 'blob.bin').expect(201);
      expect(created.body.mime_type).toBe('application/octet-stream');
    });

    it('labels invalid UTF-8 as octet-stream', async () => {
      const created = await upload(caller, issue, Buffer.from([0x68, 0x69, 0xc3, 0x28]), 'latin.txt').expect(201);
      expect(created.body.mime_type).toBe('application/octet-stream');
    });

    it('passes the bytes to the backend and keeps its id', async () => {
      backend.nextAttachmentBackendId = 'remote-77';
      const created = await upload(caller, issue, Buffer.from('for the desk'), 'desk.txt').expect(201);
      backend.nextAttachmentBackendId = undefined;

      expect(created.body.backend_id).toBe('remote-77');
      expect(backend.callsOf('createAttachment')).toEqual([
        { method: 'createAttachment', subject: expect.any(String), issue: issue.uuid, bytes: 12 },
      ]);
    });
  });

  describe('upload validation', () => {
    it('rejects a JSON body with 415', async () => {
      const response = await testApp.http().post('/api/support-attachments/').set('Authorization', caller.auth).send({ issue: issueUrl(issue), file: 'abc' }).expect(415);
      expect(response.body.detail).toContain('application/json');
    });

    it('rejects a file over the size setting with 413', async () => {
      await settings.update({ SUPPORT_ATTACHMENT_MAX_SIZE_MB: 1 });
      const before = storedIssueFiles().length;

      const response = await upload(caller, issue, Buffer.alloc(1024 * 1024 + 1, 0x61), 'big.txt').expect(413);

      expect(response.body.detail).toBe('The file is too large. The maximum size is 1 MB.');
      expect(storedIssueFiles().length).toBe(before);
    });

    it('accepts a file of exactly the limit', async () => {
      await settings.update({ SUPPORT_ATTACHMENT_MAX_SIZE_MB: 1 });
      await upload(caller, issue, Buffer.alloc(1024 * 1024, 0x61), 'exact.txt').expect(201);
    });

    it('applies the lower backend limit', async () => {
      backend.maxAttachmentBytes = 512 * 1024;
      const response = await upload(caller, issue, Buffer.alloc(512 * 1024 + 1, 0x61), 'half.txt').expect(413);
      expect(response.body.detail).toBe('The file is too large. The maximum size is 0.5 MB.');
    });

    it('rejects an excluded extension', async () => {
      await settings.update({ ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '.exe, bat' });
      const response = await upload(caller, issue, Buffer.from('MZ'), 'setup.EXE').expect(400);
      expect(response.body).toEqual({ file: ['Files with the .exe extension are not accepted.'] });
      await upload(caller, issue, Buffer.from('echo'), 'run.bat').expect(400);
    });

    it('matches extensions whole, not as substrings', async () => {
      await settings.update({ ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '.ex' });
      await upload(caller, issue, Buffer.from('MZ'), 'setup.exe').expect(201);
    });

    it('accepts a file without extension', async () => {
      await settings.update({ ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '.exe' });
      const created = await upload(caller, issue, Buffer.from('plain'), 'README').expect(201);
      expect(created.body.file_name).toBe('README');
    });

    it('ignores trailing dots when matching extensions', async () => {
      await settings.update({ ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '.exe' });
      await upload(caller, issue, Buffer.from('MZ'), 'setup.exe.').expect(400);
    });

    it('rejects an empty file', async () => {
      const response = await upload(caller, issue, Buffer.alloc(0), 'empty.txt').expect(400);
      expect(response.body).toEqual({ file: ['The submitted file is empty.'] });
    });

    it('requires a file', async () => {
      const response = await testApp.http().post('/api/support-attachments/').set('Authorization', caller.auth).field('issue', issueUrl(issue)).expect(400);
      expect(response.body).toEqual({ file: ['No file was submitted.'] });
    });

    it('requires an issue', async () => {
      const response = await testApp.http().post('/api/support-attachments/').set('Authorization', caller.auth).attach('file', Buffer.from('x'), 'x.txt').expect(400);
      expect(response.body).toEqual({ issue: ['This field is required.'] });
    });

    it('rejects when backend disallows uploads', async () => {
      backend.attachmentsCreatable = false;
      await upload(caller, issue, Buffer.from('x'), 'x.txt').expect(400);
    });

    it('returns 409 for inactive backend', async () => {
      const jiraIssue = await createIssue(testApp.dataSource, { callerId: caller.user.id, backendName: 'atlassian' });
      const response = await upload(caller, jiraIssue, Buffer.from('x'), 'x.txt').expect(409);
      expect(response.body.detail).toContain('atlassian');
    });

    it('leaves no file behind after a rejected upload', async () => {
      const before = storedIssueFiles().length;
      await upload(stranger, issue, Buffer.from('nope'), 'nope.txt').expect(400);
      await upload(customerSupport, issue, Buffer.from('nope'), 'nope.txt').expect(403);
      expect(storedIssueFiles().length).toBe(before);
    });
  });

  describe('who may upload', () => {
    it.each([
      ['staff', () => staff],
      ['global support', () => support],
      ['customer owner', () => owner],
      ['project admin', () => projectAdmin],
      ['project member', () => projectMember],
      ['caller', () => caller],
    ])('accepts %s', async (_label, who) => {
      await upload(who(), issue, Buffer.from('hello'), 'hello.txt').expect(201);
    });

    it('rejects customer support role with 403', async () => {
      await upload(customerSupport, issue, Buffer.from('hello'), 'hello.txt').expect(403);
    });

    it('hides the issue from a stranger', async () => {
      const response = await upload(stranger, issue, Buffer.from('hello'), 'hello.txt').expect(400);
      expect(response.body).toEqual({ issue: ['Invalid hyperlink - Object does not exist.'] });
    });

    it('rejects anonymous with 401', async () => {
      await testApp.http().post('/api/support-attachments/').field('issue', issueUrl(issue)).attach('file', Buffer.from('x'), 'x.txt').expect(401);
    });
  });

  describe('reading', () => {
    let attachmentUuid: string;
    let downloadPath: string;

    beforeAll(async () => {
      const created = await upload(caller, issue, Buffer.from('secret plans'), 'plans.txt').expect(201);
      attachmentUuid = created.body.uuid;
      downloadPath = new URL(created.body.file).pathname;
    });

    it.each([
      ['staff', () => staff],
      ['global support', () => support],
      ['customer owner', () => owner],
      ['project admin', () => projectAdmin],
      ['project member', () => projectMember],
      ['caller', () => caller],
    ])('lets %s download', async (_label, who) => {
      const response = await testApp.http().get(downloadPath).set('Authorization', who().auth).buffer(true).parse(binaryBody).expect(200);
      expect((response.body as Buffer).toString()).toBe('secret plans');
    });

    it.each([
      ['customer support role', () => customerSupport],
      ['stranger', () => stranger],
    ])('hides the download from %s', async (_label, who) => {
      await testApp.http().get(downloadPath).set('Authorization', who().auth).expect(404);
      await testApp.http().get(`/api/support-attachments/${attachmentUuid}/`).set('Authorization', who().auth).expect(404);
    });

    it('requires a token to download', async () => {
      await testApp.http().get(downloadPath).expect(401);
    });

    it('retrieves by a braced UUID', async () => {
      const response = await testApp.http().get(`/api/support-attachments/%7B${attachmentUuid}%7D/`).set('Authorization', caller.auth).expect(200);
      expect(response.body.uuid).toBe(attachmentUuid);
    });

    it('returns 404 for malformed UUID', async () => {
      await testApp.http().get('/api/support-attachments/not-a-uuid/').set('Authorization', staff.auth).expect(404);
    });

    it('filters the list by issue hyperlink and uuid', async () => {
      const other = await createIssue(testApp.dataSource, { callerId: caller.user.id });
      await upload(caller, other, Buffer.from('other'), 'other.txt').expect(201);

      const byUrl = await testApp.http().get('/api/support-attachments/').query({ issue: issueUrl(other) }).set('Authorization', caller.auth).expect(200);
      expect(byUrl.body.map((row: { file_name: string }) => row.file_name)).toEqual(['other.txt']);
      expect(byUrl.headers['x-result-count']).toBe('1');

      const byUuid = await testApp.http().get('/api/support-attachments/').query({ issue_uuid: formatUuid(other.uuid) }).set('Authorization', caller.auth).expect(200);
      expect(byUuid.body).toHaveLength(1);
    });

    it('restricts the fields on request', async () => {
      const response = await testApp.http().get(`/api/support-attachments/${attachmentUuid}/?field=uuid&field=file_name`).set('Authorization', caller.auth).expect(200);
      expect(response.body).toEqual({ uuid: attachmentUuid, file_name: 'plans.txt' });
    });

    it('lists nothing of hidden issues', async () => {
      const response = await testApp.http().get('/api/support-attachments/').set('Authorization', stranger.auth).expect(200);
      expect(response.body).toEqual([]);
      expect(response.headers['x-result-count']).toBe('0');
    });

    it('returns only the count on HEAD', async () => {
      const response = await testApp.http().head('/api/support-attachments/').set('Authorization', staff.auth).expect(200);
      expect(Number(response.headers['x-result-count'])).toBeGreaterThan(0);
    });

    it.each(['put', 'patch'] as const)('rejects %s with 405', async (method) => {
      const response = await testApp.http()[method](`/api/support-attachments/${attachmentUuid}/`).set('Authorization', staff.auth).send({}).expect(405);
      expect(response.body).toEqual({ detail: `Method "${method.toUpperCase()}" not allowed.` });
      expect(response.headers.allow).toBe('GET, DELETE, HEAD, OPTIONS');
    });
  });

  describe('files named in an internal comment', () => {
    const comment = (who: UserWithToken, description: string, isPublic: boolean) =>
      testApp
        .http()
        .post(`/api/support-issues/${formatUuid(issue.uuid)}/comment/`)
        .set('Authorization', who.auth)
        .send({ description, is_public: isPublic })
        .expect(201);
    const fileNames = async (who: UserWithToken) => {
      const response = await testApp.http().get('/api/support-attachments/').query({ issue_uuid: formatUuid(issue.uuid), page_size: 100 }).set('Authorization', who.auth).expect(200);
      return response.body.map((row: { file_name: string }) => row.file_name);
    };

    it('hides a file staff named in an internal comment', async () => {
      const file = (await upload(staff, issue, Buffer.from('internal notes'), 'triage-internal.txt').expect(201)).body;
      await comment(staff, '[^triage-internal.txt]', false);

      expect(await fileNames(caller)).not.toContain('triage-internal.txt');
      await testApp.http().get(`/api/support-attachments/${file.uuid}/`).set('Authorization', caller.auth).expect(404);
      await testApp.http().get(new URL(file.file).pathname).set('Authorization', caller.auth).expect(404);
      expect(await fileNames(support)).toContain('triage-internal.txt');
    });

    it('hides a file once an edit names it in an internal comment', async () => {
      await upload(staff, issue, Buffer.from('log'), 'later-internal.log').expect(201);
      const created = (await comment(staff, 'Looking into it.', false)).body;
      expect(await fileNames(caller)).toContain('later-internal.log');

      await testApp.http().patch(`/api/support-comments/${created.uuid}/`).set('Authorization', staff.auth).send({ description: 'See !later-internal.log!' }).expect(200);

      expect(await fileNames(caller)).not.toContain('later-internal.log');
    });

    it('keeps a file named in a public comment visible', async () => {
      await upload(staff, issue, Buffer.from('howto'), 'howto-public.txt').expect(201);
      await comment(staff, '[^howto-public.txt]', true);

      expect(await fileNames(caller)).toContain('howto-public.txt');
    });

    it("keeps the caller's own file visible when staff name it internally", async () => {
      await upload(caller, issue, Buffer.from('screenshot'), 'caller-screenshot.txt').expect(201);
      await comment(staff, 'Internal: see [^caller-screenshot.txt]', false);

      expect(await fileNames(caller)).toContain('caller-screenshot.txt');
    });
  });

  describe('deleting', () => {
    const uploadAs = async (who: UserWithToken) => (await upload(who, issue, Buffer.from('to delete'), 'delete-me.txt').expect(201)).body;

    it('deletes by a braced UUID and removes the file', async () => {
      const created = await uploadAs(caller);
      const before = storedIssueFiles().length;

      await testApp.http().delete(`/api/support-attachments/%7B${created.uuid}%7D/`).set('Authorization', caller.auth).expect(204);

      expect(storedIssueFiles().length).toBe(before - 1);
      expect(await testApp.dataSource.getRepository(Attachment).existsBy({ uuid: created.uuid })).toBe(false);
      expect(backend.callsOf('deleteAttachment')).toHaveLength(1);
      await testApp.http().get(new URL(created.file).pathname).set('Authorization', caller.auth).expect(404);
    });

    it.each([
      ['staff', () => staff],
      ['customer owner', () => owner],
    ])('lets %s delete what others uploaded', async (_label, who) => {
      const created = await uploadAs(projectMember);
      await testApp.http().delete(`/api/support-attachments/${created.uuid}/`).set('Authorization', who().auth).expect(204);
    });

    it.each([
      ['global support', () => support],
      ['project admin', () => projectAdmin],
      ['caller', () => caller],
    ])('rejects %s deleting others\' uploads', async (_label, who) => {
      const created = await uploadAs(projectMember);
      await testApp.http().delete(`/api/support-attachments/${created.uuid}/`).set('Authorization', who().auth).expect(403);
    });

    it('hides the attachment from a stranger', async () => {
      const created = await uploadAs(caller);
      await testApp.http().delete(`/api/support-attachments/${created.uuid}/`).set('Authorization', stranger.auth).expect(404);
    });

    it('rejects when backend disallows deletion', async () => {
      const created = await uploadAs(caller);
      backend.attachmentsDestroyable = false;
      await testApp.http().delete(`/api/support-attachments/${created.uuid}/`).set('Authorization', staff.auth).expect(400);
    });
  });
});
