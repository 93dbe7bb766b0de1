import { RequestType } from '../../src/support/request-types/request-type.entity';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createSupportTestApp, RecordingSupportBackend } from '../support/recording-backend';
import { TestApp } from '../support/test-app';

interface RequestTypeAdminBody {
  url: string;
  uuid: string;
  name: string;
  issue_type_name: string;
  backend_id: number | null;
  backend_name: string | null;
  is_active: boolean;
  order: number;
  is_synced: boolean;
}

describe('support request types', () => {
  let testApp: TestApp;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;

  const admin = (path = '') => `/api/support-request-types-admin/${path}`;

  const createType = async (fields: Record<string, unknown> = {}): Promise<RequestTypeAdminBody> =>
    (
      await testApp
        .http()
        .post(admin())
        .set('Authorization', staff.auth)
        .send({ name: 'Hardware', issue_type_name: 'Service Request', ...fields })
        .expect(201)
    ).body;

  beforeAll(async () => {
    testApp = await createSupportTestApp(new RecordingSupportBackend());
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(async () => {
    await testApp.dataSource.getRepository(RequestType).deleteAll();
  });

  describe('admin CRUD', () => {
    it('creates a manual type', async () => {
      const created = await createType();

      expect(created).toEqual({
        url: expect.stringMatching(new RegExp(`/api/support-request-types-admin/${created.uuid}/$`)),
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        name: 'Hardware',
        issue_type_name: 'Service Request',
        backend_id: null,
        backend_name: null,
        is_active: true,
        order: 0,
        is_synced: false,
      });
    });

    it('appends new types after the highest order', async () => {
      await createType({ order: 7 });
      const next = await createType({ name: 'Software' });
      expect(next.order).toBe(8);
    });

    it('ignores read-only fields on create', async () => {
      const created = await createType({ backend_id: 42, backend_name: 'atlassian', is_synced: true });
      expect(created.backend_id).toBeNull();
      expect(created.backend_name).toBeNull();
      expect(created.is_synced).toBe(false);
    });

    it('shows a synced type as synced', async () => {
      await testApp.dataSource.getRepository(RequestType).save({ name: 'From Jira', issueTypeName: 'Incident', backendId: 12, backendName: 'atlassian' });
      const response = await testApp.http().get(admin()).set('Authorization', staff.auth).expect(200);
      expect(response.body[0]).toMatchObject({ backend_id: 12, backend_name: 'atlassian', is_synced: true });
    });

    it('validates the fields', async () => {
      const response = await testApp.http().post(admin()).set('Authorization', staff.auth).send({ name: ' ', order: -1 }).expect(400);
      expect(response.body).toEqual({
        name: ['This field may not be blank.'],
        issue_type_name: ['This field is required.'],
        order: ['Ensure this value is greater than or equal to 0.'],
      });
    });

    it('updates with PUT and PATCH', async () => {
      const created = await createType();

      const replaced = await testApp.http().put(admin(`${created.uuid}/`)).set('Authorization', staff.auth).send({ name: 'Laptops', issue_type_name: 'Incident', order: 3 }).expect(200);
      expect(replaced.body).toMatchObject({ name: 'Laptops', issue_type_name: 'Incident', order: 3, is_active: true });

      const patched = await testApp.http().patch(admin(`${created.uuid}/`)).set('Authorization', staff.auth).send({ is_active: false }).expect(200);
      expect(patched.body).toMatchObject({ name: 'Laptops', is_active: false });
    });

    it('marks a changed issue type as an admin mapping', async () => {
      const synced = await testApp.dataSource.getRepository(RequestType).save({ name: 'From Jira', issueTypeName: 'Incident', backendId: 12, backendName: 'atlassian' });
      const uuid = synced.uuid.replace(/-/g, '');

      await testApp.http().patch(admin(`${uuid}/`)).set('Authorization', staff.auth).send({ order: 2 }).expect(200);
      expect((await testApp.dataSource.getRepository(RequestType).findOneByOrFail({ id: synced.id })).manualMapping).toBe(false);

      await testApp.http().patch(admin(`${uuid}/`)).set('Authorization', staff.auth).send({ issue_type_name: 'Service Request' }).expect(200);
      expect((await testApp.dataSource.getRepository(RequestType).findOneByOrFail({ id: synced.id })).manualMapping).toBe(true);
    });

    it('deletes a type', async () => {
      const created = await createType();
      await testApp.http().delete(admin(`${created.uuid}/`)).set('Authorization', staff.auth).expect(204);
      await testApp.http().get(admin(`${created.uuid}/`)).set('Authorization', staff.auth).expect(404);
    });

    it('filters by activity and name', async () => {
      await createType({ name: 'Network access' });
      await createType({ name: 'Storage quota', is_active: false });

      const inactive = await testApp.http().get(admin('?is_active=false')).set('Authorization', staff.auth).expect(200);
      expect(inactive.body.map((row: RequestTypeAdminBody) => row.name)).toEqual(['Storage quota']);

      const byName = await testApp.http().get(admin('?name=NETWORK')).set('Authorization', staff.auth).expect(200);
      expect(byName.body.map((row: RequestTypeAdminBody) => row.name)).toEqual(['Network access']);
    });

    it('rejects an invalid is_active filter', async () => {
      await testApp.http().get(admin('?is_active=maybe')).set('Authorization', staff.auth).expect(400);
    });

    it.each([
      ['global support', () => support],
      ['plain user', () => user],
    ])('rejects %s with 403', async (_label, who) => {
      const created = await createType();
      await testApp.http().get(admin()).set('Authorization', who().auth).expect(403);
      await testApp.http().post(admin()).set('Authorization', who().auth).send({ name: 'x', issue_type_name: 'y' }).expect(403);
      await testApp.http().post(admin(`${created.uuid}/deactivate/`)).set('Authorization', who().auth).expect(403);
      await testApp.http().post(admin('reorder/')).set('Authorization', who().auth).send([{ uuid: created.uuid, order: 1 }]).expect(403);
    });

    it('checks permission before validation', async () => {
      await testApp.http().post(admin()).set('Authorization', support.auth).send({}).expect(403);
      await testApp.http().post(admin('reorder/')).set('Authorization', user.auth).send({}).expect(403);
    });

    it('rejects anonymous with 401', async () => {
      await testApp.http().get(admin()).expect(401);
      await testApp.http().get('/api/support-request-types/').expect(401);
    });
  });

  describe('actions', () => {
    it('deactivates and activates without a body', async () => {
      const created = await createType();

      const deactivated = await testApp.http().post(admin(`${created.uuid}/deactivate/`)).set('Authorization', staff.auth).expect(200);
      expect(deactivated.body.is_active).toBe(false);

      const activated = await testApp.http().post(admin(`%7B${created.uuid}%7D/activate/`)).set('Authorization', staff.auth).expect(200);
      expect(activated.body.is_active).toBe(true);
    });

    it('returns 404 for an unknown type', async () => {
      await testApp.http().post(admin('0123456789abcdef0123456789abcdef/activate/')).set('Authorization', staff.auth).expect(404);
    });

    it('reorders several types', async () => {
      const first = await createType({ name: 'First', order: 0 });
      const second = await createType({ name: 'Second', order: 1 });
      const third = await createType({ name: 'Third', order: 2 });

      const response = await testApp
        .http()
        .post(admin('reorder/'))
        .set('Authorization', staff.auth)
        .send([
          { uuid: third.uuid, order: 0 },
          { uuid: first.uuid, order: 5 },
        ])
        .expect(200);

      expect(response.body.map((row: RequestTypeAdminBody) => [row.name, row.order])).toEqual([
        ['Third', 0],
        ['First', 5],
      ]);
      const listed = await testApp.http().get(admin()).set('Authorization', staff.auth).expect(200);
      expect(listed.body.map((row: RequestTypeAdminBody) => row.uuid)).toEqual([third.uuid, second.uuid, first.uuid]);
    });

    it('rejects an unknown type in reorder', async () => {
      const known = await createType();
      const response = await testApp
        .http()
        .post(admin('reorder/'))
        .set('Authorization', staff.auth)
        .send([
          { uuid: known.uuid, order: 3 },
          { uuid: '0123456789abcdef0123456789abcdef', order: 1 },
        ])
        .expect(400);

      expect(response.body).toEqual({ non_field_errors: ['These request types do not exist: 0123456789abcdef0123456789abcdef.'] });
      const unchanged = await testApp.http().get(admin(`${known.uuid}/`)).set('Authorization', staff.auth).expect(200);
      expect(unchanged.body.order).toBe(0);
    });

    it.each([
      ['an object', { uuid: 'x', order: 1 }, { non_field_errors: ['Expected a list of {"uuid", "order"} items.'] }],
      ['an empty list', [], { non_field_errors: ['This list may not be empty.'] }],
      ['a negative order', [{ uuid: '0123456789abcdef0123456789abcdef', order: -1 }], { '0.order': ['Ensure this value is greater than or equal to 0.'] }],
      ['a bad UUID', [{ uuid: 'nope', order: 1 }], { '0.uuid': ['Must be a valid UUID.'] }],
    ])('rejects %s in reorder', async (_label, body, errors) => {
      const response = await testApp.http().post(admin('reorder/')).set('Authorization', staff.auth).send(body).expect(400);
      expect(response.body).toEqual(errors);
    });

    it('rejects a string order in reorder', async () => {
      const response = await testApp
        .http()
        .post(admin('reorder/'))
        .set('Authorization', staff.auth)
        .send([{ uuid: '0123456789abcdef0123456789abcdef', order: '1' }])
        .expect(400);
      expect(response.body['0.order']).toContain('A valid integer is required.');
    });

    it('rejects a type listed twice in reorder', async () => {
      const created = await createType();
      await testApp
        .http()
        .post(admin('reorder/'))
        .set('Authorization', staff.auth)
        .send([
          { uuid: created.uuid, order: 1 },
          { uuid: created.uuid, order: 2 },
        ])
        .expect(400);
    });
  });

  describe('public list', () => {
    it('lists active types by order then name', async () => {
      await createType({ name: 'beta', order: 1 });
      await createType({ name: 'Alpha', order: 1 });
      await createType({ name: 'zulu', order: 0 });
      await createType({ name: 'Hidden', order: 0, is_active: false });

      const response = await testApp.http().get('/api/support-request-types/').set('Authorization', user.auth).expect(200);

      expect(response.body.map((row: { name: string }) => row.name)).toEqual(['zulu', 'Alpha', 'beta']);
      expect(Object.keys(response.body[0]).sort()).toEqual(['issue_type_name', 'name', 'order', 'url', 'uuid']);
      expect(response.body[0].url).toMatch(/\/api\/support-request-types\/[0-9a-f]{32}\/$/);
      expect(response.headers['x-result-count']).toBe('3');
    });

    it('hides an inactive type on retrieve', async () => {
      const hidden = await createType({ is_active: false });
      const shown = await createType({ name: 'Shown' });
      await testApp.http().get(`/api/support-request-types/${hidden.uuid}/`).set('Authorization', user.auth).expect(404);
      await testApp.http().get(`/api/support-request-types/${shown.uuid}/`).set('Authorization', user.auth).expect(200);
    });
  });
});
