import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createSupportUser, createSupportUserFor, hex, linkTo } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support users', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;
  let linked: SupportUser;
  let agent: SupportUser;

  beforeAll(async () => {
    testApp = await createTestApp();
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource, { firstName: 'Linda', lastName: 'Linked' });
    linked = await createSupportUserFor(testApp.dataSource, user.user, { backendId: 'cust-1' });
    agent = await createSupportUser(testApp.dataSource, { name: 'Zed Agent', backendId: 'agent-7', backendName: 'atlassian' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function names(query: string, requester: UserWithToken = staff): Promise<string[]> {
    const response = await testApp.http().get(`/api/support-users/${query}`).set('Authorization', requester.auth).expect(200);
    return response.body.map((supportUser: { name: string }) => supportUser.name);
  }

  it('lists by name for staff and support', async () => {
    expect(await names('', staff)).toEqual(['Linda Linked', 'Zed Agent']);
    expect(await names('', support)).toEqual(['Linda Linked', 'Zed Agent']);
  });

  it('renders the support user shape', async () => {
    const response = await testApp.http().get(`/api/support-users/${hex(linked.uuid)}/`).set('Authorization', staff.auth).expect(200);

    expect(response.body).toMatchObject({ uuid: hex(linked.uuid), name: 'Linda Linked', backend_id: 'cust-1', backend_name: 'basic' });
    expect(response.body.user).toMatch(new RegExp(`/api/users/${hex(user.user.uuid)}/$`));
  });

  it('renders an unlinked agent', async () => {
    const response = await testApp.http().get(`/api/support-users/${hex(agent.uuid)}/`).set('Authorization', support.auth).expect(200);
    expect(response.body.user).toBeNull();
  });

  it('filters by name, user and backend id', async () => {
    expect(await names('?name=zed')).toEqual(['Zed Agent']);
    expect(await names(`?user=${user.user.id}`)).toEqual(['Linda Linked']);
    expect(await names(`?user=${encodeURIComponent(linkTo('users', user.user.uuid))}`)).toEqual(['Linda Linked']);
    expect(await names('?backend_id=agent-7')).toEqual(['Zed Agent']);
  });

  it('rejects a malformed user filter', async () => {
    const response = await testApp.http().get('/api/support-users/?user=abc').set('Authorization', staff.auth).expect(400);
    expect(response.body).toEqual({ user: ['Enter a whole number.'] });
  });

  it('counts with HEAD', async () => {
    const response = await testApp.http().head('/api/support-users/').set('Authorization', staff.auth).expect(200);
    expect(response.headers['x-result-count']).toBe('2');
  });

  it('forbids other users', async () => {
    await testApp.http().get('/api/support-users/').set('Authorization', user.auth).expect(403);
    await testApp.http().get(`/api/support-users/${hex(agent.uuid)}/`).set('Authorization', user.auth).expect(403);
  });

  it('rejects anonymous callers', async () => {
    await testApp.http().get('/api/support-users/').expect(401);
  });

  it('offers no writes', async () => {
    const response = await testApp.http().post('/api/support-users/').set('Authorization', staff.auth).send({ name: 'New' }).expect(405);
    expect(response.body).toEqual({ detail: 'Method "POST" not allowed.' });
    await testApp.http().delete(`/api/support-users/${hex(agent.uuid)}/`).set('Authorization', staff.auth).expect(405);
  });
});
