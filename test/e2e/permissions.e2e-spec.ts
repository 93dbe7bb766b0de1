import request from 'supertest';

import { Attachment } from '../../src/support/attachments/attachment.entity';
import { Comment } from '../../src/support/comments/comment.entity';
import { Feedback } from '../../src/support/feedback/feedback.entity';
import { FeedbackTokenService } from '../../src/support/feedback/feedback-token.service';
import { Issue } from '../../src/support/issues/issue.entity';
import { Priority } from '../../src/support/priorities/priority.entity';
import { IssueStatus, IssueStatusType } from '../../src/support/statuses/issue-status.entity';
import { RequestType } from '../../src/support/request-types/request-type.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { Template } from '../../src/support/templates/template.entity';
import { createUser, UserWithToken } from '../support/factories';
import { PERMISSION_RULES, PermissionRole, PermissionRow, permissionRows } from '../support/permission-table';
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

type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
type Operation = (role: PermissionRole) => Promise<request.Response>;

/** Summaries and descriptions of the seeded objects start with this, so lists can skip what the rows create. */
const SEEDED = 'Seeded';

/**
 * Status of the issues that rows write to: an ended status resolved long ago, so that the
 * support statistics count them neither as open nor as closed this month.
 */
const LONG_RESOLVED = { status: 'Resolved', resolutionDate: new Date(Date.UTC(2020, 0, 15)) };

