import { formatUuid } from '../../src/common/http/uuid';
import { createCustomer, createProject, createStaff, createUser, grantRole } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('identity users', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('GET /api/users/', () => {
    it('lists every user for staff with count and links', async () => {
      const staff = await createStaff(testApp.dataSource);
      await createUser(testApp.dataSource);
      const response = await testApp.http().get('/api/users/').query({ page_size: 1 }).set('Authorization', staff.auth).expect(200);
      expect(response.body).toHaveLength(1);
      expect(Number(response.headers['x-result-count'])).toBeGreaterThanOrEqual(2);
      expect(response.headers.link).toContain('rel="next"');
    });

    it('lists only the caller for other users', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      await createUser(testApp.dataSource);
      const response = await testApp.http().get('/api/users/').set('Authorization', auth).expect(200);
      expect(response.body.map((row: { uuid: string }) => row.uuid)).toEqual([formatUuid(user.uuid)]);
      expect(response.headers['x-result-count']).toBe('1');
    });

    it('lists every user for global support', async () => {
      const support = await createUser(testApp.dataSource, { isSupport: true });
      const other = await createUser(testApp.dataSource);
      await testApp.http().get(`/api/users/${other.user.uuid}/`).set('Authorization', support.auth).expect(200);
    });

    it('answers HEAD with the count only', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().head('/api/users/').set('Authorization', staff.auth).expect(200);
      expect(Number(response.headers['x-result-count'])).toBeGreaterThan(0);
      expect(response.text ?? '').toBe('');
    });

    it('filters by username and flags', async () => {
      const staff = await createStaff(testApp.dataSource);
      const target = await createUser(testApp.dataSource, { isSupport: true });
      const byName = await testApp.http().get('/api/users/').query({ username: target.user.username }).set('Authorization', staff.auth).expect(200);
      expect(byName.body).toHaveLength(1);
      expect(byName.body[0].is_support).toBe(true);

      const bySupport = await testApp.http().get('/api/users/').query({ is_support: 'true', page_size: 300 }).set('Authorization', staff.auth).expect(200);
      expect(bySupport.body.every((row: { is_support: boolean }) => row.is_support)).toBe(true);
      expect(bySupport.body.map((row: { username: string }) => row.username)).toContain(target.user.username);
    });

    it('filters by email and full name substrings', async () => {
      const staff = await createStaff(testApp.dataSource);
      const target = await createUser(testApp.dataSource, { email: 'Findable.Person@example.org', firstName: 'Zebulon', lastName: 'Quirke', fullName: 'Zebulon Quirke' });
      const byEmail = await testApp.http().get('/api/users/').query({ email: 'findable.person' }).set('Authorization', staff.auth).expect(200);
      expect(byEmail.body.map((row: { uuid: string }) => row.uuid)).toEqual([formatUuid(target.user.uuid)]);
      const byName = await testApp.http().get('/api/users/').query({ full_name: 'bulon quir' }).set('Authorization', staff.auth).expect(200);
      expect(byName.body.map((row: { uuid: string }) => row.uuid)).toEqual([formatUuid(target.user.uuid)]);
    });

    it('filters by project roles', async () => {
      const staff = await createStaff(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      const project = await createProject(testApp.dataSource, customer);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, member.user, 'PROJECT.MEMBER', project);
      const response = await testApp.http().get('/api/users/').query({ project_uuid: formatUuid(project.uuid) }).set('Authorization', staff.auth).expect(200);
      expect(response.body.map((row: { uuid: string }) => row.uuid)).toEqual([formatUuid(member.user.uuid)]);
    });

    it('orders by o=', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().get('/api/users/').query({ o: '-username', page_size: 300 }).set('Authorization', staff.auth).expect(200);
      const names = response.body.map((row: { username: string }) => row.username);
      expect(names).toEqual([...names].sort().reverse());
    });

    it('rejects an unknown ordering key with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().get('/api/users/').query({ o: 'password' }).set('Authorization', staff.auth).expect(400);
      expect(response.body.o).toBeDefined();
    });

    it('rejects a malformed boolean filter with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().get('/api/users/').query({ is_staff: 'perhaps' }).set('Authorization', staff.auth).expect(400);
      expect(response.body.is_staff).toBeDefined();
    });
  });

  describe('GET /api/users/{uuid}/', () => {
    it('renders the user fields', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource, { tokenLifetime: 3600 });
      const response = await testApp.http().get(`/api/users/${formatUuid(user.uuid)}/`).set('Authorization', staff.auth).expect(200);
      expect(response.body).toEqual({
        uuid: formatUuid(user.uuid),
        url: expect.stringMatching(new RegExp(`^http://[^/]+/api/users/${formatUuid(user.uuid)}/$`)),
        username: user.username,
        email: user.email,
        full_name: user.fullName,
        first_name: user.firstName,
        last_name: user.lastName,
        civil_number: null,
        is_staff: false,
        is_support: false,
        is_active: true,
        date_joined: expect.any(String),
        token_lifetime: 3600,
      });
    });

    it('hides another user from non-staff with 404', async () => {
      const { auth } = await createUser(testApp.dataSource);
      const other = await createUser(testApp.dataSource);
      await testApp.http().get(`/api/users/${other.user.uuid}/`).set('Authorization', auth).expect(404);
    });

    it('shows the caller their own record', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      await testApp.http().get(`/api/users/${user.uuid}/`).set('Authorization', auth).expect(200);
    });

    it('answers 404 for a malformed UUID', async () => {
      const staff = await createStaff(testApp.dataSource);
      await testApp.http().get('/api/users/not-a-uuid/').set('Authorization', staff.auth).expect(404);
    });
  });

  describe('GET /api/users/me/', () => {
    it('returns the caller with token and roles', async () => {
      const { user, auth, token } = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, user, 'CUSTOMER.OWNER', customer);
      const response = await testApp.http().get('/api/users/me/').set('Authorization', auth).expect(200);
      expect(response.body.uuid).toBe(formatUuid(user.uuid));
      expect(response.body.token).toBe(token);
      expect(response.body.permissions).toEqual([
        expect.objectContaining({ role_name: 'CUSTOMER.OWNER', scope_type: 'customer', scope_uuid: formatUuid(customer.uuid), customer_name: customer.name }),
      ]);
    });

    it('leaves expired roles out of permissions', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, user, 'CUSTOMER.OWNER', customer, new Date(Date.now() - 1000));
      const response = await testApp.http().get('/api/users/me/').set('Authorization', auth).expect(200);
      expect(response.body.permissions).toEqual([]);
    });
  });

  describe('POST /api/users/', () => {
    it('lets staff create a user', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp
        .http()
        .post('/api/users/')
        .set('Authorization', staff.auth)
        .send({ username: 'new.person', email: 'new.person@example.com', first_name: 'New', last_name: 'Person', is_support: true })
        .expect(201);
      expect(response.body).toMatchObject({ username: 'new.person', full_name: 'New Person', is_support: true, is_staff: false, is_active: true });
    });

    it('forbids non-staff with 403', async () => {
      const { auth } = await createUser(testApp.dataSource);
      await testApp.http().post('/api/users/').set('Authorization', auth).send({ username: 'someone', email: 'someone@example.com' }).expect(403);
    });

    it('rejects a taken username with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().post('/api/users/').set('Authorization', staff.auth).send({ username: staff.user.username, email: 'x@example.com' }).expect(400);
      expect(response.body).toEqual({ username: ['A user with that username already exists.'] });
    });

    it('rejects invalid fields with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp
        .http()
        .post('/api/users/')
        .set('Authorization', staff.auth)
        .send({ username: 'Has Spaces', email: 'not-an-email', is_staff: 'yes', token_lifetime: 10 })
        .expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['email', 'is_staff', 'token_lifetime', 'username']);
    });

    it('requires username and email', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().post('/api/users/').set('Authorization', staff.auth).send({}).expect(400);
      expect(response.body).toEqual({ username: ['This field is required.'], email: ['This field is required.'] });
    });
  });

  describe('PUT and PATCH /api/users/{uuid}/', () => {
    it('lets staff change flags and names', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .patch(`/api/users/${user.uuid}/`)
        .set('Authorization', staff.auth)
        .send({ first_name: 'Renamed', is_staff: true, token_lifetime: null })
        .expect(200);
      expect(response.body).toMatchObject({ first_name: 'Renamed', full_name: `Renamed ${user.lastName}`, is_staff: true, token_lifetime: null });
    });

    it('lets staff replace a user with PUT', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .put(`/api/users/${user.uuid}/`)
        .set('Authorization', staff.auth)
        .send({ username: `${user.username}-x`, email: 'replaced@example.com' })
        .expect(200);
      expect(response.body).toMatchObject({ username: `${user.username}-x`, email: 'replaced@example.com' });
    });

    it('requires username and email on PUT', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const response = await testApp.http().put(`/api/users/${user.uuid}/`).set('Authorization', staff.auth).send({ first_name: 'Only' }).expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['email', 'username']);
    });

    it('lets a user change their own names', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      const response = await testApp.http().patch(`/api/users/${user.uuid}/`).set('Authorization', auth).send({ last_name: 'Changed', is_staff: false }).expect(200);
      expect(response.body.last_name).toBe('Changed');
    });

    it('forbids a user to make themselves staff', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      await testApp.http().patch(`/api/users/${user.uuid}/`).set('Authorization', auth).send({ is_staff: true }).expect(403);
    });

    it('forbids global support to change others', async () => {
      const support = await createUser(testApp.dataSource, { isSupport: true });
      const { user } = await createUser(testApp.dataSource);
      await testApp.http().patch(`/api/users/${user.uuid}/`).set('Authorization', support.auth).send({ first_name: 'Nope' }).expect(403);
    });

    it('rejects null for a required text field', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const response = await testApp.http().patch(`/api/users/${user.uuid}/`).set('Authorization', staff.auth).send({ first_name: null }).expect(400);
      expect(response.body.first_name).toContain('This field may not be null.');
    });

    it('answers DELETE with 405', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      await testApp.http().delete(`/api/users/${user.uuid}/`).set('Authorization', staff.auth).expect(405);
    });
  });

  describe('GET /api/users/{uuid}/token/', () => {
    it('mints a new working token on each call for staff', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const first = await testApp.http().get(`/api/users/${user.uuid}/token/`).set('Authorization', staff.auth).expect(200);
      const second = await testApp.http().get(`/api/users/${user.uuid}/token/`).set('Authorization', staff.auth).expect(200);
      expect(first.body.token).toMatch(/^[0-9a-f]{40}$/);
      expect(second.body.token).not.toBe(first.body.token);
      expect(first.body.user_username).toBe(user.username);

      const me = await testApp.http().get('/api/users/me/').set('Authorization', `Token ${second.body.token}`).expect(200);
      expect(me.body.uuid).toBe(formatUuid(user.uuid));
    });

    it('forbids non-staff, even for themselves', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      await testApp.http().get(`/api/users/${user.uuid}/token/`).set('Authorization', auth).expect(403);
    });
  });
});
