import { Feedback } from '../../src/support/feedback/feedback.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from '../support/factories';
import { createSupportTestApp, RecordingSupportBackend } from '../support/recording-backend';
import { createFeedbackRow, createIssue } from '../support/support-rows';
import { TestApp } from '../support/test-app';

describe('support reports', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;

  beforeAll(async () => {
    testApp = await createSupportTestApp(new RecordingSupportBackend());
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('feedback reports', () => {
    const get = (path: string, who: UserWithToken = staff) => testApp.http().get(`/api/${path}/`).set('Authorization', who.auth);

    beforeEach(async () => {
      await testApp.dataSource.getRepository(Feedback).deleteAll();
    });

    it('returns an empty object and null without feedback', async () => {
      expect((await get('support-feedback-report').expect(200)).body).toEqual({});

      const average = await get('support-feedback-average-report').expect(200);
      expect(average.headers['content-type']).toMatch(/^application\/json/);
      expect(average.text).toBe('null');
    });

    it('counts only evaluations that occur', async () => {
      for (const evaluation of [10, 10, 6, 2]) {
        await createFeedbackRow(testApp.dataSource, await createIssue(testApp.dataSource), { evaluation });
      }

      expect((await get('support-feedback-report').expect(200)).body).toEqual({ '2': 1, '6': 1, '10': 2 });
      expect((await get('support-feedback-average-report').expect(200)).body).toBe(7);
    });

    it('rounds the average to two decimals', async () => {
      for (const evaluation of [10, 2, 7]) {
        await createFeedbackRow(testApp.dataSource, await createIssue(testApp.dataSource), { evaluation });
      }
      expect((await get('support-feedback-average-report', support).expect(200)).body).toBe(6.33);
    });

    it.each(['support-feedback-report', 'support-feedback-average-report'])('limits %s to staff and support', async (path) => {
      await get(path, support).expect(200);
      await get(path, user).expect(403);
      await testApp.http().get(`/api/${path}/`).expect(401);
    });
  });

  describe('statistics', () => {
    const now = new Date();
    const thisMonth = now;
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const sameMonthLastYear = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 15));

    let owner: UserWithToken;
    let customerSupport: UserWithToken;
    let projectMember: UserWithToken;
    let caller: UserWithToken;
    let stranger: UserWithToken;

    const statistics = async (who: UserWithToken) => (await testApp.http().get('/api/support-statistics/').set('Authorization', who.auth).expect(200)).body;

    beforeAll(async () => {
      const dataSource = testApp.dataSource;
      await dataSource.getRepository(Issue).deleteAll();
      owner = await createUser(dataSource);
      customerSupport = await createUser(dataSource);
      projectMember = await createUser(dataSource);
      caller = await createUser(dataSource);
      stranger = await createUser(dataSource);

      const customer = await createCustomer(dataSource);
      const project = await createProject(dataSource, customer);
      const otherCustomer = await createCustomer(dataSource);
      await grantRole(dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await grantRole(dataSource, customerSupport.user, 'CUSTOMER.SUPPORT', customer);
      await grantRole(dataSource, projectMember.user, 'PROJECT.MEMBER', project);

      // Open: a status of type ACTIVE, or a status the status table does not know.
      await createIssue(dataSource, { customerId: customer.id, status: 'Open' });
      await createIssue(dataSource, { projectId: project.id, status: 'In Progress' });
      await createIssue(dataSource, { callerId: caller.user.id, status: 'Escalated to vendor' });
      await createIssue(dataSource, { customerId: otherCustomer.id, status: 'Open' });
      // Closed this month: RESOLVED and CANCELED types both count.
      await createIssue(dataSource, { customerId: customer.id, status: 'Resolved', resolutionDate: thisMonth });
      await createIssue(dataSource, { customerId: customer.id, status: 'Canceled', resolutionDate: thisMonth });
      // Closed, but not this month.
      await createIssue(dataSource, { customerId: customer.id, status: 'Closed', resolutionDate: sameMonthLastYear });
      await createIssue(dataSource, { customerId: customer.id, status: 'Resolved', resolutionDate: lastMonth });
      // Resolved without a resolution date: neither open nor closed this month.
      await createIssue(dataSource, { customerId: customer.id, status: 'Resolved', resolutionDate: null });
    });

    it.each([
      ['staff', () => staff, 4, 2],
      ['global support', () => support, 4, 2],
      ['customer owner', () => owner, 1, 2],
      ['customer support role', () => customerSupport, 1, 2],
      ['project member', () => projectMember, 1, 0],
      ['caller', () => caller, 1, 0],
      ['stranger', () => stranger, 0, 0],
    ])('counts what %s can see', async (_label, who, open, closed) => {
      expect(await statistics(who())).toEqual({ open_issues_count: open, closed_this_month_count: closed, recent_broadcasts_count: 0 });
    });

    it('rejects anonymous with 401', async () => {
      await testApp.http().get('/api/support-statistics/').expect(401);
    });
  });
});
