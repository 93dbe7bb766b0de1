import { Issue } from '../../src/support/issues/issue.entity';
import { createUser, grantRole, UserWithToken } from '../support/factories';
import { createIssue, createProjectIssue, createResource, createSupportWorld, hex, linkTo, SupportWorld } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

type Role = keyof Pick<
  SupportWorld,
  'staff' | 'support' | 'owner' | 'customerSupport' | 'customerManager' | 'projectAdmin' | 'projectManager' | 'member' | 'outsider'
>;

describe('support issue permissions', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let customerIssue: Issue;
  let projectIssue: Issue;
  let personalIssue: Issue;
  let otherIssue: Issue;
  /** A project issue whose caller has no role anywhere. */
  let callerOnlyIssue: Issue;

  beforeAll(async () => {
    testApp = await createTestApp();
    const dataSource = testApp.dataSource;
    world = await createSupportWorld(dataSource);
    customerIssue = await createIssue(dataSource, { key: 'CUSTOMER', customerId: world.customer.id });
    projectIssue = await createProjectIssue(dataSource, world.project, { key: 'PROJECT' });
    personalIssue = await createIssue(dataSource, { key: 'PERSONAL', callerId: world.outsider.user.id });
    otherIssue = await createProjectIssue(dataSource, world.otherProject, { key: 'OTHER' });
    callerOnlyIssue = await createProjectIssue(dataSource, world.otherProject, { key: 'CALLER', callerId: world.outsider.user.id });
  });

  afterAll(async () => {
    await testApp.close();
  });

  function as(role: Role): UserWithToken {
    return world[role];
  }

  async function visibleKeys(user: UserWithToken): Promise<string[]> {
    const response = await testApp.http().get('/api/support-issues/?o=key').set('Authorization', user.auth).expect(200);
    return response.body.map((issue: { key: string }) => issue.key).sort();
  }

  describe('visibility', () => {
    const cases: Array<[Role, string[]]> = [
      ['staff', ['CALLER', 'CUSTOMER', 'OTHER', 'PERSONAL', 'PROJECT']],
      ['support', ['CALLER', 'CUSTOMER', 'OTHER', 'PERSONAL', 'PROJECT']],
      ['owner', ['CUSTOMER', 'PROJECT']],
      ['customerSupport', ['CUSTOMER', 'PROJECT']],
      ['customerManager', ['CUSTOMER', 'PROJECT']],
      ['projectAdmin', ['PROJECT']],
      ['projectManager', ['PROJECT']],
      ['member', ['PROJECT']],
      ['outsider', ['CALLER', 'PERSONAL']],
    ];

    it.each(cases)('lists what %s may see', async (role, expected) => {
      expect(await visibleKeys(as(role))).toEqual(expected);
    });

    it('ignores expired grants', async () => {
      const former = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, former.user, 'CUSTOMER.OWNER', world.customer, new Date(Date.now() - 60_000));
      await grantRole(testApp.dataSource, former.user, 'PROJECT.MEMBER', world.project, new Date(Date.now() - 60_000));
      expect(await visibleKeys(former)).toEqual([]);
    });

    it('counts grants expiring later', async () => {
      const temporary = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, temporary.user, 'PROJECT.MEMBER', world.project, new Date(Date.now() + 3_600_000));
      expect(await visibleKeys(temporary)).toEqual(['PROJECT']);
    });

    it('answers 404 for an invisible issue', async () => {
      const response = await testApp.http().get(`/api/support-issues/${hex(otherIssue.uuid)}/`).set('Authorization', world.owner.auth).expect(404);
      expect(response.body).toEqual({ detail: 'Not found.' });
    });

    it('answers 401 to anonymous callers', async () => {
      const response = await testApp.http().get('/api/support-issues/').expect(401);
      expect(response.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('answers 401 to a bad token', async () => {
      await testApp.http().get('/api/support-issues/').set('Authorization', 'Token nope').expect(401);
    });
  });

  describe('comment action', () => {
    function comment(issue: Issue, user: UserWithToken) {
      return testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/comment/`).set('Authorization', user.auth).send({ description: 'Hello' });
    }

    const projectCases: Array<[Role, number]> = [
      ['staff', 201],
      ['support', 201],
      ['owner', 201],
      ['customerSupport', 403],
      ['customerManager', 403],
      ['projectAdmin', 201],
      ['projectManager', 201],
      ['member', 201],
      ['outsider', 404],
    ];

    it.each(projectCases)('project issue: %s gets %i', async (role, status) => {
      await comment(projectIssue, as(role)).expect(status);
    });

    const customerCases: Array<[Role, number]> = [
      ['owner', 201],
      ['customerSupport', 403],
      ['customerManager', 403],
      ['projectAdmin', 404],
      ['member', 404],
    ];

    it.each(customerCases)('customer issue: %s gets %i', async (role, status) => {
      await comment(customerIssue, as(role)).expect(status);
    });

    it('lets the caller comment on a personal issue', async () => {
      await comment(personalIssue, world.outsider).expect(201);
    });

    it('forbids the caller of a scoped issue', async () => {
      const response = await comment(callerOnlyIssue, world.outsider).expect(403);
      expect(response.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('rejects anonymous comments', async () => {
      await testApp.http().post(`/api/support-issues/${hex(projectIssue.uuid)}/comment/`).send({ description: 'Hi' }).expect(401);
    });
  });

  describe('create scope', () => {
    function create(user: UserWithToken, scope: Record<string, string>) {
      return testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', user.auth)
        .send({ summary: 'Scoped', is_reported_manually: true, ...scope });
    }

    const customerCases: Array<[Role, number]> = [
      ['staff', 201],
      ['support', 201],
      ['owner', 201],
      ['customerSupport', 400],
      ['projectAdmin', 400],
      ['member', 400],
      ['outsider', 400],
    ];

    it.each(customerCases)('customer: %s gets %i', async (role, status) => {
      const response = await create(as(role), { customer: linkTo('customers', world.customer.uuid) }).expect(status);
      if (status === 400) expect(response.body).toEqual({ customer: ['You do not have permission to create issues for this customer.'] });
    });

    const projectCases: Array<[Role, number]> = [
      ['staff', 201],
      ['support', 201],
      ['owner', 201],
      ['customerManager', 400],
      ['projectAdmin', 201],
      ['projectManager', 201],
      ['member', 201],
      ['outsider', 400],
    ];

    it.each(projectCases)('project: %s gets %i', async (role, status) => {
      const response = await create(as(role), { project: linkTo('projects', world.project.uuid) }).expect(status);
      if (status === 400) expect(response.body).toEqual({ project: ['You do not have permission to create issues in this project.'] });
    });

    it('lets members file about a resource', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      await create(world.member, { resource: linkTo('marketplace-resources', resource.uuid) }).expect(201);
    });

    it('rejects a resource the user cannot see', async () => {
      const resource = await createResource(testApp.dataSource, world.otherProject);
      const response = await create(world.member, { resource: linkTo('marketplace-resources', resource.uuid) }).expect(400);
      expect(response.body).toEqual({ resource: ['Invalid hyperlink - Object does not exist.'] });
    });

    it('rejects a resource seen without a project role', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      const response = await create(world.customerManager, { resource: linkTo('marketplace-resources', resource.uuid) }).expect(400);
      expect(response.body).toEqual({ resource: ['You do not have permission to create issues about this resource.'] });
    });

    it('lets anyone file a personal issue', async () => {
      const response = await create(world.outsider, {}).expect(201);
      expect(response.body.customer).toBeNull();
    });
  });

  describe('staff-only actions', () => {
    const cases: Array<[Role, number]> = [
      ['owner', 403],
      ['projectAdmin', 403],
      ['member', 403],
    ];

    it.each(cases)('update by %s gets %i', async (role, status) => {
      await testApp
        .http()
        .patch(`/api/support-issues/${hex(projectIssue.uuid)}/`)
        .set('Authorization', as(role).auth)
        .send({ summary: 'x' })
        .expect(status);
    });

    it.each(cases)('delete by %s gets %i', async (role, status) => {
      await testApp.http().delete(`/api/support-issues/${hex(projectIssue.uuid)}/`).set('Authorization', as(role).auth).expect(status);
    });

    it.each(cases)('sync by %s gets %i', async (role, status) => {
      await testApp.http().post(`/api/support-issues/${hex(projectIssue.uuid)}/sync/`).set('Authorization', as(role).auth).expect(status);
    });
  });
});
