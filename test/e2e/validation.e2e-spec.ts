import request from 'supertest';

import { FeedbackTokenService } from '../../src/support/feedback/feedback-token.service';
import { Issue } from '../../src/support/issues/issue.entity';
import { createUser } from '../support/factories';
import {
  createIssue,
  createProjectIssue,
  createResource,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
  updateSettings,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

/** Asserts a DRF field error body: exactly `fields` as keys, each with a list of messages. */
function expectFieldErrors(response: request.Response, fields: string[]): void {
  expect(response.status).toBe(400);
  expect(Object.keys(response.body).sort()).toEqual([...fields].sort());
  for (const field of fields) {
    expect(Array.isArray(response.body[field])).toBe(true);
    expect(response.body[field].length).toBeGreaterThan(0);
    for (const message of response.body[field]) expect(typeof message).toBe('string');
  }
}

describe('support request validation', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let projectIssue: Issue;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
    projectIssue = await createProjectIssue(testApp.dataSource, world.project);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function createAs(auth: string, body: object) {
    return testApp.http().post('/api/support-issues/').set('Authorization', auth).send(body);
  }

  describe('issue create', () => {
    it('rejects a missing summary', async () => {
      const response = await createAs(world.member.auth, { is_reported_manually: true });
      expectFieldErrors(response, ['summary']);
      expect(response.body.summary).toEqual(['This field is required.']);
    });

    it('rejects a blank summary', async () => {
      const response = await createAs(world.member.auth, { summary: '   ', is_reported_manually: true });
      expectFieldErrors(response, ['summary']);
      expect(response.body.summary).toEqual(['This field may not be blank.']);
    });

    it('rejects an overlong summary', async () => {
      const response = await createAs(world.member.auth, { summary: 'x'.repeat(256), is_reported_manually: true });
      expectFieldErrors(response, ['summary']);
      expect(response.body.summary[0]).toContain('255');
    });

    it('rejects an unknown type', async () => {
      const response = await createAs(world.member.auth, { summary: 'Typed', type: 'Complaint', is_reported_manually: true });
      expectFieldErrors(response, ['type']);
      expect(response.body.type[0]).toContain('Complaint');
    });

    it('rejects a caller not found', async () => {
      const response = await createAs(world.staff.auth, { summary: 'For a ghost', caller: linkTo('users', '0123456789abcdef0123456789abcdef') });
      expectFieldErrors(response, ['caller']);
      expect(response.body.caller).toEqual(['Invalid hyperlink - Object does not exist.']);
    });

    it('rejects a caller that is no hyperlink', async () => {
      const response = await createAs(world.staff.auth, { summary: 'For whom', caller: 'somebody' });
      expectFieldErrors(response, ['caller']);
    });

    it('rejects an inactive caller', async () => {
      const inactive = await createUser(testApp.dataSource, { isActive: false });
      const response = await createAs(world.staff.auth, { summary: 'For a former user', caller: linkTo('users', inactive.user.uuid) });
      expectFieldErrors(response, ['caller']);
    });

    it('rejects a project of another customer', async () => {
      const response = await createAs(world.staff.auth, {
        summary: 'Mismatch',
        is_reported_manually: true,
        customer: linkTo('customers', world.customer.uuid),
        project: linkTo('projects', world.otherProject.uuid),
      });
      expectFieldErrors(response, ['project']);
      expect(response.body.project).toEqual(['The project does not belong to the given customer.']);
    });

    it('rejects a resource of another project', async () => {
      const resource = await createResource(testApp.dataSource, world.otherProject);
      const response = await createAs(world.staff.auth, {
        summary: 'Mismatch',
        is_reported_manually: true,
        project: linkTo('projects', world.project.uuid),
        resource: linkTo('marketplace-resources', resource.uuid),
      });
      expectFieldErrors(response, ['resource']);
    });

    it('rejects a resource of another customer', async () => {
      const resource = await createResource(testApp.dataSource, world.otherProject);
      const response = await createAs(world.staff.auth, {
        summary: 'Mismatch',
        is_reported_manually: true,
        customer: linkTo('customers', world.customer.uuid),
        resource: linkTo('marketplace-resources', resource.uuid),
      });
      expectFieldErrors(response, ['resource']);
    });

    it('rejects a priority from non-staff', async () => {
      const response = await createAs(world.owner.auth, { summary: 'Urgent', priority: 'High', is_reported_manually: true });
      expectFieldErrors(response, ['priority']);
      expect(response.body.priority).toEqual(['Only staff and support can set the priority.']);
    });

    it('rejects an unknown priority', async () => {
      const response = await createAs(world.staff.auth, { summary: 'Urgent', priority: 'Apocalyptic', is_reported_manually: true });
      expectFieldErrors(response, ['priority']);
    });

    it('rejects a duplicate remote id', async () => {
      await createIssue(testApp.dataSource, { remoteId: 'validation-remote-1' });
      const response = await createAs(world.member.auth, { summary: 'Twice', remote_id: 'validation-remote-1', is_reported_manually: true });
      expectFieldErrors(response, ['remote_id']);
    });

    it('reports every invalid field at once', async () => {
      const response = await createAs(world.member.auth, { summary: '', type: 'Complaint', priority: 'High', is_reported_manually: true });
      expectFieldErrors(response, ['priority', 'summary', 'type']);
    });

    it('rejects a summary of the wrong type', async () => {
      const response = await createAs(world.member.auth, { summary: 42, is_reported_manually: true });
      expectFieldErrors(response, ['summary']);
    });

    it('rejects a user without email', async () => {
      const nameless = await createUser(testApp.dataSource, { email: '' });
      const response = await createAs(nameless.auth, { summary: 'No email', is_reported_manually: true });
      expectFieldErrors(response, ['non_field_errors']);
    });

    it('rejects malformed JSON', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'application/json')
        .send('{"summary": ');
      expect(response.status).toBe(400);
      expect(typeof response.body.detail).toBe('string');
    });

    it.each([
      ['null', 'NoneType'],
      ['[]', 'list'],
      ['[{"summary": "A"}]', 'list'],
      ['"summary"', 'str'],
      ['5', 'int'],
      ['2.5', 'float'],
      ['true', 'bool'],
    ])('rejects the JSON value %s where an object belongs', async (body, typeName) => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toEqual({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName}.`] });
    });

    it('treats an empty JSON body as an empty object', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'application/json')
        .send('');
      expectFieldErrors(response, ['summary']);
    });

    it('rejects a wrong content type', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'text/plain')
        .send('summary=Plain');
      expect(response.status).toBe(415);
      expect(response.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    });

    it('rejects XML', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'application/xml')
        .send('<issue><summary>XML</summary></issue>');
      expect(response.status).toBe(415);
      expect(response.body.detail).toContain('application/xml');
    });

    it('accepts JSON with a charset', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ summary: 'Charset', is_reported_manually: true }));
      expect(response.status).toBe(201);
    });

    it('accepts a urlencoded form', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .type('form')
        .send('summary=Form&is_reported_manually=true');
      expect(response.status).toBe(201);
    });

    it('answers 401 before 415 to anonymous callers', async () => {
      const response = await testApp.http().post('/api/support-issues/').set('Content-Type', 'text/plain').send('summary=Plain');
      expect(response.status).toBe(401);
    });
  });

  describe('issue update', () => {
    it('rejects a blank summary', async () => {
      const response = await testApp.http().patch(`/api/support-issues/${hex(projectIssue.uuid)}/`).set('Authorization', world.staff.auth).send({ summary: '' });
      expectFieldErrors(response, ['summary']);
    });

    it('rejects a missing summary on PUT', async () => {
      const response = await testApp
        .http()
        .put(`/api/support-issues/${hex(projectIssue.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ description: 'Only this' });
      expectFieldErrors(response, ['summary']);
    });

    it('rejects an unknown assignee', async () => {
      const response = await testApp
        .http()
        .patch(`/api/support-issues/${hex(projectIssue.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ assignee: linkTo('support-users', '0123456789abcdef0123456789abcdef') });
      expectFieldErrors(response, ['assignee']);
    });

    it('rejects a wrong content type', async () => {
      const response = await testApp
        .http()
        .patch(`/api/support-issues/${hex(projectIssue.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .set('Content-Type', 'text/csv')
        .send('summary\nCSV');
      expect(response.status).toBe(415);
    });
  });

  describe('comment action', () => {
    const commentPath = () => `/api/support-issues/${hex(projectIssue.uuid)}/comment/`;

    it('rejects a missing description', async () => {
      const response = await testApp.http().post(commentPath()).set('Authorization', world.member.auth).send({ is_public: true });
      expectFieldErrors(response, ['description']);
      expect(response.body.description).toEqual(['This field is required.']);
    });

    it('rejects a blank description', async () => {
      const response = await testApp.http().post(commentPath()).set('Authorization', world.member.auth).send({ description: ' ' });
      expectFieldErrors(response, ['description']);
    });

    it('rejects a non-boolean is_public', async () => {
      const response = await testApp.http().post(commentPath()).set('Authorization', world.member.auth).send({ description: 'Hi', is_public: 'perhaps' });
      expectFieldErrors(response, ['is_public']);
    });

    it('rejects a wrong content type', async () => {
      const response = await testApp.http().post(commentPath()).set('Authorization', world.member.auth).set('Content-Type', 'text/plain').send('Hi');
      expect(response.status).toBe(415);
    });
  });

  describe('statuses and priorities', () => {
    it('rejects an unknown status type', async () => {
      const response = await testApp.http().post('/api/support-issue-statuses/').set('Authorization', world.staff.auth).send({ name: 'Odd', type: 7 });
      expectFieldErrors(response, ['type']);
    });

    it('rejects a duplicate status name', async () => {
      await testApp.http().post('/api/support-issue-statuses/').set('Authorization', world.staff.auth).send({ name: 'Twice', type: 0 }).expect(201);
      const response = await testApp.http().post('/api/support-issue-statuses/').set('Authorization', world.staff.auth).send({ name: 'Twice', type: 0 });
      expectFieldErrors(response, ['name']);
    });

    it('rejects a priority without name', async () => {
      const response = await testApp.http().post('/api/support-priorities/').set('Authorization', world.staff.auth).send({ description: 'Nameless' });
      expectFieldErrors(response, ['name']);
    });

    it('rejects a priority icon that is no URL', async () => {
      const response = await testApp.http().post('/api/support-priorities/').set('Authorization', world.staff.auth).send({ name: 'Iconic', icon_url: 'icon' });
      expectFieldErrors(response, ['icon_url']);
    });
  });

  describe('attachment upload', () => {
    const MEBIBYTE = 1024 * 1024;

    function upload(content: Buffer, fileName = 'data.bin') {
      return testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', world.member.auth)
        .field('issue', linkTo('support-issues', projectIssue.uuid))
        .attach('file', content, { filename: fileName, contentType: 'application/octet-stream' });
    }

    afterEach(async () => {
      await updateSettings(testApp, { SUPPORT_ATTACHMENT_MAX_SIZE_MB: 25, ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '' });
    });

    it('rejects an oversize file with 413 stating the limit', async () => {
      await updateSettings(testApp, { SUPPORT_ATTACHMENT_MAX_SIZE_MB: 1 });
      const response = await upload(Buffer.alloc(MEBIBYTE + 1, 1));
      expect(response.status).toBe(413);
      expect(Object.keys(response.body)).toEqual(['detail']);
      expect(response.body.detail).toContain('1 MB');
    });

    it('accepts a file of exactly the limit', async () => {
      await updateSettings(testApp, { SUPPORT_ATTACHMENT_MAX_SIZE_MB: 1 });
      const response = await upload(Buffer.alloc(MEBIBYTE, 1));
      expect(response.status).toBe(201);
      expect(response.body.file_size).toBe(MEBIBYTE);
    });

    it('rejects a JSON body with 415', async () => {
      const response = await testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', world.member.auth)
        .send({ issue: linkTo('support-issues', projectIssue.uuid), file: 'aGVsbG8=' });
      expect(response.status).toBe(415);
      expect(response.body).toEqual({ detail: 'Unsupported media type "application/json" in request.' });
    });

    it('rejects a missing file', async () => {
      const response = await testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', world.member.auth)
        .field('issue', linkTo('support-issues', projectIssue.uuid));
      expectFieldErrors(response, ['file']);
    });

    it('rejects a missing issue', async () => {
      const response = await testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', world.member.auth)
        .attach('file', Buffer.from('x'), 'x.txt');
      expectFieldErrors(response, ['issue']);
    });

    it('rejects an excluded extension', async () => {
      await updateSettings(testApp, { ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: '.exe' });
      const response = await upload(Buffer.from('MZ'), 'setup.exe');
      expectFieldErrors(response, ['file']);
    });
  });

  describe('feedback', () => {
    async function submit(body: object) {
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', feedbackRequestedAt: new Date() });
      const token = testApp.app.get(FeedbackTokenService).tokenFor(issue);
      return testApp.http().post('/api/support-feedbacks/').send({ token, ...body });
    }

    it.each([0, 11, 2.5])('rejects evaluation %s', async (evaluation) => {
      expectFieldErrors(await submit({ evaluation }), ['evaluation']);
    });

    it('rejects a missing evaluation', async () => {
      expectFieldErrors(await submit({}), ['evaluation']);
    });

    it('rejects a missing token', async () => {
      const response = await testApp.http().post('/api/support-feedbacks/').send({ evaluation: 5 });
      expectFieldErrors(response, ['token']);
    });
  });
});
