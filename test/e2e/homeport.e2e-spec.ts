import request from 'supertest';

import { SettingsService } from '../../src/settings/settings.service';
import { Issue } from '../../src/support/issues/issue.entity';
import { FeedbackTokenService } from '../../src/support/feedback/feedback-token.service';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { binaryBody } from '../support/binary-body';
import { UserWithToken } from '../support/factories';
import {
  createComment,
  createFeedback,
  createIssue,
  createProjectIssue,
  createResource,
  createSupportUser,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The calls Waldur HomePort 7.0.7 makes to the support API, sent the way HomePort sends
 * them: multipart forms with string booleans, absolute hyperlinks, repeated query
 * parameters and UUIDs wrapped in braces.
 */
describe('HomePort compatibility', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let agent: SupportUser;
  let projectIssue: Issue;
  let issueUrl: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
    agent = await createSupportUser(testApp.dataSource, { name: 'Helpdesk Agent' });
    projectIssue = await createProjectIssue(testApp.dataSource, world.project, { callerId: world.member.user.id });
    issueUrl = (await get(world.member, `/api/support-issues/${hex(projectIssue.uuid)}/`).expect(200)).body.url;
  });

  afterAll(async () => {
    await testApp.close();
  });

  function get(user: UserWithToken, path: string) {
    return testApp.http().get(path).set('Authorization', user.auth);
  }

  /** Posts a multipart form as HomePort's form helper does: every value a string. */
  function postForm(user: UserWithToken, path: string, fields: Record<string, string>) {
    let pending = testApp.http().post(path).set('Authorization', user.auth);
    for (const [name, value] of Object.entries(fields)) pending = pending.field(name, value);
    return pending;
  }

  function putForm(user: UserWithToken, path: string, fields: Record<string, string>) {
    let pending = testApp.http().put(path).set('Authorization', user.auth);
    for (const [name, value] of Object.entries(fields)) pending = pending.field(name, value);
    return pending;
  }

  function uploadAttachment(user: UserWithToken, issueLink: string, content = 'line one\n') {
    return testApp
      .http()
      .post('/api/support-attachments/')
      .set('Authorization', user.auth)
      .field('issue', issueLink)
      .attach('file', Buffer.from(content), { filename: 'notes.txt', contentType: 'text/plain' });
  }

  /** Asserts the `Link` header HomePort parses: absolute URLs, quoted rel values, comma and space between. */
  function expectHomePortLink(response: request.Response, collection: string): void {
    const entries = String(response.headers.link).split(', ');
    for (const entry of entries) expect(entry).toMatch(/^<http:\/\/[^>]+>; rel="(first|prev|next|last)"$/);
    const next = entries.find((entry) => entry.endsWith('rel="next"'));
    if (next) expect(next).toMatch(new RegExp(`/api/${collection}/\\?.*page=\\d+`));
  }

  /** Returns the path and query of the `rel="next"` link, or undefined on the last page. */
  function nextPath(response: request.Response): string | undefined {
    const entry = String(response.headers.link)
      .split(', ')
      .find((candidate) => candidate.endsWith('rel="next"'));
    if (!entry) return undefined;
    const url = new URL(entry.slice(1, entry.indexOf('>')));
    return url.pathname + url.search;
  }

  describe('issue lists', () => {
    beforeAll(async () => {
      const dataSource = testApp.dataSource;
      const callers = [world.owner, world.projectAdmin, world.member];
      const statuses = ['Open', 'Waiting for support', 'Resolved', 'Closed'];
      for (let index = 0; index < 8; index += 1) {
        await createProjectIssue(dataSource, world.project, {
          summary: `Listed ${index}`,
          status: statuses[index % statuses.length],
          callerId: callers[index % callers.length].user.id,
        });
      }
    });

    it('sends X-Result-Count and a Link HomePort follows', async () => {
      const response = await get(world.staff, '/api/support-issues/?page=1&page_size=5').expect(200);
      expect(Number(response.headers['x-result-count'])).toBeGreaterThan(5);
      expect(response.body).toHaveLength(5);
      expectHomePortLink(response, 'support-issues');
      expect(response.headers.link).toContain('rel="next"');
    });

    it('treats repeated status as any of them', async () => {
      const response = await get(world.staff, '/api/support-issues/?status=Open&status=Waiting%20for%20support&page_size=50').expect(200);
      const statuses = new Set(response.body.map((issue: { status: string }) => issue.status));
      expect(statuses).toEqual(new Set(['Open', 'Waiting for support']));
    });

    it('keeps a single status exact', async () => {
      const response = await get(world.staff, '/api/support-issues/?status=Resolved&page_size=50').expect(200);
      expect(response.body.length).toBeGreaterThan(0);
      for (const issue of response.body) expect(issue.status).toBe('Resolved');
    });

    it.each(['caller_full_name', '-caller_full_name'])('orders by %s', async (ordering) => {
      const response = await get(world.staff, `/api/support-issues/?summary=Listed&o=${ordering}&page_size=50`).expect(200);
      const names: string[] = response.body.map((issue: { caller_full_name: string }) => issue.caller_full_name);
      const sorted = [...names].sort((left, right) => left.localeCompare(right));
      expect(names).toEqual(ordering.startsWith('-') ? sorted.reverse() : sorted);
    });

    it.each(['key', '-key', 'status', 'summary', 'customer_name', 'project_name'])('accepts o=%s', async (ordering) => {
      await get(world.staff, `/api/support-issues/?o=${ordering}`).expect(200);
    });

    it('ignores the user filter and an empty project', async () => {
      const all = await get(world.member, '/api/support-issues/').expect(200);
      const filtered = await get(world.member, `/api/support-issues/?user=${encodeURIComponent(linkTo('users', world.member.user.uuid))}&project=`).expect(200);
      expect(filtered.headers['x-result-count']).toBe(all.headers['x-result-count']);
    });

    it('filters by customer and project hyperlinks', async () => {
      const byCustomer = await get(world.owner, `/api/support-issues/?customer=${encodeURIComponent(linkTo('customers', world.customer.uuid))}`).expect(200);
      const byProject = await get(world.owner, `/api/support-issues/?project=${encodeURIComponent(linkTo('projects', world.project.uuid))}`).expect(200);
      expect(Number(byCustomer.headers['x-result-count'])).toBeGreaterThan(0);
      expect(byProject.headers['x-result-count']).toBe(byCustomer.headers['x-result-count']);
    });

    it('searches summary and key with query', async () => {
      const response = await get(world.staff, '/api/support-issues/?query=listed%203').expect(200);
      expect(response.body.map((issue: { summary: string }) => issue.summary)).toEqual(['Listed 3']);
    });

    it('exports with fields and a large page', async () => {
      const fields = ['key', 'status', 'summary', 'description', 'customer_name', 'caller_full_name', 'created'];
      const query = fields.map((field) => `field=${field}`).join('&');
      const response = await get(world.staff, `/api/support-issues/?page=1&page_size=200&${query}`).expect(200);
      for (const issue of response.body) for (const field of fields) expect(issue).toHaveProperty(field);
    });

    it('lists the tickets of a marketplace resource', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      await createProjectIssue(testApp.dataSource, world.project, { resourceId: resource.id, summary: 'About the VM' });
      const response = await get(world.member, `/api/support-issues/?resource=${encodeURIComponent(linkTo('marketplace-resources', resource.uuid))}&page=1`).expect(200);
      expect(response.body.map((issue: { summary: string }) => issue.summary)).toEqual(['About the VM']);
      expect(response.body[0].type).toEqual(expect.any(String));
      expect(response.body[0].modified).toEqual(expect.any(String));
      expect(response.headers['x-result-count']).toBe('1');
    });
  });

  describe('non-null fields', () => {
    it('renders type and description as strings', async () => {
      const bare = await createIssue(testApp.dataSource, { callerId: world.member.user.id, description: undefined });
      const detail = await get(world.member, `/api/support-issues/${hex(bare.uuid)}/`).expect(200);
      expect(typeof detail.body.type).toBe('string');
      expect(typeof detail.body.description).toBe('string');
      expect(typeof detail.body.add_comment_is_available).toBe('boolean');
      expect(typeof detail.body.add_attachment_is_available).toBe('boolean');

      const list = await get(world.member, '/api/support-issues/?page_size=300').expect(200);
      for (const issue of list.body) {
        expect(typeof issue.type).toBe('string');
        expect(typeof issue.description).toBe('string');
      }
    });

    it('renders author_name as a string for an unnamed agent', async () => {
      const unnamed = await createSupportUser(testApp.dataSource, { name: '' });
      await createComment(testApp.dataSource, projectIssue, unnamed, { description: 'From nobody' });
      const response = await get(world.member, `/api/support-comments/?issue=${encodeURIComponent(issueUrl)}`).expect(200);
      for (const comment of response.body) expect(typeof comment.author_name).toBe('string');
    });
  });

  describe('issue create', () => {
    it('accepts the dialog body', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .send({
          type: 'Change Request',
          summary: 'More cores',
          description: 'For the batch jobs',
          is_reported_manually: true,
          project: linkTo('projects', world.project.uuid),
          resource: linkTo('marketplace-resources', resource.uuid),
        })
        .expect(201);
      expect(response.body.url).toMatch(/^http:\/\/.+\/api\/support-issues\/[0-9a-f]{32}\/$/);
      expect(response.body.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(typeof response.body.key).toBe('string');
    });

    it.each(['Incident', 'Change Request', 'Service Request', 'Informational'])('accepts type %s', async (type) => {
      await testApp.http().post('/api/support-issues/').set('Authorization', world.member.auth).send({ type, summary: type, is_reported_manually: true }).expect(201);
    });

    it('defaults a missing type', async () => {
      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .send({ summary: 'Offering request', description: 'Preset text', is_reported_manually: true })
        .expect(201);
      expect(typeof response.body.type).toBe('string');
      expect(response.body.type.length).toBeGreaterThan(0);
    });

    it('accepts the organization details flow with a caller', async () => {
      await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.owner.auth)
        .send({ summary: 'Wrong address', customer: linkTo('customers', world.customer.uuid), caller: linkTo('users', world.owner.user.uuid) })
        .expect(201);
    });
  });

  describe('comments', () => {
    it('creates a comment from a multipart form', async () => {
      const response = await postForm(world.member, `/api/support-issues/${hex(projectIssue.uuid)}/comment/`, {
        is_public: 'true',
        description: 'Posted as a form',
      }).expect(201);
      expect(response.body).toMatchObject({ description: 'Posted as a form', is_public: true, author_uuid: hex(world.member.user.uuid) });
      expect(typeof response.body.author_name).toBe('string');
      expect(typeof response.body.update_is_available).toBe('boolean');
      expect(typeof response.body.destroy_is_available).toBe('boolean');
    });

    it('creates an internal comment from a multipart form', async () => {
      const response = await postForm(world.staff, `/api/support-issues/${hex(projectIssue.uuid)}/comment/`, {
        is_public: 'false',
        description: 'Internal form',
      }).expect(201);
      expect(response.body.is_public).toBe(false);
    });

    it('creates a comment from JSON', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-issues/${hex(projectIssue.uuid)}/comment/`)
        .set('Authorization', world.member.auth)
        .send({ description: 'Posted as JSON', is_public: true })
        .expect(201);
      expect(response.body.description).toBe('Posted as JSON');
    });

    it('updates a comment from a multipart form', async () => {
      const comment = await createComment(testApp.dataSource, projectIssue, agent, { description: 'Before' });
      const response = await putForm(world.staff, `/api/support-comments/${hex(comment.uuid)}/`, { is_public: 'true', description: 'After' }).expect(200);
      expect(response.body).toMatchObject({ uuid: hex(comment.uuid), description: 'After', is_public: true });
    });

    it('updates a comment from JSON', async () => {
      const comment = await createComment(testApp.dataSource, projectIssue, agent, { description: 'Before' });
      const response = await testApp
        .http()
        .put(`/api/support-comments/${hex(comment.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ description: 'After JSON', is_public: false })
        .expect(200);
      expect(response.body).toMatchObject({ description: 'After JSON', is_public: false });
    });

    it('lists comments by issue URL without paging parameters', async () => {
      const response = await get(world.member, `/api/support-comments/?issue=${encodeURIComponent(issueUrl)}`).expect(200);
      expect(response.body.length).toBeGreaterThan(0);
      for (const comment of response.body) {
        // Each supertest request reaches the app on a new port, so only the path is stable.
        expect(new URL(comment.issue).pathname).toBe(new URL(issueUrl).pathname);
        expect(comment.created).toEqual(expect.any(String));
      }
    });

    it('deletes a comment', async () => {
      const comment = await createComment(testApp.dataSource, projectIssue, agent);
      await testApp.http().delete(`/api/support-comments/${hex(comment.uuid)}/`).set('Authorization', world.staff.auth).expect(204);
    });
  });

  describe('attachments', () => {
    it('uploads a multipart file with the issue URL', async () => {
      const response = await uploadAttachment(world.member, issueUrl).expect(201);
      expect(response.body).toMatchObject({ file_name: 'notes.txt', mime_type: 'text/plain', file_size: 9 });
      expect(response.body.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(response.body.created).toEqual(expect.any(String));
    });

    it('serves file as an absolute URL accepting a Token', async () => {
      const uploaded = await uploadAttachment(world.member, issueUrl, 'secret bytes').expect(201);
      const file = new URL(uploaded.body.file);
      expect(file.protocol).toBe('http:');

      const download = await testApp.http().get(file.pathname + file.search).set('Authorization', world.projectAdmin.auth).buffer(true).parse(binaryBody).expect(200);
      expect((download.body as Buffer).toString()).toBe('secret bytes');
      await testApp.http().get(file.pathname + file.search).expect(401);
    });

    it('lists attachments by issue URL', async () => {
      const response = await get(world.member, `/api/support-attachments/?issue=${encodeURIComponent(issueUrl)}`).expect(200);
      expect(response.body.length).toBeGreaterThan(0);
      for (const attachment of response.body) {
        expect(attachment.file).toMatch(/^http:\/\//);
        expect(typeof attachment.file_size).toBe('number');
      }
    });

    it('deletes by a UUID wrapped in braces', async () => {
      const uploaded = await uploadAttachment(world.owner, issueUrl).expect(201);
      await testApp.http().delete(`/api/support-attachments/%7B${uploaded.body.uuid}%7D/`).set('Authorization', world.owner.auth).expect(204);
      await get(world.owner, `/api/support-attachments/${uploaded.body.uuid}/`).expect(404);
    });

    it('deletes by a hyphenated UUID in braces', async () => {
      const uploaded = await uploadAttachment(world.owner, issueUrl).expect(201);
      const hyphenated = (uploaded.body.uuid as string).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
      await testApp.http().delete(`/api/support-attachments/%7B${hyphenated}%7D/`).set('Authorization', world.owner.auth).expect(204);
    });
  });

  describe('braced UUIDs on other detail routes', () => {
    it('retrieves an issue', async () => {
      const response = await get(world.member, `/api/support-issues/%7B${hex(projectIssue.uuid)}%7D/`).expect(200);
      expect(response.body.uuid).toBe(hex(projectIssue.uuid));
    });

    it('retrieves a comment', async () => {
      const comment = await createComment(testApp.dataSource, projectIssue, agent);
      const response = await get(world.member, `/api/support-comments/%7B${hex(comment.uuid)}%7D/`).expect(200);
      expect(response.body.uuid).toBe(hex(comment.uuid));
    });

    it('answers 404 to a malformed UUID', async () => {
      const response = await get(world.member, '/api/support-issues/%7Bnot-a-uuid%7D/').expect(404);
      expect(typeof response.body.detail).toBe('string');
    });
  });

  describe('templates', () => {
    it('pages through every template by Link', async () => {
      for (let index = 0; index < 12; index += 1) {
        await testApp
          .http()
          .post('/api/support-templates/')
          .set('Authorization', world.staff.auth)
          .send({ name: `Template ${index}`, description: 'Steps', issue_type: 'SERVICE_REQUEST' })
          .expect(201);
      }

      const names: string[] = [];
      let next: string | undefined = '/api/support-templates/';
      while (next) {
        const response: request.Response = await get(world.member, next).expect(200);
        expectHomePortLink(response, 'support-templates');
        names.push(...response.body.map((template: { name: string }) => template.name));
        next = nextPath(response);
      }
      expect(names.filter((name) => name.startsWith('Template '))).toHaveLength(12);
    });

    it('links template files without a Token', async () => {
      const created = await testApp
        .http()
        .post('/api/support-templates/')
        .set('Authorization', world.staff.auth)
        .send({ name: 'With a form', description: 'Fill it in', issue_type: 'CHANGE_REQUEST' })
        .expect(201);
      const withFile = await testApp
        .http()
        .post(`/api/support-templates/${created.body.uuid}/create_attachments/`)
        .set('Authorization', world.staff.auth)
        .attach('attachments', Buffer.from('form body'), { filename: 'form.txt', contentType: 'text/plain' })
        .expect(201);

      const [attachment] = withFile.body.attachments;
      expect(attachment.name).toBe('form.txt');
      const file = new URL(attachment.file);
      const download = await testApp.http().get(file.pathname + file.search).buffer(true).parse(binaryBody).expect(200);
      expect((download.body as Buffer).toString()).toBe('form body');
    });
  });

  describe('feedback', () => {
    async function tokenForResolvedIssue(): Promise<string> {
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', callerId: world.member.user.id, feedbackRequestedAt: new Date() });
      return testApp.app.get(FeedbackTokenService).tokenFor(issue);
    }

    it('accepts the feedback page body anonymously', async () => {
      await testApp.http().post('/api/support-feedbacks/').send({ token: await tokenForResolvedIssue(), evaluation: 8 }).expect(201);
    });

    it('accepts it with a logged-in Token too', async () => {
      await testApp
        .http()
        .post('/api/support-feedbacks/')
        .set('Authorization', world.outsider.auth)
        .send({ token: await tokenForResolvedIssue(), evaluation: 10, comment: 'Thanks' })
        .expect(201);
    });

    it('rejects evaluation 0 with 400', async () => {
      const response = await testApp.http().post('/api/support-feedbacks/').send({ token: await tokenForResolvedIssue(), evaluation: 0 }).expect(400);
      expect(Object.keys(response.body)).toEqual(['evaluation']);
      expect(response.body.evaluation[0]).toEqual(expect.any(String));
    });

    it('rejects a bad token with 400 on token', async () => {
      const response = await testApp.http().post('/api/support-feedbacks/').send({ token: 'nonsense', evaluation: 5 }).expect(400);
      expect(Object.keys(response.body)).toEqual(['token']);
    });

    it('lists feedback with the filters of the list page', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', callerId: world.member.user.id });
      await createFeedback(testApp.dataSource, issue, { evaluation: 10, comment: 'Superb' });
      const today = new Date().toISOString().slice(0, 10);
      const query = [
        'page=1',
        'page_size=10',
        'o=-created',
        'query=',
        `created_after=${today}`,
        `created_before=${today}`,
        `evaluation=${encodeURIComponent('10 - Very positive')}`,
        `user=${encodeURIComponent(linkTo('users', world.member.user.uuid))}`,
      ].join('&');
      const response = await get(world.support, `/api/support-feedbacks/?${query}`).expect(200);
      expect(response.headers['x-result-count']).toMatch(/^\d+$/);
      expect(response.body.map((row: { comment: string }) => row.comment)).toContain('Superb');
      for (const row of response.body) expect(row.evaluation).toBe(10);
    });

    it('reports counts and the average', async () => {
      const counts = await get(world.staff, '/api/support-feedback-report/').expect(200);
      for (const value of Object.values(counts.body)) expect(typeof value).toBe('number');
      const average = await get(world.staff, '/api/support-feedback-average-report/').expect(200);
      expect(average.body === null || typeof average.body === 'number').toBe(true);
    });
  });

  describe('dashboard and configuration', () => {
    it('returns integer statistics', async () => {
      const response = await get(world.member, '/api/support-statistics/').expect(200);
      for (const key of ['open_issues_count', 'closed_this_month_count', 'recent_broadcasts_count']) {
        expect(Number.isInteger(response.body[key])).toBe(true);
      }
    });

    it('publishes the WALDUR_SUPPORT block', async () => {
      const response = await testApp.http().get('/api/configuration/').expect(200);
      expect(response.body.WALDUR_SUPPORT).toEqual({
        ENABLED: expect.any(Boolean),
        ACTIVE_BACKEND_TYPE: expect.any(String),
        DISPLAY_REQUEST_TYPE: expect.any(Boolean),
      });
    });
  });

  describe('service desk settings', () => {
    /** Turns a settings value into the string HomePort's form helper sends. */
    const formValue = (value: unknown) => (value === null || value === undefined ? '' : String(value));

    it('round-trips every Atlassian key as a multipart form', async () => {
      await testApp.http().post('/api/override-settings/').set('Authorization', world.staff.auth).send({ ATLASSIAN_TOKEN: 'real-secret' }).expect(200);
      const before = await get(world.staff, '/api/override-settings/').expect(200);
      expect(typeof before.body.WALDUR_SUPPORT_ENABLED).toBe('boolean');

      const fields = Object.fromEntries(
        Object.entries(before.body as Record<string, unknown>)
          .filter(([key]) => key.startsWith('ATLASSIAN_'))
          .map(([key, value]) => [key, formValue(value)]),
      );
      expect(Object.keys(fields).length).toBeGreaterThan(10);
      await postForm(world.staff, '/api/override-settings/', fields).expect(200);

      const after = await get(world.staff, '/api/override-settings/').expect(200);
      expect(after.body).toEqual(before.body);
      expect(testApp.app.get(SettingsService).get('ATLASSIAN_TOKEN')).toBe('real-secret');
    });

    it('switches support with a single-key form', async () => {
      await postForm(world.staff, '/api/override-settings/', { WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE: 'true' }).expect(200);
      const configuration = await testApp.http().get('/api/configuration/').expect(200);
      expect(configuration.body.WALDUR_SUPPORT.DISPLAY_REQUEST_TYPE).toBe(true);
    });
  });

  describe('status codes', () => {
    it('answers 403, never 401, to a logged-in user without permission', async () => {
      const response = await get(world.member, '/api/support-users/').expect(403);
      expect(typeof response.body.detail).toBe('string');
    });

    it('answers 401 to a missing token', async () => {
      await testApp.http().get('/api/support-issues/').expect(401);
    });
  });
});
