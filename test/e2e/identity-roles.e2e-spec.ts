import { formatUuid } from '../../src/common/http/uuid';
import { Customer } from '../../src/identity/customers/customer.entity';
import { Project } from '../../src/identity/projects/project.entity';
import { roleUuid } from '../../src/identity/roles/role-uuid';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('identity roles', () => {
  let testApp: TestApp;
  let staff: UserWithToken;

  beforeAll(async () => {
    testApp = await createTestApp();
    staff = await createStaff(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function addCustomerUser(actor: UserWithToken, customer: Customer, body: object) {
    return testApp.http().post(`/api/customers/${formatUuid(customer.uuid)}/add_user/`).set('Authorization', actor.auth).send(body);
  }

  function addProjectUser(actor: UserWithToken, project: Project, body: object) {
    return testApp.http().post(`/api/projects/${formatUuid(project.uuid)}/add_user/`).set('Authorization', actor.auth).send(body);
  }

  describe('add_user', () => {
    it('grants a project role and list_users shows it', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      const response = await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(201);
      expect(response.body).toEqual({ expiration_time: null });

      const list = await testApp.http().get(`/api/projects/${project.uuid}/list_users/`).set('Authorization', staff.auth).expect(200);
      expect(list.headers['x-result-count']).toBe('1');
      expect(list.body).toEqual([
        {
          uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
          created: expect.any(String),
          expiration_time: null,
          role_name: 'PROJECT.ADMIN',
          role_uuid: roleUuid('PROJECT.ADMIN'),
          user_email: member.user.email,
          user_full_name: member.user.fullName,
          user_image: null,
          user_username: member.user.username,
          user_uuid: formatUuid(member.user.uuid),
          created_by_full_name: staff.user.fullName,
          created_by_uuid: formatUuid(staff.user.uuid),
        },
      ]);
    });

    it('makes the project visible to the new member', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', member.auth).expect(404);
      await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.MEMBER' }).expect(201);
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', member.auth).expect(200);
    });

    it('stores and returns an expiration time', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      const response = await addCustomerUser(staff, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.SUPPORT', expiration_time: '2099-12-31' }).expect(201);
      expect(response.body).toEqual({ expiration_time: '2099-12-31T00:00:00.000Z' });
    });

    it('rejects an expiration time in the past', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      const response = await addCustomerUser(staff, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.SUPPORT', expiration_time: '2001-01-01T00:00:00Z' }).expect(400);
      expect(Object.keys(response.body)).toEqual(['expiration_time']);
    });

    it('rejects a malformed expiration time', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      const response = await addCustomerUser(staff, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.SUPPORT', expiration_time: 'tomorrow' }).expect(400);
      expect(Object.keys(response.body)).toEqual(['expiration_time']);
    });

    it('rejects a role of the other scope', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      const response = await addCustomerUser(staff, customer, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(400);
      expect(response.body).toEqual({ role: [expect.stringContaining('PROJECT.ADMIN')] });
    });

    it('rejects an unknown role', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      const response = await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.OVERLORD' }).expect(400);
      expect(Object.keys(response.body)).toEqual(['role']);
    });

    it('rejects an unknown user', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const response = await addProjectUser(staff, project, { user: '0123456789abcdef0123456789abcdef', role: 'PROJECT.ADMIN' }).expect(400);
      expect(Object.keys(response.body)).toEqual(['user']);
      const malformed = await addProjectUser(staff, project, { user: 'nobody', role: 'PROJECT.ADMIN' }).expect(400);
      expect(Object.keys(malformed.body)).toEqual(['user']);
    });

    it('rejects wrong types and missing fields', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const response = await addProjectUser(staff, project, { user: 12, role: ['PROJECT.ADMIN'] }).expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['role', 'user']);
      const missing = await addProjectUser(staff, project, {}).expect(400);
      expect(missing.body).toEqual({ user: ['This field is required.'], role: ['This field is required.'] });
    });

    it('rejects a duplicate active grant', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(201);
      const response = await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(400);
      expect(response.body).toEqual({ non_field_errors: [expect.stringContaining('already has')] });
    });

    it('renews an expired grant', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, member.user, 'PROJECT.ADMIN', project, new Date(Date.now() - 1000));
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', member.auth).expect(404);

      await addProjectUser(staff, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(201);
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', member.auth).expect(200);
      const list = await testApp.http().get(`/api/projects/${project.uuid}/list_users/`).set('Authorization', staff.auth).expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0].expiration_time).toBeNull();
    });
  });

  describe('who may manage roles', () => {
    it('lets an owner grant customer support and manager roles', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const owner = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await addCustomerUser(owner, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.MANAGER' }).expect(201);
    });

    it('forbids an owner to grant the owner role', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const owner = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await addCustomerUser(owner, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.OWNER' }).expect(403);
    });

    it('lets an owner grant every project role', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const project = await createProject(testApp.dataSource, customer);
      const owner = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await addProjectUser(owner, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.MANAGER' }).expect(201);
    });

    it('lets a project manager grant admin but not manager', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const manager = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, manager.user, 'PROJECT.MANAGER', project);
      await addProjectUser(manager, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.ADMIN' }).expect(201);
      await addProjectUser(manager, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.MANAGER' }).expect(403);
    });

    it('forbids a project admin to grant roles', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const admin = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, admin.user, 'PROJECT.ADMIN', project);
      await addProjectUser(admin, project, { user: formatUuid(member.user.uuid), role: 'PROJECT.MEMBER' }).expect(403);
      // A caller who may not manage roles gets 403 before any body validation.
      await addProjectUser(admin, project, { user: 'nobody', role: 'nothing' }).expect(403);
    });

    it('forbids global support to grant roles', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const support = await createUser(testApp.dataSource, { isSupport: true });
      const member = await createUser(testApp.dataSource);
      await addCustomerUser(support, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.SUPPORT' }).expect(403);
    });

    it('hides a scope the caller cannot see with 404', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const stranger = await createUser(testApp.dataSource);
      await addCustomerUser(stranger, customer, { user: formatUuid(stranger.user.uuid), role: 'CUSTOMER.OWNER' }).expect(404);
      await testApp.http().get(`/api/customers/${customer.uuid}/list_users/`).set('Authorization', stranger.auth).expect(404);
    });

    it('stops an expired owner grant from managing roles', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const formerOwner = await createUser(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, formerOwner.user, 'CUSTOMER.OWNER', customer, new Date(Date.now() - 1000));
      await addCustomerUser(formerOwner, customer, { user: formatUuid(member.user.uuid), role: 'CUSTOMER.SUPPORT' }).expect(404);
    });
  });

  describe('delete_user', () => {
    it('revokes a role', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, member.user, 'PROJECT.MEMBER', project);
      await testApp
        .http()
        .post(`/api/projects/${project.uuid}/delete_user/`)
        .set('Authorization', staff.auth)
        .send({ user: formatUuid(member.user.uuid), role: 'PROJECT.MEMBER' })
        .expect(200);
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', member.auth).expect(404);
    });

    it('rejects revoking a role the user does not have', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post(`/api/projects/${project.uuid}/delete_user/`)
        .set('Authorization', staff.auth)
        .send({ user: formatUuid(member.user.uuid), role: 'PROJECT.MEMBER' })
        .expect(400);
      expect(Object.keys(response.body)).toEqual(['non_field_errors']);
    });

    it('forbids an owner to revoke the owner role', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const owner = await createUser(testApp.dataSource);
      const otherOwner = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await grantRole(testApp.dataSource, otherOwner.user, 'CUSTOMER.OWNER', customer);
      await testApp
        .http()
        .post(`/api/customers/${customer.uuid}/delete_user/`)
        .set('Authorization', owner.auth)
        .send({ user: formatUuid(otherOwner.user.uuid), role: 'CUSTOMER.OWNER' })
        .expect(403);
    });
  });

  describe('list_users', () => {
    it('shows expired grants with their expiration time', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const member = await createUser(testApp.dataSource);
      const expired = new Date(Date.now() - 60_000);
      await grantRole(testApp.dataSource, member.user, 'CUSTOMER.MANAGER', customer, expired);
      const list = await testApp.http().get(`/api/customers/${customer.uuid}/list_users/`).set('Authorization', staff.auth).expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0].expiration_time).toBe(expired.toISOString());
    });

    it('filters by role name, role uuid and user', async () => {
      const customer = await createCustomer(testApp.dataSource);
      const owner = await createUser(testApp.dataSource);
      const manager = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await grantRole(testApp.dataSource, manager.user, 'CUSTOMER.MANAGER', customer);
      const path = `/api/customers/${customer.uuid}/list_users/`;

      const byName = await testApp.http().get(path).query({ role: 'CUSTOMER.OWNER' }).set('Authorization', staff.auth).expect(200);
      expect(byName.body.map((row: { user_uuid: string }) => row.user_uuid)).toEqual([formatUuid(owner.user.uuid)]);
      const byUuid = await testApp.http().get(path).query({ role: roleUuid('CUSTOMER.MANAGER') }).set('Authorization', staff.auth).expect(200);
      expect(byUuid.body.map((row: { user_uuid: string }) => row.user_uuid)).toEqual([formatUuid(manager.user.uuid)]);
      const byUser = await testApp.http().get(path).query({ user: formatUuid(manager.user.uuid) }).set('Authorization', staff.auth).expect(200);
      expect(byUser.body).toHaveLength(1);
      await testApp.http().get(path).query({ role: 'CUSTOMER.KING' }).set('Authorization', staff.auth).expect(400);
    });

    it('lets a member see the users of their project', async () => {
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const member = await createUser(testApp.dataSource);
      await grantRole(testApp.dataSource, member.user, 'PROJECT.MEMBER', project);
      const list = await testApp.http().get(`/api/projects/${project.uuid}/list_users/`).set('Authorization', member.auth).expect(200);
      expect(list.body).toHaveLength(1);
    });

    it('pages with count and links, and answers HEAD', async () => {
      const customer = await createCustomer(testApp.dataSource);
      for (let index = 0; index < 3; index++) {
        await grantRole(testApp.dataSource, (await createUser(testApp.dataSource)).user, 'CUSTOMER.SUPPORT', customer);
      }
      const path = `/api/customers/${customer.uuid}/list_users/`;
      const page = await testApp.http().get(path).query({ page_size: 2, o: 'username' }).set('Authorization', staff.auth).expect(200);
      expect(page.body).toHaveLength(2);
      expect(page.headers['x-result-count']).toBe('3');
      expect(page.headers.link).toContain('rel="next"');
      const head = await testApp.http().head(path).set('Authorization', staff.auth).expect(200);
      expect(head.headers['x-result-count']).toBe('3');
    });
  });
});
