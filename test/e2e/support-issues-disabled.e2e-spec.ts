import { createStaff, UserWithToken } from '../support/factories';
import { createIssue, hex, updateSettings } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

const DISABLED = { detail: 'Support extension is disabled.' };

describe('support disabled', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let issueUuid: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    staff = await createStaff(testApp.dataSource);
    issueUuid = hex((await createIssue(testApp.dataSource)).uuid);
  });

  afterAll(async () => {
    await testApp.close();
  });

  afterEach(async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: true });
  });

  function routes(): Array<[string, string]> {
    return [
      ['GET', '/api/support-issues/'],
      ['HEAD', '/api/support-issues/'],
      ['POST', '/api/support-issues/'],
      ['GET', `/api/support-issues/${issueUuid}/`],
      ['PATCH', `/api/support-issues/${issueUuid}/`],
      ['DELETE', `/api/support-issues/${issueUuid}/`],
      ['POST', `/api/support-issues/${issueUuid}/comment/`],
      ['POST', `/api/support-issues/${issueUuid}/sync/`],
      ['GET', '/api/support-comments/'],
      ['POST', '/api/support-comments/'],
      ['GET', '/api/support-issue-statuses/'],
      ['POST', '/api/support-issue-statuses/'],
      ['GET', '/api/support-priorities/'],
      ['POST', '/api/support-priorities/'],
      ['GET', '/api/support-users/'],
    ];
  }

  function call(method: string, path: string) {
    const http = testApp.http();
    switch (method) {
      case 'GET':
        return http.get(path);
      case 'HEAD':
        return http.head(path);
      case 'POST':
        return http.post(path).send({});
      case 'PATCH':
        return http.patch(path).send({});
      case 'DELETE':
        return http.delete(path);
      default:
        throw new Error(`No client call for ${method}`);
    }
  }

  it('answers 424 before authentication', async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: false });
    for (const [method, path] of routes()) {
      const response = await call(method, path);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 424 });
      if (method !== 'HEAD') expect(response.body).toEqual(DISABLED);
    }
  });

  it('answers 424 to staff', async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: false });
    for (const [method, path] of routes()) {
      const response = await call(method, path).set('Authorization', staff.auth);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 424 });
    }
  });

  it('reads a form-style false', async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: 'false' });
    await testApp.http().get('/api/support-issues/').set('Authorization', staff.auth).expect(424);
  });

  it('serves again once enabled', async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: false });
    await testApp.http().get('/api/support-issues/').set('Authorization', staff.auth).expect(424);
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: true });
    await testApp.http().get('/api/support-issues/').set('Authorization', staff.auth).expect(200);
  });

  it('keeps marketplace resources up', async () => {
    await updateSettings(testApp, { WALDUR_SUPPORT_ENABLED: false });
    await testApp.http().get('/api/marketplace-resources/').set('Authorization', staff.auth).expect(200);
  });

  it('keeps authentication for enabled support', async () => {
    await testApp.http().get('/api/support-issues/').expect(401);
  });
});
