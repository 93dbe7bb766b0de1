import { SettingsService } from '../../src/settings/settings.service';
import { Template } from '../../src/support/templates/template.entity';
import { TemplateAttachment } from '../../src/support/templates/template-attachment.entity';
import { binaryBody } from '../support/binary-body';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createSupportTestApp, RecordingSupportBackend } from '../support/recording-backend';
import { storedFiles } from '../support/stored-files';
import { createIssue } from '../support/support-rows';
import { TestApp } from '../support/test-app';

const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

interface TemplateBody {
  url: string;
  uuid: string;
  name: string;
  description: string;
  issue_type: string;
  attachments: { uuid: string; name: string; file: string; mime_type: string; file_size: number; created: string }[];
}

describe('support templates', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;

  const createTemplate = async (fields: Record<string, unknown> = {}): Promise<TemplateBody> =>
    (
      await testApp
        .http()
        .post('/api/support-templates/')
        .set('Authorization', staff.auth)
        .send({ name: 'VM request', description: 'Describe the VM you need.', issue_type: 'SERVICE_REQUEST', ...fields })
        .expect(201)
    ).body;

  const attach = (who: UserWithToken, template: TemplateBody) =>
    testApp.http().post(`/api/support-templates/${template.uuid}/create_attachments/`).set('Authorization', who.auth);

  beforeAll(async () => {
    testApp = await createSupportTestApp(new RecordingSupportBackend());
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('CRUD', () => {
    it('creates a template as staff', async () => {
      const created = await createTemplate({ name: '  Trimmed name  ' });

      expect(created.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(created.url).toMatch(new RegExp(`/api/support-templates/${created.uuid}/$`));
      expect(created.name).toBe('Trimmed name');
      expect(created.issue_type).toBe('SERVICE_REQUEST');
      expect(created.attachments).toEqual([]);
    });

    it('defaults the issue type', async () => {
      const created = await createTemplate({ issue_type: undefined });
      expect(created.issue_type).toBe('INFORMATIONAL');
    });

    it.each([
      ['global support', () => support],
      ['plain user', () => user],
    ])('rejects creation by %s', async (_label, who) => {
      await testApp.http().post('/api/support-templates/').set('Authorization', who().auth).send({ name: 'x', description: 'y' }).expect(403);
    });

    it('checks permission before validation', async () => {
      await testApp.http().post('/api/support-templates/').set('Authorization', user.auth).send({}).expect(403);
    });

    it('validates the fields', async () => {
      const response = await testApp
        .http()
        .post('/api/support-templates/')
        .set('Authorization', staff.auth)
        .send({ name: '   ', description: 'ok', issue_type: 'BOGUS' })
        .expect(400);
      expect(response.body.name).toEqual(['This field may not be blank.']);
      expect(response.body.issue_type).toEqual(['"BOGUS" is not a valid choice.']);
    });

    it('requires name and description', async () => {
      const response = await testApp.http().post('/api/support-templates/').set('Authorization', staff.auth).send({}).expect(400);
      expect(response.body).toEqual({ name: ['This field is required.'], description: ['This field is required.'] });
    });

    it('lists ordered by name for any user', async () => {
      await createTemplate({ name: 'zzz last' });
      await createTemplate({ name: 'aaa first' });

      const response = await testApp.http().get('/api/support-templates/?page_size=300').set('Authorization', user.auth).expect(200);

      const names: string[] = response.body.map((template: TemplateBody) => template.name);
      expect(names[0]).toBe('aaa first');
      expect(names[names.length - 1]).toBe('zzz last');
      expect(response.headers['x-result-count']).toBe(String(names.length));
    });

    it('rejects anonymous listing', async () => {
      await testApp.http().get('/api/support-templates/').expect(401);
    });

    it('retrieves by a braced UUID', async () => {
      const created = await createTemplate();
      const response = await testApp.http().get(`/api/support-templates/%7B${created.uuid}%7D/`).set('Authorization', user.auth).expect(200);
      expect(response.body.uuid).toBe(created.uuid);
    });

    it('replaces with PUT and patches with PATCH', async () => {
      const created = await createTemplate();

      const replaced = await testApp
        .http()
        .put(`/api/support-templates/${created.uuid}/`)
        .set('Authorization', staff.auth)
        .send({ name: 'Renamed', description: 'New text', issue_type: 'INCIDENT' })
        .expect(200);
      expect(replaced.body).toMatchObject({ name: 'Renamed', description: 'New text', issue_type: 'INCIDENT' });

      const patched = await testApp.http().patch(`/api/support-templates/${created.uuid}/`).set('Authorization', staff.auth).send({ description: 'Patched' }).expect(200);
      expect(patched.body).toMatchObject({ name: 'Renamed', description: 'Patched', issue_type: 'INCIDENT' });
    });

    it('requires every field on PUT', async () => {
      const created = await createTemplate();
      await testApp.http().put(`/api/support-templates/${created.uuid}/`).set('Authorization', staff.auth).send({ name: 'Only name' }).expect(400);
    });

    it('rejects updates by non-staff', async () => {
      const created = await createTemplate();
      await testApp.http().patch(`/api/support-templates/${created.uuid}/`).set('Authorization', support.auth).send({ name: 'x' }).expect(403);
      await testApp.http().delete(`/api/support-templates/${created.uuid}/`).set('Authorization', user.auth).expect(403);
    });

    it('deletes a template', async () => {
      const created = await createTemplate();
      await testApp.http().delete(`/api/support-templates/${created.uuid}/`).set('Authorization', staff.auth).expect(204);
      await testApp.http().get(`/api/support-templates/${created.uuid}/`).set('Authorization', staff.auth).expect(404);
    });

    it('keeps a template that issues use', async () => {
      const created = await createTemplate();
      const row = await testApp.dataSource.getRepository(Template).findOneByOrFail({ uuid: created.uuid });
      await createIssue(testApp.dataSource, { templateId: row.id });

      const response = await testApp.http().delete(`/api/support-templates/${created.uuid}/`).set('Authorization', staff.auth).expect(409);
      expect(response.body.detail).toBe('This template is used by 1 issue(s) and cannot be deleted.');
    });

    it('returns 404 for an unknown template', async () => {
      await testApp.http().get('/api/support-templates/0123456789abcdef0123456789abcdef/').set('Authorization', staff.auth).expect(404);
    });
  });

  describe('attachments', () => {
    it('attaches several files and serves them', async () => {
      const template = await createTemplate();

      const response = await attach(staff, template)
        .attach('attachments', PDF_BYTES, { filename: 'Anleitung für VMs.pdf', contentType: 'application/octet-stream' })
        .attach('attachments', Buffer.from('step one\nstep two\n'), 'steps.txt')
        .expect(201);

      const attachments = (response.body as TemplateBody).attachments;
      expect(attachments.map((attachment) => attachment.name)).toEqual(['Anleitung für VMs.pdf', 'steps.txt']);
      expect(attachments[0].mime_type).toBe('application/pdf');
      expect(attachments[0].file_size).toBe(PDF_BYTES.length);
      expect(attachments[1].mime_type).toBe('text/plain');
      expect(attachments[0].uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(attachments[0].file).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/support-template-attachments\/[0-9a-f]{32}\/download\/\?signature=[\w-]+$/);

      const listed = await testApp.http().get(`/api/support-templates/${template.uuid}/`).set('Authorization', user.auth).expect(200);
      const withoutOrigin = (rows: TemplateBody['attachments']) => rows.map((row) => ({ ...row, file: new URL(row.file).pathname + new URL(row.file).search }));
      expect(withoutOrigin(listed.body.attachments)).toEqual(withoutOrigin(attachments));
    });

    it('downloads with the signed link and no token', async () => {
      const template = await createTemplate();
      const uploaded = await attach(staff, template).attach('attachments', PDF_BYTES, 'manual.pdf').expect(201);
      const file = new URL(uploaded.body.attachments[0].file);

      const download = await testApp.http().get(`${file.pathname}${file.search}`).buffer(true).parse(binaryBody).expect(200);

      expect(Buffer.compare(download.body as Buffer, PDF_BYTES)).toBe(0);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-length']).toBe(String(PDF_BYTES.length));
      expect(download.headers['content-disposition']).toBe(`attachment; filename="manual.pdf"; filename*=UTF-8''manual.pdf`);
    });

    it('downloads with a token and no signature', async () => {
      const template = await createTemplate();
      const uploaded = await attach(staff, template).attach('attachments', PDF_BYTES, 'manual.pdf').expect(201);
      const file = new URL(uploaded.body.attachments[0].file);

      await testApp.http().get(file.pathname).set('Authorization', user.auth).expect(200);
      await testApp.http().get(file.pathname).expect(401);
      await testApp.http().get(`${file.pathname}?signature=forged`).expect(403);
    });

    it('rejects uploads by non-staff before storing', async () => {
      const template = await createTemplate();
      const before = storedFiles(testApp, 'template-attachments').length;

      await attach(support, template).attach('attachments', PDF_BYTES, 'manual.pdf').expect(403);

      expect(storedFiles(testApp, 'template-attachments').length).toBe(before);
    });

    it('requires at least one file', async () => {
      const template = await createTemplate();
      const response = await attach(staff, template).field('note', 'no files').expect(400);
      expect(response.body).toEqual({ attachments: ['No file was submitted.'] });
    });

    it('rejects a JSON body with 415', async () => {
      const template = await createTemplate();
      await attach(staff, template).send({ attachments: [] }).expect(415);
    });

    it('rejects an oversized file with 413', async () => {
      const settings = testApp.app.get(SettingsService);
      await settings.update({ SUPPORT_ATTACHMENT_MAX_SIZE_MB: 1 });
      const template = await createTemplate();

      const before = storedFiles(testApp, 'template-attachments').length;

      const response = await attach(staff, template).attach('attachments', Buffer.alloc(1024 * 1024 + 1), 'big.bin').expect(413);

      expect(response.body.detail).toBe('The file is too large. The maximum size is 1 MB.');
      expect(storedFiles(testApp, 'template-attachments').length).toBe(before);
      await settings.update({ SUPPORT_ATTACHMENT_MAX_SIZE_MB: 25 });
    });

    it('deletes chosen attachments', async () => {
      const template = await createTemplate();
      const uploaded = await attach(staff, template)
        .attach('attachments', Buffer.from('one'), 'one.txt')
        .attach('attachments', Buffer.from('two'), 'two.txt')
        .expect(201);
      const [first, second] = (uploaded.body as TemplateBody).attachments;

      const response = await testApp
        .http()
        .post(`/api/support-templates/${template.uuid}/delete_attachments/`)
        .set('Authorization', staff.auth)
        .send({ attachment_ids: [first.uuid] })
        .expect(200);

      expect(response.body.attachments.map((attachment: { uuid: string }) => attachment.uuid)).toEqual([second.uuid]);
      const firstFile = new URL(first.file);
      await testApp.http().get(`${firstFile.pathname}${firstFile.search}`).expect(404);
    });

    it('accepts attachment_uuids as well', async () => {
      const template = await createTemplate();
      const uploaded = await attach(staff, template).attach('attachments', Buffer.from('one'), 'one.txt').expect(201);

      await testApp
        .http()
        .post(`/api/support-templates/${template.uuid}/delete_attachments/`)
        .set('Authorization', staff.auth)
        .send({ attachment_uuids: [uploaded.body.attachments[0].uuid] })
        .expect(200);
    });

    it('rejects attachments of another template', async () => {
      const owner = await createTemplate();
      const other = await createTemplate();
      const uploaded = await attach(staff, owner).attach('attachments', Buffer.from('one'), 'one.txt').expect(201);
      const foreign = uploaded.body.attachments[0].uuid;

      const response = await testApp
        .http()
        .post(`/api/support-templates/${other.uuid}/delete_attachments/`)
        .set('Authorization', staff.auth)
        .send({ attachment_ids: [foreign] })
        .expect(400);

      expect(response.body).toEqual({ attachment_ids: [`These attachments do not belong to this template: ${foreign}.`] });
    });

    it('rejects a malformed attachment UUID', async () => {
      const template = await createTemplate();
      const response = await testApp
        .http()
        .post(`/api/support-templates/${template.uuid}/delete_attachments/`)
        .set('Authorization', staff.auth)
        .send({ attachment_ids: ['nope'] })
        .expect(400);
      expect(response.body).toEqual({ attachment_ids: ['"nope" is not a valid UUID.'] });
    });

    it('rejects deletion by non-staff', async () => {
      const template = await createTemplate();
      await testApp.http().post(`/api/support-templates/${template.uuid}/delete_attachments/`).set('Authorization', user.auth).send({ attachment_ids: [] }).expect(403);
    });

    it('removes files when the template goes', async () => {
      const template = await createTemplate();
      const uploaded = await attach(staff, template).attach('attachments', Buffer.from('one'), 'one.txt').expect(201);
      const file = new URL(uploaded.body.attachments[0].file);

      await testApp.http().delete(`/api/support-templates/${template.uuid}/`).set('Authorization', staff.auth).expect(204);

      await testApp.http().get(`${file.pathname}${file.search}`).expect(404);
      expect(await testApp.dataSource.getRepository(TemplateAttachment).countBy({ uuid: uploaded.body.attachments[0].uuid })).toBe(0);
    });
  });
});
