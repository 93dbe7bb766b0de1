import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support issue statuses', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;

  beforeAll(async () => {
    testApp = await createTestApp();
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function create(auth: string, body: Record<string, unknown>) {
    return testApp.http().post('/api/support-issue-statuses/').set('Authorization', auth).send(body);
  }

  it('lists the seeded statuses', async () => {
    const response = await testApp.http().get('/api/support-issue-statuses/?page_size=20').set('Authorization', user.auth).expect(200);

    expect(response.headers['x-result-count']).toBe('11');
    expect(response.body.map((status: { name: string; type: number }) => [status.name, status.type])).toEqual([
      ['Open', 2],
      ['In Progress', 2],
      ['Waiting for customer', 2],
      ['Resolved', 0],
      ['Closed', 0],
      ['Canceled', 1],
      ['Close', 0],
      ['Abandon', 1],
      ['closed', 0],
      ['merged', 1],
      ['removed', 1],
    ]);
    expect(response.body[3]).toMatchObject({ name: 'Resolved', type: 0, type_display: 'Resolved' });
    expect(response.body[0].type_display).toBe('Active');
    expect(response.body[0].url).toMatch(new RegExp(`/api/support-issue-statuses/${response.body[0].uuid}/$`));
  });

  it('counts with HEAD', async () => {
    const response = await testApp.http().head('/api/support-issue-statuses/').set('Authorization', user.auth).expect(200);
    expect(response.headers['x-result-count']).toBe('11');
  });

  it('rejects anonymous callers', async () => {
    await testApp.http().get('/api/support-issue-statuses/').expect(401);
  });

  it('creates as staff', async () => {
    const response = await create(staff.auth, { name: 'Done', type: 0 }).expect(201);
    expect(response.body).toMatchObject({ name: 'Done', type: 0, type_display: 'Resolved' });

    const fetched = await testApp.http().get(`/api/support-issue-statuses/${response.body.uuid}/`).set('Authorization', user.auth).expect(200);
    expect(fetched.body.name).toBe('Done');
  });

  it('defaults the type to resolved', async () => {
    const response = await create(staff.auth, { name: 'Fixed' }).expect(201);
    expect(response.body.type).toBe(0);
  });

  it.each([
    ['support', () => support],
    ['a user', () => user],
  ])('forbids creation by %s', async (_, requester) => {
    await create(requester().auth, { name: 'Nope' }).expect(403);
  });

  it('rejects a duplicate name', async () => {
    const response = await create(staff.auth, { name: 'Open', type: 2 }).expect(400);
    expect(response.body).toEqual({ name: ['Issue status with this name already exists.'] });
  });

  it('rejects an unknown type', async () => {
    const response = await create(staff.auth, { name: 'Weird', type: 7 }).expect(400);
    expect(response.body).toEqual({ type: ['"7" is not a valid choice.'] });
  });

  it('rejects a blank name', async () => {
    const response = await create(staff.auth, { name: '  ' }).expect(400);
    expect(response.body).toEqual({ name: ['This field may not be blank.'] });
  });

  it('patches and puts as staff', async () => {
    const created = await create(staff.auth, { name: 'Parked', type: 2 }).expect(201);
    const url = `/api/support-issue-statuses/${created.body.uuid}/`;

    const patched = await testApp.http().patch(url).set('Authorization', staff.auth).send({ type: 1 }).expect(200);
    expect(patched.body).toMatchObject({ name: 'Parked', type: 1, type_display: 'Canceled' });

    const put = await testApp.http().put(url).set('Authorization', staff.auth).send({ name: 'Shelved', type: 1 }).expect(200);
    expect(put.body.name).toBe('Shelved');

    await testApp.http().put(url).set('Authorization', staff.auth).send({ type: 1 }).expect(400);
    await testApp.http().patch(url).set('Authorization', user.auth).send({ type: 0 }).expect(403);
  });

  it('deletes as staff', async () => {
    const created = await create(staff.auth, { name: 'Temporary', type: 2 }).expect(201);
    const url = `/api/support-issue-statuses/${created.body.uuid}/`;

    await testApp.http().delete(url).set('Authorization', user.auth).expect(403);
    await testApp.http().delete(url).set('Authorization', staff.auth).expect(204);
    await testApp.http().get(url).set('Authorization', staff.auth).expect(404);
  });

  it('accepts a braced UUID', async () => {
    const created = await create(staff.auth, { name: 'Braced', type: 2 }).expect(201);
    await testApp.http().get(`/api/support-issue-statuses/%7B${created.body.uuid}%7D/`).set('Authorization', user.auth).expect(200);
  });
});