describe('support permissions', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  /** A user with no role who is the caller of the personal issue and of one issue in the other project. */
  let caller: UserWithToken;
  /** An active user with no role whom the rows name as the caller of an issue. */
  let bystander: UserWithToken;
  let agent: SupportUser;

  let customerIssue: Issue;
  let projectIssue: Issue;
  let personalIssue: Issue;
  let callerIssueElsewhere: Issue;
  let otherIssue: Issue;

  let publicComment: Comment;
  let agentInternalComment: Comment;
  let memberInternalComment: Comment;
  let agentInternalOnPersonal: Comment;
  let callerInternalOnPersonal: Comment;

  /** Issues the rows add attachments to and delete attachments from, so seeded lists stay put. */
  let scratchCustomerIssue: Issue;
  let scratchProjectIssue: Issue;
  let scratchPersonalIssue: Issue;
  /** Attachment uploaded by staff to each seeded issue, by issue id. */
  const seededAttachments = new Map<number, string>();

  let feedback: Feedback;
  let tokens: FeedbackTokenService;
  let template: Template;
  let requestType: RequestType;

  let resourceLink: string;
  let issueStatus: IssueStatus;
  let priority: Priority;
  let sequence = 0;

  beforeAll(async () => {
    testApp = await createTestApp();
    const dataSource = testApp.dataSource;
    world = await createSupportWorld(dataSource);
    caller = world.outsider;
    bystander = await createUser(dataSource, { firstName: 'Bea', lastName: 'Bystander' });
    agent = await createSupportUser(dataSource, { name: 'Helpdesk Agent' });

    const staffId = world.staff.user.id;
    customerIssue = await createIssue(dataSource, { summary: `${SEEDED} customer`, customerId: world.customer.id, callerId: staffId });
    projectIssue = await createProjectIssue(dataSource, world.project, { summary: `${SEEDED} project`, callerId: staffId });
    personalIssue = await createIssue(dataSource, { summary: `${SEEDED} personal`, callerId: caller.user.id });
    callerIssueElsewhere = await createProjectIssue(dataSource, world.otherProject, { summary: `${SEEDED} elsewhere`, callerId: caller.user.id });
    otherIssue = await createProjectIssue(dataSource, world.otherProject, { summary: `${SEEDED} other`, callerId: staffId });

    const memberAccount = await createSupportUserFor(dataSource, world.member.user);
    const callerAccount = await createSupportUserFor(dataSource, caller.user);
    publicComment = await createComment(dataSource, projectIssue, agent, { description: `${SEEDED} public reply` });
    agentInternalComment = await createComment(dataSource, projectIssue, agent, { description: `${SEEDED} agent note`, isPublic: false });
    memberInternalComment = await createComment(dataSource, projectIssue, memberAccount, { description: `${SEEDED} member note`, isPublic: false });
    agentInternalOnPersonal = await createComment(dataSource, personalIssue, agent, { description: `${SEEDED} agent note`, isPublic: false });
    callerInternalOnPersonal = await createComment(dataSource, personalIssue, callerAccount, {
      description: `${SEEDED} caller note`,
      isPublic: false,
    });

    const now = new Date();
    const aYearAgo = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 10));
    await createProjectIssue(dataSource, world.project, { summary: 'Closed this month', status: 'Closed', resolutionDate: now });
    await createProjectIssue(dataSource, world.project, { summary: 'Closed a year ago', status: 'Closed', resolutionDate: aYearAgo });

    scratchCustomerIssue = await createIssue(dataSource, { summary: 'Scratch customer', customerId: world.customer.id, ...LONG_RESOLVED });
    scratchProjectIssue = await createProjectIssue(dataSource, world.project, { summary: 'Scratch project', ...LONG_RESOLVED });
    scratchPersonalIssue = await createIssue(dataSource, { summary: 'Scratch personal', callerId: caller.user.id, ...LONG_RESOLVED });
    for (const issue of [customerIssue, projectIssue, personalIssue, callerIssueElsewhere]) {
      const uploaded = await upload('staff', issue).expect(201);
      seededAttachments.set(issue.id, uploaded.body.uuid);
    }

    const feedbackIssue = await createIssue(dataSource, { summary: 'Scratch feedback', callerId: caller.user.id, ...LONG_RESOLVED });
    feedback = await createFeedback(dataSource, feedbackIssue);
    tokens = testApp.app.get(FeedbackTokenService);
    template = await dataSource.getRepository(Template).save({ name: 'Seeded template', description: 'Fill me in' });
    requestType = await createRequestType();

    const resource = await createResource(dataSource, world.project);
    resourceLink = linkTo('marketplace-resources', resource.uuid);
    issueStatus = await dataSource.getRepository(IssueStatus).save({ name: 'Seeded status', type: IssueStatusType.ACTIVE });
    priority = await dataSource.getRepository(Priority).findOneByOrFail({ name: 'High', backendName: 'basic' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  function userOf(role: Exclude<PermissionRole, 'anonymous'>): UserWithToken {
    return role === 'caller' ? caller : world[role];
  }

  function call(method: Method, path: string, role: PermissionRole, body?: object): Promise<request.Response> {
    let pending = testApp.http()[method](path);
    if (role !== 'anonymous') pending = pending.set('Authorization', userOf(role).auth);
    return body === undefined ? pending : pending.send(body);
  }

  /** Returns a name no earlier row used, for objects whose names must be unique. */
  function unique(prefix: string): string {
    sequence += 1;
    return `${prefix} ${sequence}`;
  }

  function selfLink(role: PermissionRole): string {
    return role === 'anonymous' ? linkTo('users', bystander.user.uuid) : linkTo('users', userOf(role).user.uuid);
  }

  /** Uploads a small text file to `issue` as `role`, the way HomePort does. */
  function upload(role: PermissionRole, issue: Issue): request.Test {
    let pending = testApp.http().post('/api/support-attachments/');
    if (role !== 'anonymous') pending = pending.set('Authorization', userOf(role).auth);
    return pending
      .field('issue', linkTo('support-issues', issue.uuid))
      .attach('file', Buffer.from(`uploaded by ${role}`), { filename: 'note.txt', contentType: 'text/plain' });
  }

  /** Inserts an attachment of `issue` without a stored file, as a backend pull records one. */
  async function createAttachment(issue: Issue, author: SupportUser): Promise<Attachment> {
    return testApp.dataSource.getRepository(Attachment).save({
      issueId: issue.id,
      authorId: author.id,
      fileName: 'pulled.txt',
      mimeType: 'text/plain',
      fileSize: 5,
      backendName: 'basic',
    });
  }

  /** Returns the helpdesk account a role acts through, created on first use. */
  async function accountOf(role: PermissionRole): Promise<SupportUser> {
    if (role === 'anonymous') return agent;
    const user = userOf(role).user;
    const existing = await testApp.dataSource.getRepository(SupportUser).findOneBy({ userId: user.id, backendName: 'basic' });
    return existing ?? createSupportUserFor(testApp.dataSource, user);
  }

  /** Inserts an issue resolved long ago whose caller was just asked for feedback. */
  function createResolvedIssue(): Promise<Issue> {
    return createIssue(testApp.dataSource, { summary: 'Scratch feedback', ...LONG_RESOLVED, feedbackRequestedAt: new Date() });
  }

  async function createRequestType(): Promise<RequestType> {
    const response = await call('post', '/api/support-request-types-admin/', 'staff', { name: unique('Request type'), issue_type_name: 'Incident' });
    expect(response.status).toBe(201);
    return testApp.dataSource.getRepository(RequestType).findOneByOrFail({ name: response.body.name });
  }

  const attachmentPath = (issue: Issue) => `/api/support-attachments/${seededAttachments.get(issue.id)}/`;
  const issuePath = (issue: Issue) => `/api/support-issues/${hex(issue.uuid)}/`;
  const commentPath = (comment: Comment) => `/api/support-comments/${hex(comment.uuid)}/`;
  const fileIssue = (role: PermissionRole, fields: object) =>
    call('post', '/api/support-issues/', role, { summary: 'Filed in a permission test', ...fields });

  const operations: Record<string, Operation> = {
    'statistics: open issues': (role) => call('get', '/api/support-statistics/', role),
    'statistics: closed this month': (role) => call('get', '/api/support-statistics/', role),

    'list seeded issues': (role) => call('get', `/api/support-issues/?summary=${SEEDED}`, role),
    'count seeded issues (HEAD)': (role) => call('head', `/api/support-issues/?summary=${SEEDED}`, role),
    'see customer issue': (role) => call('get', issuePath(customerIssue), role),
    'see project issue': (role) => call('get', issuePath(projectIssue), role),
    'see personal issue of caller': (role) => call('get', issuePath(personalIssue), role),
    'see issue filed by caller in other project': (role) => call('get', issuePath(callerIssueElsewhere), role),
    'see issue of other customer': (role) => call('get', issuePath(otherIssue), role),
    'create issue without scope': (role) => fileIssue(role, { is_reported_manually: true }),
    'create issue for customer': (role) => fileIssue(role, { is_reported_manually: true, customer: linkTo('customers', world.customer.uuid) }),
    'create issue for project': (role) => fileIssue(role, { is_reported_manually: true, project: linkTo('projects', world.project.uuid) }),
    'create issue for resource': (role) => fileIssue(role, { is_reported_manually: true, resource: resourceLink }),
    'create issue for other customer': (role) =>
      fileIssue(role, { is_reported_manually: true, customer: linkTo('customers', world.otherCustomer.uuid) }),
    'create issue naming self as caller': (role) => fileIssue(role, { caller: selfLink(role) }),
    'create issue naming another caller': (role) => fileIssue(role, { caller: linkTo('users', bystander.user.uuid) }),
    'create issue naming no caller': (role) => fileIssue(role, {}),
    'create issue with priority': (role) => fileIssue(role, { is_reported_manually: true, priority: priority.name }),
    'create issue with assignee': (role) => fileIssue(role, { caller: selfLink(role), assignee: linkTo('support-users', agent.uuid) }),
    'update project issue (PATCH)': (role) => call('patch', issuePath(projectIssue), role, { description: `Patched by ${role}` }),
    'update project issue (PUT)': (role) => call('put', issuePath(projectIssue), role, { summary: `${SEEDED} project`, description: role }),
    'update personal issue of caller': (role) => call('patch', issuePath(personalIssue), role, { description: `Patched by ${role}` }),
    'delete project issue': async (role) => call('delete', issuePath(await createProjectIssue(testApp.dataSource, world.project)), role),
    'sync project issue': (role) => call('post', `${issuePath(projectIssue)}sync/`, role),
    'comment on customer issue': (role) => call('post', `${issuePath(customerIssue)}comment/`, role, { description: `Hello from ${role}` }),
    'comment on project issue': (role) => call('post', `${issuePath(projectIssue)}comment/`, role, { description: `Hello from ${role}` }),
    'comment internally on project issue': (role) =>
      call('post', `${issuePath(projectIssue)}comment/`, role, { description: `Note from ${role}`, is_public: false }),
    'comment on personal issue of caller': (role) => call('post', `${issuePath(personalIssue)}comment/`, role, { description: `Hi from ${role}` }),
    'comment on issue filed by caller in other project': (role) =>
      call('post', `${issuePath(callerIssueElsewhere)}comment/`, role, { description: `Hi from ${role}` }),

    'list seeded comments': (role) => call('get', `/api/support-comments/?description=${SEEDED}`, role),
    'count seeded comments (HEAD)': (role) => call('head', `/api/support-comments/?description=${SEEDED}`, role),
    'list internal comments of project issue': (role) =>
      call('get', `/api/support-comments/?issue_uuid=${hex(projectIssue.uuid)}&is_public=false&description=${SEEDED}`, role),
    'see public comment': (role) => call('get', commentPath(publicComment), role),
    'see internal comment of an agent': (role) => call('get', commentPath(agentInternalComment), role),
    'see internal comment of member': (role) => call('get', commentPath(memberInternalComment), role),
    'see internal comment on personal issue': (role) => call('get', commentPath(agentInternalOnPersonal), role),
    'see own internal comment of caller': (role) => call('get', commentPath(callerInternalOnPersonal), role),
    'edit public comment (PATCH)': (role) => call('patch', commentPath(publicComment), role, { description: `${SEEDED} public reply by ${role}` }),
    'edit public comment (PUT)': (role) =>
      call('put', commentPath(publicComment), role, { description: `${SEEDED} public reply by ${role}`, is_public: true }),
    'edit own internal comment of member': (role) => call('patch', commentPath(memberInternalComment), role, { description: `${SEEDED} member note` }),
    'delete public comment': async (role) => call('delete', commentPath(await createComment(testApp.dataSource, projectIssue, agent)), role),
    'create comment on the collection': (role) =>
      call('post', '/api/support-comments/', role, { issue: linkTo('support-issues', projectIssue.uuid), description: 'Direct' }),

    'list attachments of customer issue': (role) => call('get', `/api/support-attachments/?issue_uuid=${hex(customerIssue.uuid)}`, role),
    'list attachments of project issue': (role) => call('get', `/api/support-attachments/?issue_uuid=${hex(projectIssue.uuid)}`, role),
    'list attachments of personal issue': (role) =>
      call('get', `/api/support-attachments/?issue=${encodeURIComponent(linkTo('support-issues', personalIssue.uuid))}`, role),
    'count attachments of project issue (HEAD)': (role) => call('head', `/api/support-attachments/?issue_uuid=${hex(projectIssue.uuid)}`, role),
    'see attachment of customer issue': (role) => call('get', attachmentPath(customerIssue), role),
    'see attachment of project issue': (role) => call('get', attachmentPath(projectIssue), role),
    'see attachment of personal issue': (role) => call('get', attachmentPath(personalIssue), role),
    'see attachment of issue filed by caller in other project': (role) => call('get', attachmentPath(callerIssueElsewhere), role),
    'download attachment of project issue': (role) => call('get', `${attachmentPath(projectIssue)}download/`, role),
    'download attachment of personal issue': (role) => call('get', `${attachmentPath(personalIssue)}download/`, role),
    'add attachment to customer issue': (role) => upload(role, scratchCustomerIssue),
    'add attachment to project issue': (role) => upload(role, scratchProjectIssue),
    'add attachment to personal issue': (role) => upload(role, scratchPersonalIssue),
    'delete attachment of project issue': async (role) => {
      const attachment = await createAttachment(scratchProjectIssue, agent);
      return call('delete', `/api/support-attachments/${hex(attachment.uuid)}/`, role);
    },
    'delete attachment of personal issue': async (role) => {
      const attachment = await createAttachment(scratchPersonalIssue, agent);
      return call('delete', `/api/support-attachments/${hex(attachment.uuid)}/`, role);
    },
    'delete own attachment of personal issue': async (role) => {
      const attachment = await createAttachment(scratchPersonalIssue, await accountOf(role));
      return call('delete', `/api/support-attachments/${hex(attachment.uuid)}/`, role);
    },
    'update attachment': (role) => call('patch', attachmentPath(projectIssue), role, { file_name: 'renamed.txt' }),

    'list feedbacks': (role) => call('get', '/api/support-feedbacks/', role),
    'see feedback': (role) => call('get', `/api/support-feedbacks/${hex(feedback.uuid)}/`, role),
    'submit feedback with a token': async (role) =>
      call('post', '/api/support-feedbacks/', role, { token: tokens.tokenFor(await createResolvedIssue()), evaluation: 7 }),
    'read feedback report': (role) => call('get', '/api/support-feedback-report/', role),
    'read feedback average report': (role) => call('get', '/api/support-feedback-average-report/', role),
    'delete feedback': (role) => call('delete', `/api/support-feedbacks/${hex(feedback.uuid)}/`, role),

    'list templates': (role) => call('get', '/api/support-templates/', role),
    'see template': (role) => call('get', `/api/support-templates/${hex(template.uuid)}/`, role),
    'create template': (role) => call('post', '/api/support-templates/', role, { name: unique('Template'), description: 'Steps' }),
    'update template': (role) => call('patch', `/api/support-templates/${hex(template.uuid)}/`, role, { description: `Edited by ${role}` }),
    'delete template': async (role) => {
      const doomed = await testApp.dataSource.getRepository(Template).save({ name: unique('Doomed template'), description: 'Gone soon' });
      return call('delete', `/api/support-templates/${hex(doomed.uuid)}/`, role);
    },
    'add template attachments': (role) => {
      let pending = testApp.http().post(`/api/support-templates/${hex(template.uuid)}/create_attachments/`);
      if (role !== 'anonymous') pending = pending.set('Authorization', userOf(role).auth);
      return pending.attach('attachments', Buffer.from('form'), { filename: 'form.txt', contentType: 'text/plain' });
    },
    'delete template attachments': (role) =>
      call('post', `/api/support-templates/${hex(template.uuid)}/delete_attachments/`, role, { attachment_ids: [] }),
    'list request types': (role) => call('get', '/api/support-request-types/', role),
    'see request type': (role) => call('get', `/api/support-request-types/${hex(requestType.uuid)}/`, role),
    'list request types for admins': (role) => call('get', '/api/support-request-types-admin/', role),
    'create request type': (role) =>
      call('post', '/api/support-request-types-admin/', role, { name: unique('Request type'), issue_type_name: 'Service Request' }),
    'update request type': (role) =>
      call('patch', `/api/support-request-types-admin/${hex(requestType.uuid)}/`, role, { issue_type_name: 'Service Request' }),
    'deactivate request type': async (role) =>
      call('post', `/api/support-request-types-admin/${hex((await createRequestType()).uuid)}/deactivate/`, role),
    'reorder request types': (role) =>
      call('post', '/api/support-request-types-admin/reorder/', role, [{ uuid: hex(requestType.uuid), order: 5 }]),
    'delete request type': async (role) => call('delete', `/api/support-request-types-admin/${hex((await createRequestType()).uuid)}/`, role),

    'list sync outbox': (role) => call('get', '/api/support-sync-outbox/', role),
    'list webhook deliveries': (role) => call('get', '/api/support-sync-deliveries/', role),
    'read sync status': (role) => call('get', '/api/support-sync-status/', role),

    'list support users': (role) => call('get', '/api/support-users/', role),
    'see support user': (role) => call('get', `/api/support-users/${hex(agent.uuid)}/`, role),
    'list issue statuses': (role) => call('get', '/api/support-issue-statuses/', role),
    'see issue status': (role) => call('get', `/api/support-issue-statuses/${hex(issueStatus.uuid)}/`, role),
    'create issue status': (role) => call('post', '/api/support-issue-statuses/', role, { name: unique('Status'), type: IssueStatusType.ACTIVE }),
    'update issue status': (role) => call('patch', `/api/support-issue-statuses/${hex(issueStatus.uuid)}/`, role, { name: unique('Status') }),
    'delete issue status': async (role) => {
      const status = await testApp.dataSource.getRepository(IssueStatus).save({ name: unique('Doomed status'), type: IssueStatusType.ACTIVE });
      return call('delete', `/api/support-issue-statuses/${hex(status.uuid)}/`, role);
    },
    'list priorities': (role) => call('get', '/api/support-priorities/', role),
    'see priority': (role) => call('get', `/api/support-priorities/${hex(priority.uuid)}/`, role),
    'create priority': (role) => call('post', '/api/support-priorities/', role, { name: unique('Priority') }),
    'update priority': (role) => call('patch', `/api/support-priorities/${hex(priority.uuid)}/`, role, { description: `Edited by ${role}` }),
    'delete priority': async (role) => {
      const doomed = await testApp.dataSource.getRepository(Priority).save({ name: unique('Doomed priority'), backendName: 'basic' });
      return call('delete', `/api/support-priorities/${hex(doomed.uuid)}/`, role);
    },
  };

  /** Reads the count a row checks: a statistics figure, or the list's `X-Result-Count`. */
  function countIn(operation: string, response: request.Response): number {
    if (operation === 'statistics: open issues') return response.body.open_issues_count;
    if (operation === 'statistics: closed this month') return response.body.closed_this_month_count;
    return Number(response.headers['x-result-count']);
  }

  const rows = permissionRows();

  it('has a request for every operation in the table', () => {
    expect(Object.keys(operations).sort()).toEqual(Object.keys(PERMISSION_RULES).sort());
  });

  it('covers at least 150 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it.each(rows)('$role: $operation → $status', async (row: PermissionRow) => {
    const response = await operations[row.operation](row.role);

    expect(response.status).toBe(row.status);
    // A HEAD response has no body to check.
    const hasBody = response.request.method !== 'HEAD';
    if (row.status === 401 && hasBody) expect(response.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    if ((row.status === 403 || row.status === 404) && hasBody) expect(typeof response.body.detail).toBe('string');
    if (row.count !== undefined) expect(countIn(row.operation, response)).toBe(row.count);
  });
});
