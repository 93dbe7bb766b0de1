import request from 'supertest';

import { Comment } from '../../src/support/comments/comment.entity';
import { Feedback } from '../../src/support/feedback/feedback.entity';
import { FeedbackTokenService } from '../../src/support/feedback/feedback-token.service';
import { Issue } from '../../src/support/issues/issue.entity';
import { Priority } from '../../src/support/priorities/priority.entity';
import { IssueStatus, IssueStatusType } from '../../src/support/statuses/issue-status.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { UserWithToken } from '../support/factories';
import { OpenApiContract } from '../support/openapi-contract';
import {
  createComment,
  createFeedback,
  createIssue,
  createProjectIssue,
  createResource,
  createSupportUser,
  createSupportUserFor,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

const contract = new OpenApiContract();
const identityContract = new OpenApiContract('waldur-identity-openapi-8.0.5.yaml');

/** Asserts that `body` conforms to component `schemaName` of the support schema, or of another contract. */
function expectConforms(schemaName: string, body: unknown, against: OpenApiContract = contract): void {
  expect(against.errors(schemaName, body)).toEqual([]);
}

/** Asserts the pagination headers of a list response and returns its total. */
function expectPaginationHeaders(response: request.Response): number {
  const total = response.headers['x-result-count'];
  expect(total).toMatch(/^\d+$/);
  const link: string = response.headers.link;
  expect(link).toMatch(/^<http:\/\/[^>]+\/\?[^>]*page=1[^>]*>; rel="first"/);
  expect(link).toMatch(/<http:\/\/[^>]+>; rel="last"$/);
  return Number(total);
}

/** Asserts a list: 200, pagination headers, at least `minimum` items, and each item against `schemaName`. */
function expectList(response: request.Response, schemaName: string, minimum = 1, against: OpenApiContract = contract): void {
  expect(response.status).toBe(200);
  const total = expectPaginationHeaders(response);
  expect(Array.isArray(response.body)).toBe(true);
  expect(response.body.length).toBeGreaterThanOrEqual(minimum);
  expect(total).toBeGreaterThanOrEqual(response.body.length);
  for (const item of response.body) expectConforms(schemaName, item, against);
}

/** Asserts a HEAD on a list: 200, the same headers as GET, and no body. */
function expectCount(response: request.Response, minimum = 1): void {
  expect(response.status).toBe(200);
  expect(expectPaginationHeaders(response)).toBeGreaterThanOrEqual(minimum);
  expect(response.text ?? '').toBe('');
}

describe('support API contract', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let agent: SupportUser;
  let projectIssue: Issue;
  let personalIssue: Issue;
  let agentComment: Comment;
  let memberNote: Comment;
  let resourceLink: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    const dataSource = testApp.dataSource;
    world = await createSupportWorld(dataSource);
    agent = await createSupportUser(dataSource, { name: 'Helpdesk Agent', backendId: 'agent-1' });
    await createSupportUserFor(dataSource, world.staff.user);
    const memberAccount = await createSupportUserFor(dataSource, world.member.user);

    const resource = await createResource(dataSource, world.project);
    resourceLink = linkTo('marketplace-resources', resource.uuid);
    projectIssue = await createProjectIssue(dataSource, world.project, {
      callerId: world.member.user.id,
      reporterId: memberAccount.id,
      assigneeId: agent.id,
      resourceId: resource.id,
      link: 'https://desk.example.com/browse/SEED-1',
    });
    personalIssue = await createIssue(dataSource, { callerId: world.outsider.user.id });
    agentComment = await createComment(dataSource, projectIssue, agent, { description: 'We are on it', backendId: 'c-1' });
    memberNote = await createComment(dataSource, projectIssue, memberAccount, { description: 'My note', isPublic: false });
  });

  afterAll(async () => {
    await testApp.close();
  });

  function as(user: UserWithToken) {
    const http = testApp.http();
    return {
      get: (path: string) => http.get(path).set('Authorization', user.auth),
      head: (path: string) => http.head(path).set('Authorization', user.auth),
      post: (path: string, body?: object) => http.post(path).set('Authorization', user.auth).send(body),
      put: (path: string, body: object) => http.put(path).set('Authorization', user.auth).send(body),
      patch: (path: string, body: object) => http.patch(path).set('Authorization', user.auth).send(body),
      delete: (path: string) => http.delete(path).set('Authorization', user.auth),
    };
  }

  const issuePath = (issue: Issue | string) => `/api/support-issues/${typeof issue === 'string' ? issue : hex(issue.uuid)}/`;

  describe('issues', () => {
    const viewers: Array<keyof SupportWorld> = ['staff', 'support', 'owner', 'projectAdmin', 'member', 'outsider'];

    it.each(viewers)('list as %s', async (role) => {
      expectList(await as(world[role] as UserWithToken).get('/api/support-issues/'), 'Issue');
    });

    it.each(viewers)('retrieve as %s', async (role) => {
      const issue = role === 'outsider' ? personalIssue : projectIssue;
      const response = await as(world[role] as UserWithToken).get(issuePath(issue));
      expect(response.status).toBe(200);
      expectConforms('Issue', response.body);
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.staff).head('/api/support-issues/'));
    });

    it('create without scope', async () => {
      const response = await as(world.outsider).post('/api/support-issues/', { summary: 'Printer', is_reported_manually: true });
      expect(response.status).toBe(201);
      expectConforms('Issue', response.body);
    });

    it('create with every reference', async () => {
      const response = await as(world.staff).post('/api/support-issues/', {
        summary: 'Disk full',
        description: 'The volume is at 100%',
        type: 'Incident',
        caller: linkTo('users', world.member.user.uuid),
        assignee: linkTo('support-users', agent.uuid),
        customer: linkTo('customers', world.customer.uuid),
        project: linkTo('projects', world.project.uuid),
        resource: resourceLink,
        priority: 'High',
        remote_id: 'contract-remote-1',
      });
      expect(response.status).toBe(201);
      expectConforms('Issue', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(issuePath(projectIssue), { summary: 'Renamed', description: 'New text' });
      expect(response.status).toBe(200);
      expectConforms('Issue', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.support).patch(issuePath(projectIssue), { assignee: null });
      expect(response.status).toBe(200);
      expectConforms('Issue', response.body);
    });

    it('delete', async () => {
      const doomed = await createIssue(testApp.dataSource);
      const response = await as(world.staff).delete(issuePath(doomed));
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });

    it('comment action', async () => {
      const response = await as(world.member).post(`${issuePath(projectIssue)}comment/`, { description: 'Any news?' });
      expect(response.status).toBe(201);
      expectConforms('Comment', response.body);
    });

    it('sync action', async () => {
      const response = await as(world.staff).post(`${issuePath(projectIssue)}sync/`);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    });
  });

  describe('comments', () => {
    it.each(['staff', 'member', 'owner'] as const)('list as %s', async (role) => {
      expectList(await as(world[role]).get('/api/support-comments/'), 'Comment');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.staff).head('/api/support-comments/'));
    });

    it('retrieve a comment of an agent without a user', async () => {
      const response = await as(world.member).get(`/api/support-comments/${hex(agentComment.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Comment', response.body);
    });

    it('retrieve an own internal comment', async () => {
      const response = await as(world.member).get(`/api/support-comments/${hex(memberNote.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Comment', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(`/api/support-comments/${hex(agentComment.uuid)}/`, { description: 'Fixed', is_public: true });
      expect(response.status).toBe(200);
      expectConforms('Comment', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.staff).patch(`/api/support-comments/${hex(memberNote.uuid)}/`, { is_public: true });
      expect(response.status).toBe(200);
      expectConforms('Comment', response.body);
    });

    it('delete', async () => {
      const doomed = await createComment(testApp.dataSource, projectIssue, agent);
      const response = await as(world.staff).delete(`/api/support-comments/${hex(doomed.uuid)}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });

    it('rejects create on the collection', async () => {
      const response = await as(world.staff).post('/api/support-comments/', { description: 'Direct' });
      expect(response.status).toBe(405);
      expect(typeof response.body.detail).toBe('string');
    });
  });

  describe('issue statuses', () => {
    let status: IssueStatus;

    beforeAll(async () => {
      status = await testApp.dataSource.getRepository(IssueStatus).save({ name: 'Contract status', type: IssueStatusType.CANCELED });
    });

    it('list', async () => {
      expectList(await as(world.member).get('/api/support-issue-statuses/'), 'IssueStatus');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.member).head('/api/support-issue-statuses/'));
    });

    it('retrieve', async () => {
      const response = await as(world.member).get(`/api/support-issue-statuses/${hex(status.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('IssueStatus', response.body);
    });

    it('create', async () => {
      const response = await as(world.staff).post('/api/support-issue-statuses/', { name: 'Contract created', type: IssueStatusType.RESOLVED });
      expect(response.status).toBe(201);
      expectConforms('IssueStatusCreate', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(`/api/support-issue-statuses/${hex(status.uuid)}/`, { name: 'Contract renamed', type: 1 });
      expect(response.status).toBe(200);
      expectConforms('IssueStatusCreate', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.staff).patch(`/api/support-issue-statuses/${hex(status.uuid)}/`, { type: IssueStatusType.RESOLVED });
      expect(response.status).toBe(200);
      expectConforms('IssueStatus', response.body);
    });

    it('delete', async () => {
      const doomed = await testApp.dataSource.getRepository(IssueStatus).save({ name: 'Contract doomed', type: IssueStatusType.ACTIVE });
      const response = await as(world.staff).delete(`/api/support-issue-statuses/${hex(doomed.uuid)}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });
  });

  describe('priorities', () => {
    let priority: Priority;

    beforeAll(async () => {
      priority = await testApp.dataSource.getRepository(Priority).findOneByOrFail({ name: 'Low', backendName: 'basic' });
    });

    it('list', async () => {
      expectList(await as(world.member).get('/api/support-priorities/'), 'Priority');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.member).head('/api/support-priorities/'));
    });

    it('retrieve', async () => {
      const response = await as(world.member).get(`/api/support-priorities/${hex(priority.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Priority', response.body);
    });

    it('create', async () => {
      const response = await as(world.staff).post('/api/support-priorities/', { name: 'Contract priority', icon_url: 'https://example.com/p.png' });
      expect(response.status).toBe(201);
      expectConforms('Priority', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(`/api/support-priorities/${hex(priority.uuid)}/`, { name: 'Lowest', description: 'Whenever' });
      expect(response.status).toBe(200);
      expectConforms('Priority', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.staff).patch(`/api/support-priorities/${hex(priority.uuid)}/`, { description: 'Some day' });
      expect(response.status).toBe(200);
      expectConforms('Priority', response.body);
    });

    it('delete', async () => {
      const doomed = await testApp.dataSource.getRepository(Priority).save({ name: 'Contract doomed', backendName: 'basic' });
      const response = await as(world.staff).delete(`/api/support-priorities/${hex(doomed.uuid)}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });
  });

  describe('support users', () => {
    it('list', async () => {
      expectList(await as(world.support).get('/api/support-users/'), 'SupportUser', 2);
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.support).head('/api/support-users/'), 2);
    });

    it('retrieve an agent without a user', async () => {
      const response = await as(world.staff).get(`/api/support-users/${hex(agent.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('SupportUser', response.body);
    });
  });

  describe('attachments', () => {
    let attachment: { uuid: string; file: string };

    const upload = (user: UserWithToken, issue: Issue) =>
      testApp
        .http()
        .post('/api/support-attachments/')
        .set('Authorization', user.auth)
        .field('issue', linkTo('support-issues', issue.uuid))
        .attach('file', Buffer.from('log line\n'), { filename: 'server.log', contentType: 'text/plain' });

    beforeAll(async () => {
      attachment = (await upload(world.member, projectIssue).expect(201)).body;
    });

    it('create', async () => {
      const response = await upload(world.owner, projectIssue);
      expect(response.status).toBe(201);
      expectConforms('Attachment', response.body);
    });

    it.each(['staff', 'member'] as const)('list as %s', async (role) => {
      expectList(await as(world[role]).get('/api/support-attachments/'), 'Attachment');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.staff).head('/api/support-attachments/'));
    });

    it('retrieve', async () => {
      const response = await as(world.projectManager).get(`/api/support-attachments/${attachment.uuid}/`);
      expect(response.status).toBe(200);
      expectConforms('Attachment', response.body);
    });

    it('retrieve some fields', async () => {
      const response = await as(world.staff).get(`/api/support-attachments/${attachment.uuid}/?field=uuid&field=file_name`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ uuid: attachment.uuid, file_name: 'server.log' });
    });

    it('download the file', async () => {
      const response = await as(world.member).get(new URL(attachment.file).pathname);
      expect(response.status).toBe(200);
      expect(response.text).toBe('log line\n');
    });

    it('rejects update', async () => {
      const response = await as(world.staff).patch(`/api/support-attachments/${attachment.uuid}/`, { file_name: 'x' });
      expect(response.status).toBe(405);
      expect(typeof response.body.detail).toBe('string');
    });

    it('delete', async () => {
      const doomed = (await upload(world.staff, projectIssue).expect(201)).body;
      const response = await as(world.staff).delete(`/api/support-attachments/${doomed.uuid}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });
  });

  describe('templates', () => {
    let template: { uuid: string };

    beforeAll(async () => {
      template = (await as(world.staff).post('/api/support-templates/', { name: 'VM quota', description: 'Cores and RAM', issue_type: 'CHANGE_REQUEST' }).expect(201)).body;
      await testApp
        .http()
        .post(`/api/support-templates/${template.uuid}/create_attachments/`)
        .set('Authorization', world.staff.auth)
        .attach('attachments', Buffer.from('form'), { filename: 'form.txt', contentType: 'text/plain' })
        .expect(201);
    });

    it('list', async () => {
      expectList(await as(world.member).get('/api/support-templates/'), 'Template');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.member).head('/api/support-templates/'));
    });

    it('retrieve', async () => {
      const response = await as(world.member).get(`/api/support-templates/${template.uuid}/`);
      expect(response.status).toBe(200);
      expectConforms('Template', response.body);
      expect(response.body.attachments).toHaveLength(1);
    });

    it('create', async () => {
      const response = await as(world.staff).post('/api/support-templates/', { name: 'Access', description: 'Which system?' });
      expect(response.status).toBe(201);
      expectConforms('Template', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(`/api/support-templates/${template.uuid}/`, { name: 'VM quota', description: 'Cores, RAM, disk' });
      expect(response.status).toBe(200);
      expectConforms('Template', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.staff).patch(`/api/support-templates/${template.uuid}/`, { issue_type: 'SERVICE_REQUEST' });
      expect(response.status).toBe(200);
      expectConforms('Template', response.body);
    });

    it('create_attachments action', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-templates/${template.uuid}/create_attachments/`)
        .set('Authorization', world.staff.auth)
        .attach('attachments', Buffer.from('more'), { filename: 'more.txt', contentType: 'text/plain' });
      expect(response.status).toBe(201);
      expectConforms('Template', response.body);
    });

    it('delete_attachments action', async () => {
      const response = await as(world.staff).post(`/api/support-templates/${template.uuid}/delete_attachments/`, { attachment_ids: [] });
      expect(response.status).toBe(200);
      expectConforms('Template', response.body);
    });

    it('delete', async () => {
      const doomed = (await as(world.staff).post('/api/support-templates/', { name: 'Doomed', description: 'Soon gone' }).expect(201)).body;
      const response = await as(world.staff).delete(`/api/support-templates/${doomed.uuid}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });
  });

  describe('request types', () => {
    let requestType: { uuid: string };

    const createRequestType = async (name: string) =>
      (await as(world.staff).post('/api/support-request-types-admin/', { name, issue_type_name: 'Service Request' }).expect(201)).body;

    beforeAll(async () => {
      requestType = await createRequestType('Get access');
    });

    it('list', async () => {
      expectList(await as(world.member).get('/api/support-request-types/'), 'RequestType');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.member).head('/api/support-request-types/'));
    });

    it('retrieve', async () => {
      const response = await as(world.member).get(`/api/support-request-types/${requestType.uuid}/`);
      expect(response.status).toBe(200);
      expectConforms('RequestType', response.body);
    });

    it('list for admins', async () => {
      expectList(await as(world.staff).get('/api/support-request-types-admin/'), 'RequestTypeAdmin');
    });

    it('count for admins (HEAD)', async () => {
      expectCount(await as(world.staff).head('/api/support-request-types-admin/'));
    });

    it('retrieve for admins', async () => {
      const response = await as(world.staff).get(`/api/support-request-types-admin/${requestType.uuid}/`);
      expect(response.status).toBe(200);
      expectConforms('RequestTypeAdmin', response.body);
    });

    it('create', async () => {
      const response = await as(world.staff).post('/api/support-request-types-admin/', { name: 'Report a bug', issue_type_name: 'Incident', order: 3 });
      expect(response.status).toBe(201);
      expectConforms('RequestTypeAdmin', response.body);
    });

    it('update (PUT)', async () => {
      const response = await as(world.staff).put(`/api/support-request-types-admin/${requestType.uuid}/`, {
        name: 'Get access',
        issue_type_name: 'Service Request',
        is_active: true,
      });
      expect(response.status).toBe(200);
      expectConforms('RequestTypeAdmin', response.body);
    });

    it('update (PATCH)', async () => {
      const response = await as(world.staff).patch(`/api/support-request-types-admin/${requestType.uuid}/`, { order: 7 });
      expect(response.status).toBe(200);
      expectConforms('RequestTypeAdmin', response.body);
    });

    it('deactivate and activate actions', async () => {
      const deactivated = await as(world.staff).post(`/api/support-request-types-admin/${requestType.uuid}/deactivate/`);
      expect(deactivated.status).toBe(200);
      expectConforms('RequestTypeAdmin', deactivated.body);

      const activated = await as(world.staff).post(`/api/support-request-types-admin/${requestType.uuid}/activate/`);
      expect(activated.status).toBe(200);
      expectConforms('RequestTypeAdmin', activated.body);
    });

    it('reorder action', async () => {
      const response = await as(world.staff).post('/api/support-request-types-admin/reorder/', [{ uuid: requestType.uuid, order: 1 }]);
      expect(response.status).toBe(200);
      const rows = Array.isArray(response.body) ? response.body : [response.body];
      for (const row of rows) expectConforms('RequestTypeAdmin', row);
    });

    it('delete', async () => {
      const doomed = await createRequestType('Doomed type');
      const response = await as(world.staff).delete(`/api/support-request-types-admin/${doomed.uuid}/`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
    });
  });

  describe('feedback and reports', () => {
    let feedback: Feedback;

    beforeAll(async () => {
      const resolved = await createIssue(testApp.dataSource, { status: 'Resolved', callerId: world.member.user.id });
      feedback = await createFeedback(testApp.dataSource, resolved, { evaluation: 9 });
    });

    it('create', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', feedbackRequestedAt: new Date() });
      const token = testApp.app.get(FeedbackTokenService).tokenFor(issue);
      const response = await testApp.http().post('/api/support-feedbacks/').send({ token, evaluation: 10, comment: 'Great' });
      expect(response.status).toBe(201);
      expectConforms('CreateFeedback', response.body);
    });

    it('list', async () => {
      expectList(await as(world.support).get('/api/support-feedbacks/'), 'Feedback');
    });

    it('count (HEAD)', async () => {
      expectCount(await as(world.support).head('/api/support-feedbacks/'));
    });

    it('retrieve', async () => {
      const response = await as(world.staff).get(`/api/support-feedbacks/${hex(feedback.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Feedback', response.body);
    });

    it('feedback report', async () => {
      const response = await as(world.staff).get('/api/support-feedback-report/');
      expect(response.status).toBe(200);
      expect(response.body['9']).toBeGreaterThanOrEqual(1);
      for (const count of Object.values(response.body)) expect(Number.isInteger(count)).toBe(true);
    });

    it('feedback average report', async () => {
      const response = await as(world.staff).get('/api/support-feedback-average-report/');
      expect(response.status).toBe(200);
      expect(typeof response.body).toBe('number');
    });

    it.each(['staff', 'member', 'outsider'] as const)('statistics as %s', async (role) => {
      const response = await as(world[role]).get('/api/support-statistics/');
      expect(response.status).toBe(200);
      expectConforms('SupportStats', response.body);
    });
  });

  describe('identity used by the support API', () => {
    it('current user', async () => {
      const response = await as(world.member).get('/api/users/me/');
      expect(response.status).toBe(200);
      expectConforms('User', response.body, identityContract);
    });

    it('users list', async () => {
      expectList(await as(world.staff).get('/api/users/'), 'User', 1, identityContract);
    });

    it('customer', async () => {
      expectList(await as(world.owner).get('/api/customers/'), 'Customer', 1, identityContract);
      const response = await as(world.owner).get(`/api/customers/${hex(world.customer.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Customer', response.body, identityContract);
    });

    it('project', async () => {
      expectList(await as(world.member).get('/api/projects/'), 'Project', 1, identityContract);
      const response = await as(world.member).get(`/api/projects/${hex(world.project.uuid)}/`);
      expect(response.status).toBe(200);
      expectConforms('Project', response.body, identityContract);
    });

    it('project users', async () => {
      expectList(await as(world.staff).get(`/api/projects/${hex(world.project.uuid)}/list_users/`), 'UserRoleDetails', 1, identityContract);
    });
  });
});
