import { formatUuid } from '../../src/common/http/uuid';
import { createCustomer, createProject, createStaff, createUser, grantRole } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

function uuids(body: { uuid: string }[]): string[] {
  return body.map((row) => row.uuid);
}

describe('identity customers and projects', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('customers', () => {
    it('lets staff create, read, change and delete a customer', async () => {
      const staff = await createStaff(testApp.dataSource);
      const created = await testApp
        .http()
        .post('/api/customers/')
        .set('Authorization', staff.auth)
        .send({ name: 'Acme', abbreviation: 'AC', native_name: 'Acme OÜ', email: 'help@acme.example', backend_id: 'crm-1' })
        .expect(201);
      expect(created.body).toMatchObject({
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        url: expect.stringMatching(/\/api\/customers\/[0-9a-f]{32}\/$/),
        name: 'Acme',
        abbreviation: 'AC',
        native_name: 'Acme OÜ',
        email: 'help@acme.example',
        description: '',
        backend_id: 'crm-1',
        created: expect.any(String),
      });

      const path = `/api/customers/${created.body.uuid}/`;
      await testApp.http().get(path).set('Authorization', staff.auth).expect(200);
      const patched = await testApp.http().patch(path).set('Authorization', staff.auth).send({ description: 'Rockets' }).expect(200);
      expect(patched.body).toMatchObject({ name: 'Acme', description: 'Rockets' });
      const put = await testApp.http().put(path).set('Authorization', staff.auth).send({ name: 'Acme Two' }).expect(200);
      expect(put.body.name).toBe('Acme Two');
      await testApp.http().delete(path).set('Authorization', staff.auth).expect(204);
      await testApp.http().get(path).set('Authorization', staff.auth).expect(404);
    });

    it('forbids non-staff to create a customer', async () => {
      const { auth } = await createUser(testApp.dataSource);
      const response = await testApp.http().post('/api/customers/').set('Authorization', auth).send({ name: 'Mine' }).expect(403);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('forbids an owner to change their customer', async () => {
      const owner = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await testApp.http().patch(`/api/customers/${customer.uuid}/`).set('Authorization', owner.auth).send({ name: 'Taken over' }).expect(403);
      await testApp.http().delete(`/api/customers/${customer.uuid}/`).set('Authorization', owner.auth).expect(403);
    });

    it('refuses to delete a customer with projects', async () => {
      const staff = await createStaff(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await createProject(testApp.dataSource, customer);
      await testApp.http().delete(`/api/customers/${customer.uuid}/`).set('Authorization', staff.auth).expect(409);
    });

    it('shows customers by role only', async () => {
      const user = await createUser(testApp.dataSource);
      const owned = await createCustomer(testApp.dataSource);
      const viaProject = await createCustomer(testApp.dataSource);
      const hidden = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, user.user, 'CUSTOMER.SUPPORT', owned);
      await grantRole(testApp.dataSource, user.user, 'PROJECT.MEMBER', await createProject(testApp.dataSource, viaProject));

      const response = await testApp.http().get('/api/customers/').set('Authorization', user.auth).expect(200);
      expect(uuids(response.body).sort()).toEqual([formatUuid(owned.uuid), formatUuid(viaProject.uuid)].sort());
      expect(response.headers['x-result-count']).toBe('2');
      await testApp.http().get(`/api/customers/${hidden.uuid}/`).set('Authorization', user.auth).expect(404);
    });

    it('shows every customer to global support', async () => {
      const support = await createUser(testApp.dataSource, { isSupport: true });
      const customer = await createCustomer(testApp.dataSource);
      await testApp.http().get(`/api/customers/${customer.uuid}/`).set('Authorization', support.auth).expect(200);
      await testApp.http().post('/api/customers/').set('Authorization', support.auth).send({ name: 'Nope' }).expect(403);
    });

    it('filters by name and owned_by_current_user', async () => {
      const owner = await createUser(testApp.dataSource);
      const owned = await createCustomer(testApp.dataSource, { name: 'Owned Zeppelin Works' });
      const managed = await createCustomer(testApp.dataSource, { name: 'Managed Zeppelin Works' });
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', owned);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.MANAGER', managed);

      const byName = await testApp.http().get('/api/customers/').query({ name: 'zeppelin' }).set('Authorization', owner.auth).expect(200);
      expect(byName.body).toHaveLength(2);
      const ownedOnly = await testApp.http().get('/api/customers/').query({ owned_by_current_user: 'true' }).set('Authorization', owner.auth).expect(200);
      expect(uuids(ownedOnly.body)).toEqual([formatUuid(owned.uuid)]);
    });

    it('answers HEAD with the count', async () => {
      const staff = await createStaff(testApp.dataSource);
      await createCustomer(testApp.dataSource);
      const response = await testApp.http().head('/api/customers/').set('Authorization', staff.auth).expect(200);
      expect(Number(response.headers['x-result-count'])).toBeGreaterThan(0);
      expect(response.headers.link).toContain('rel="first"');
    });

    it('rejects bad input with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const missing = await testApp.http().post('/api/customers/').set('Authorization', staff.auth).send({ abbreviation: 'X' }).expect(400);
      expect(missing.body).toEqual({ name: ['This field is required.'] });
      const wrongType = await testApp.http().post('/api/customers/').set('Authorization', staff.auth).send({ name: ['list'], email: 'nope' }).expect(400);
      expect(Object.keys(wrongType.body).sort()).toEqual(['email', 'name']);
      const tooLong = await testApp.http().post('/api/customers/').set('Authorization', staff.auth).send({ name: 'N', abbreviation: 'x'.repeat(13) }).expect(400);
      expect(tooLong.body).toEqual({ abbreviation: ['Ensure this field has no more than 12 characters.'] });
    });

    it('accepts a blank email', async () => {
      const staff = await createStaff(testApp.dataSource);
      await testApp.http().post('/api/customers/').set('Authorization', staff.auth).send({ name: 'No mail', email: '' }).expect(201);
    });
  });

  describe('projects', () => {
    it('lets an owner create a project in their customer', async () => {
      const owner = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      const customerUrl = `http://localhost/api/customers/${formatUuid(customer.uuid)}/`;

      const response = await testApp.http().post('/api/projects/').set('Authorization', owner.auth).send({ name: 'Apollo', customer: customerUrl }).expect(201);
      expect(response.body).toMatchObject({
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        url: expect.stringMatching(/\/api\/projects\/[0-9a-f]{32}\/$/),
        name: 'Apollo',
        description: '',
        customer: expect.stringMatching(new RegExp(`/api/customers/${formatUuid(customer.uuid)}/$`)),
        customer_uuid: formatUuid(customer.uuid),
        customer_name: customer.name,
        backend_id: '',
        created: expect.any(String),
      });
    });

    it('forbids a customer manager to create a project', async () => {
      const manager = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await grantRole(testApp.dataSource, manager.user, 'CUSTOMER.MANAGER', customer);
      await testApp.http().post('/api/projects/').set('Authorization', manager.auth).send({ name: 'No', customer: formatUuid(customer.uuid) }).expect(403);
    });

    it('answers 400 on a customer the caller cannot see', async () => {
      const { auth } = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      const response = await testApp.http().post('/api/projects/').set('Authorization', auth).send({ name: 'No', customer: formatUuid(customer.uuid) }).expect(400);
      expect(response.body).toEqual({ customer: [expect.any(String)] });
    });

    it('answers 400 on a customer that is not a hyperlink', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().post('/api/projects/').set('Authorization', staff.auth).send({ name: 'No', customer: 'http://x/api/users/1/' }).expect(400);
      expect(Object.keys(response.body)).toEqual(['customer']);
    });

    it('shows projects through project and customer roles', async () => {
      const user = await createUser(testApp.dataSource);
      const customerA = await createCustomer(testApp.dataSource);
      const customerB = await createCustomer(testApp.dataSource);
      const direct = await createProject(testApp.dataSource, customerA);
      const sibling = await createProject(testApp.dataSource, customerA);
      const viaCustomer = await createProject(testApp.dataSource, customerB);
      await grantRole(testApp.dataSource, user.user, 'PROJECT.ADMIN', direct);
      await grantRole(testApp.dataSource, user.user, 'CUSTOMER.SUPPORT', customerB);

      const response = await testApp.http().get('/api/projects/').set('Authorization', user.auth).expect(200);
      expect(uuids(response.body).sort()).toEqual([formatUuid(direct.uuid), formatUuid(viaCustomer.uuid)].sort());
      await testApp.http().get(`/api/projects/${sibling.uuid}/`).set('Authorization', user.auth).expect(404);
    });

    it('hides a project once its grant expires', async () => {
      const user = await createUser(testApp.dataSource);
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      await grantRole(testApp.dataSource, user.user, 'PROJECT.MEMBER', project, new Date(Date.now() - 1000));
      await testApp.http().get(`/api/projects/${project.uuid}/`).set('Authorization', user.auth).expect(404);
      const list = await testApp.http().get('/api/projects/').set('Authorization', user.auth).expect(200);
      expect(list.body).toEqual([]);
    });

    it('filters by customer and orders by name', async () => {
      const staff = await createStaff(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      await createProject(testApp.dataSource, customer, { name: 'b-project' });
      await createProject(testApp.dataSource, customer, { name: 'a-project' });
      const response = await testApp
        .http()
        .get('/api/projects/')
        .query({ customer: `http://localhost/api/customers/${formatUuid(customer.uuid)}/`, o: 'name' })
        .set('Authorization', staff.auth)
        .expect(200);
      expect(response.body.map((row: { name: string }) => row.name)).toEqual(['a-project', 'b-project']);
      expect(response.headers['x-result-count']).toBe('2');
    });

    it('lets a project manager rename but not delete', async () => {
      const manager = await createUser(testApp.dataSource);
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      await grantRole(testApp.dataSource, manager.user, 'PROJECT.MANAGER', project);
      const response = await testApp.http().patch(`/api/projects/${project.uuid}/`).set('Authorization', manager.auth).send({ name: 'Renamed' }).expect(200);
      expect(response.body.name).toBe('Renamed');
      await testApp.http().delete(`/api/projects/${project.uuid}/`).set('Authorization', manager.auth).expect(403);
    });

    it('forbids a project admin to edit', async () => {
      const admin = await createUser(testApp.dataSource);
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      await grantRole(testApp.dataSource, admin.user, 'PROJECT.ADMIN', project);
      await testApp.http().patch(`/api/projects/${project.uuid}/`).set('Authorization', admin.auth).send({ name: 'Renamed' }).expect(403);
    });

    it('refuses to move a project to another customer', async () => {
      const staff = await createStaff(testApp.dataSource);
      const project = await createProject(testApp.dataSource, await createCustomer(testApp.dataSource));
      const other = await createCustomer(testApp.dataSource);
      const response = await testApp
        .http()
        .patch(`/api/projects/${project.uuid}/`)
        .set('Authorization', staff.auth)
        .send({ customer: formatUuid(other.uuid) })
        .expect(400);
      expect(Object.keys(response.body)).toEqual(['customer']);
    });

    it('lets an owner delete a project', async () => {
      const owner = await createUser(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      const project = await createProject(testApp.dataSource, customer);
      await grantRole(testApp.dataSource, owner.user, 'CUSTOMER.OWNER', customer);
      await testApp.http().delete(`/api/projects/${project.uuid}/`).set('Authorization', owner.auth).expect(204);
    });

    it('rejects wrong types with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const customer = await createCustomer(testApp.dataSource);
      const response = await testApp
        .http()
        .post('/api/projects/')
        .set('Authorization', staff.auth)
        .send({ name: 42, customer: formatUuid(customer.uuid), description: { html: true } })
        .expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['description', 'name']);
    });
  });
});
