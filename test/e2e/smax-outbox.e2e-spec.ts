import { formatUuid, parseUuid } from '../../src/common/http/uuid';
import { SettingsService } from '../../src/settings/settings.service';
import { Comment } from '../../src/support/comments/comment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { createCustomer, createProject, createStaff, UserWithToken } from '../support/factories';
import {
  commentsOf,
  createSmaxTestApp,
  drainOutbox,
  findIssue,
  loginCount,
  requestsOf,
  resetFakeSmax,
  SmaxTestApp,
} from '../support/smax-app';

describe('SMAX pushes through the outbox', () => {
  let testApp: SmaxTestApp;
  /** Staff whose email is the fake's seeded Person 10003, so creates need no new Person. */
  let staff: UserWithToken;

  beforeAll(async () => {
    testApp = await createSmaxTestApp({ SMAX_ORGANISATION_FIELD: 'OrganisationName_c', SMAX_PROJECT_FIELD: 'ProjectName_c' });
    staff = await createStaff(testApp.dataSource, { email: 'customer.one@example.com', firstName: 'Customer', lastName: 'One' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    resetFakeSmax(testApp.fake);
  });

  function createIssue(fields: Record<string, unknown> = {}) {
    return testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', staff.auth)
      .send({ summary: 'VPN not reachable', description: 'Times out since 09:00.\nFrom every office.', type: 'Incident', is_reported_manually: true, ...fields });
  }

  function addComment(issueUuid: string, description: string) {
    return testApp.http().post(`/api/support-issues/${issueUuid}/comment/`).set('Authorization', staff.auth).send({ description });
  }

  async function outboxRows(issueUuid: string): Promise<OutboxEntry[]> {
    return testApp.dataSource.getRepository(OutboxEntry).find({ where: { issueUuid: parseUuid(issueUuid) }, order: { id: 'ASC' } });
  }

  it('creates a Request with the mapped fields', async () => {
    const customer = await createCustomer(testApp.dataSource, { name: 'Example Org' });
    const project = await createProject(testApp.dataSource, customer, { name: 'Climate Model' });

    const response = await createIssue({
      customer: `http://127.0.0.1/api/customers/${formatUuid(customer.uuid)}/`,
      project: `http://127.0.0.1/api/projects/${formatUuid(project.uuid)}/`,
    }).expect(201);

    expect(response.body.key).toMatch(/^\d+$/);
    expect(response.body.backend_id).toBe(response.body.key);
    expect(response.body.status).toBe('Log');
    const request = testApp.fake.getEntity('Request', response.body.key);
    expect(request).toMatchObject({
      DisplayLabel: 'VPN not reachable',
      RequestedByPerson: '10003',
      CreationSource: 'CreationSourceExternal',
      OrganisationName_c: 'Example Org',
      ProjectName_c: 'Climate Model',
    });
    expect(request?.Description).toBe(
      `<p>Times out since 09:00.<br>From every office.</p><p>Deskbridge reference: ${response.body.uuid}</p>`,
    );
    const issue = await findIssue(testApp, parseUuid(response.body.uuid)!);
    expect(issue.state).toBe(SyncState.OK);
    expect((await outboxRows(response.body.uuid)).map((row) => row.status)).toEqual(['done']);
  });

  it('adds a comment to the Request', async () => {
    const issue = (await createIssue().expect(201)).body;

    const response = await addComment(issue.uuid, 'Please check the gateway.').expect(201);

    const remote = testApp.fake.getComments(issue.key);
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({ Body: '<p>Please check the gateway.</p>', PrivacyType: 'PUBLIC', Submitter: { UserId: '10003' } });
    const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ uuid: parseUuid(response.body.uuid) });
    expect(stored.backendId).toBe(remote[0].Id);
    expect(stored.state).toBe(SyncState.OK);
  });

  it('logs in again when the token expires between writes', async () => {
    const issue = (await createIssue().expect(201)).body;
    const loginsBefore = loginCount(testApp.fake);
    testApp.fake.expireTokens();

    await addComment(issue.uuid, 'Still down after the restart.').expect(201);

    expect(testApp.fake.getComments(issue.key).map((comment) => comment.Body)).toEqual(['<p>Still down after the restart.</p>']);
    expect(loginCount(testApp.fake)).toBe(loginsBefore + 1);
    expect((await outboxRows(issue.uuid)).map((row) => row.status)).toEqual(['done', 'done']);
  });

  it('parks a rejected create and makes one Request on replay', async () => {
    testApp.fake.addFault({ kind: 'bulk-failed', message: 'RequestsOffering 999 is retired.', times: 1 });

    const response = await createIssue().expect(201);

    expect(response.body.key).toBe('');
    expect((await findIssue(testApp, parseUuid(response.body.uuid)!)).state).toBe(SyncState.ERRED);
    const [row] = await outboxRows(response.body.uuid);
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('RequestsOffering 999 is retired.');
    expect(requestsOf(testApp.fake, response.body.uuid)).toHaveLength(0);

    await testApp.http().post(`/api/support-sync-outbox/${formatUuid(row.uuid)}/replay/`).set('Authorization', staff.auth).expect(200);
    await drainOutbox(testApp);

    const requests = requestsOf(testApp.fake, response.body.uuid);
    expect(requests).toHaveLength(1);
    const issue = await findIssue(testApp, parseUuid(response.body.uuid)!);
    expect(issue.key).toBe(requests[0].Id);
    expect(issue.state).toBe(SyncState.OK);
  });

  it('adopts the Request of a create whose response was dropped', async () => {
    testApp.fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });

    const response = await createIssue().expect(201);

    const requests = requestsOf(testApp.fake, response.body.uuid);
    expect(requests).toHaveLength(1);
    expect(response.body.key).toBe(requests[0].Id);
    expect((await outboxRows(response.body.uuid)).map((row) => row.status)).toEqual(['done']);
  });

  it('finds the Request on the retry when queries lag the dropped create', async () => {
    testApp.fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });
    testApp.fake.configure({ visibilityDelayMs: { Request: 60_000 } });

    const response = await createIssue().expect(201);
    expect(response.body.key).toBe('');
    const [pending] = await outboxRows(response.body.uuid);
    expect(pending.status).toBe('pending');

    testApp.fake.advanceClock(61_000);
    testApp.fake.configure({ visibilityDelayMs: {} });
    await drainOutbox(testApp);

    const requests = requestsOf(testApp.fake, response.body.uuid);
    expect(requests).toHaveLength(1);
    const [row] = await outboxRows(response.body.uuid);
    expect(row).toMatchObject({ status: 'done', attempts: 2, remoteId: requests[0].Id });
    expect((await findIssue(testApp, parseUuid(response.body.uuid)!)).key).toBe(requests[0].Id);
  });

  it('adopts the comment of a push whose response was dropped', async () => {
    const issue = (await createIssue().expect(201)).body;
    testApp.fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 });

    await addComment(issue.uuid, 'Any news?').expect(201);

    const remote = testApp.fake.getComments(issue.key);
    expect(remote).toHaveLength(1);
    const [comment] = await commentsOf(testApp, await findIssue(testApp, parseUuid(issue.uuid)!));
    expect(comment.backendId).toBe(remote[0].Id);
  });

  it('waits while the SMAX settings are incomplete', async () => {
    const settings = testApp.app.get(SettingsService);
    const url = settings.get('SMAX_API_URL');
    await settings.update({ SMAX_API_URL: null });
    try {
      const response = await createIssue().expect(201);

      const [row] = await outboxRows(response.body.uuid);
      expect(row.status).toBe('pending');
      expect(row.lastError).toContain('SMAX is not configured: set SMAX_API_URL');
    } finally {
      await settings.update({ SMAX_API_URL: url });
    }
  });
});
