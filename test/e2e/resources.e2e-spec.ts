import { Issue } from '../../src/support/issues/issue.entity';
import { UserWithToken } from '../support/factories';
import { createProjectIssue, createResource, createSupportWorld, hex, linkTo, SupportWorld } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('marketplace resources', () => {
  let testApp: TestApp;
  let world: SupportWorld;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
    await createResource(testApp.dataSource, world.project, { name: 'web-1' });
    await createResource(testApp.dataSource, world.otherProject, { name: 'db-1' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function names(query: string, user: UserWithToken): Promise<string[]> {
    const response = await testApp.http().get(`/api/marketplace-resources/${query}`).set('Authorization', user.auth).expect(200);
    return response.body.map((resource: { name: string }) => resource.name).sort();
  }

  function create(user: UserWithToken, body: Record<string, unknown>) {
    return testApp.http().post('/api/marketplace-resources/').set('Authorization', user.auth).send(body);
  }

  describe('read', () => {
    it.each([
      ['staff', ['db-1', 'web-1']],
      ['support', ['db-1', 'web-1']],
      ['owner', ['web-1']],
      ['customerManager', ['web-1']],
      ['member', ['web-1']],
      ['outsider', []],
    ] as const)('lists what %s may see', async (role, expected) => {
      expect(await names('', world[role])).toEqual(expected);
    });

    it('renders the resource shape', async () => {
      const resource = await createResource(testApp.dataSource, world.project, {
        name: 'vm-shape',
        resourceType: 'OpenStack.Instance',
        backendId: 'os-42',
        internalIps: ['10.1.0.5'],
        externalIps: ['198.51.100.7'],
      });

      const response = await testApp.http().get(`/api/marketplace-resources/${hex(resource.uuid)}/`).set('Authorization', world.member.auth).expect(200);

      expect(response.body).toMatchObject({
        uuid: hex(resource.uuid),
        name: 'vm-shape',
        resource_type: 'OpenStack.Instance',
        backend_id: 'os-42',
        project_uuid: hex(world.project.uuid),
        project_name: world.project.name,
        customer_uuid: hex(world.customer.uuid),
        customer_name: world.customer.name,
        internal_ips: ['10.1.0.5'],
        external_ips: ['198.51.100.7'],
      });
      expect(response.body.url).toMatch(new RegExp(`/api/marketplace-resources/${hex(resource.uuid)}/$`));
      expect(response.body.project).toMatch(new RegExp(`/api/projects/${hex(world.project.uuid)}/$`));
      await testApp.dataSource.query('DELETE FROM marketplace_resources WHERE id = $1', [resource.id]);
    });

    it('hides invisible resources', async () => {
      const response = await testApp.http().get('/api/marketplace-resources/?name=db-1').set('Authorization', world.staff.auth).expect(200);
      await testApp.http().get(`/api/marketplace-resources/${response.body[0].uuid}/`).set('Authorization', world.owner.auth).expect(404);
    });

    it('filters by name, project and customer', async () => {
      expect(await names('?name=WEB', world.staff)).toEqual(['web-1']);
      expect(await names(`?project_uuid=${hex(world.otherProject.uuid)}`, world.staff)).toEqual(['db-1']);
      expect(await names(`?customer_uuid=${hex(world.customer.uuid)}`, world.staff)).toEqual(['web-1']);
    });

    it('sets count headers and counts with HEAD', async () => {
      const listed = await testApp.http().get('/api/marketplace-resources/?page_size=1').set('Authorization', world.staff.auth).expect(200);
      expect(listed.headers['x-result-count']).toBe('2');
      expect(listed.headers.link).toContain('rel="next"');

      const counted = await testApp.http().head('/api/marketplace-resources/').set('Authorization', world.member.auth).expect(200);
      expect(counted.headers['x-result-count']).toBe('1');
    });

    it('rejects anonymous callers', async () => {
      await testApp.http().get('/api/marketplace-resources/').expect(401);
    });
  });

  describe('write', () => {
    it('creates, updates and deletes as staff', async () => {
      const created = await create(world.staff, {
        name: 'cache-1',
        resource_type: 'Redis.Instance',
        project: linkTo('projects', world.project.uuid),
        internal_ips: ['10.2.0.1'],
      }).expect(201);
      expect(created.body).toMatchObject({ name: 'cache-1', resource_type: 'Redis.Instance', internal_ips: ['10.2.0.1'], external_ips: [] });
      const url = `/api/marketplace-resources/${created.body.uuid}/`;

      const patched = await testApp
        .http()
        .patch(url)
        .set('Authorization', world.staff.auth)
        .send({ external_ips: ['203.0.113.9'], project: linkTo('projects', world.otherProject.uuid) })
        .expect(200);
      expect(patched.body.external_ips).toEqual(['203.0.113.9']);
      expect(patched.body.project_uuid).toBe(hex(world.otherProject.uuid));

      await testApp.http().delete(url).set('Authorization', world.staff.auth).expect(204);
      await testApp.http().get(url).set('Authorization', world.staff.auth).expect(404);
    });

    it('defaults the resource type', async () => {
      const created = await create(world.staff, { name: 'plain', project: linkTo('projects', world.project.uuid) }).expect(201);
      expect(created.body.resource_type).toBe('Marketplace.Resource');
      await testApp.http().delete(`/api/marketplace-resources/${created.body.uuid}/`).set('Authorization', world.staff.auth).expect(204);
    });

    it.each(['support', 'owner', 'member'] as const)('forbids creation by %s', async (role) => {
      await create(world[role], { name: 'nope', project: linkTo('projects', world.project.uuid) }).expect(403);
    });

   it('rejects null on patch', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      const response = await testApp
        .http()
        .patch(`/api/marketplace-resources/${hex(resource.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ resource_type: null, internal_ips: null })
        .expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['internal_ips', 'resource_type']);
    });

    it('rejects a bad IP address', async () => {
      const response = await create(world.staff, { name: 'bad-ip', project: linkTo('projects', world.project.uuid), internal_ips: ['10.0.0.300'] }).expect(400);
      expect(response.body).toEqual({ internal_ips: ['Enter a valid IPv4 or IPv6 address.'] });
    });

    it('rejects an unknown project', async () => {
      const response = await create(world.staff, { name: 'orphan', project: linkTo('projects', '00000000-0000-4000-8000-000000000000') }).expect(400);
      expect(response.body).toEqual({ project: ['Invalid hyperlink - Object does not exist.'] });
    });

    it('keeps issues when the resource goes', async () => {
      const resource = await createResource(testApp.dataSource, world.project);
      const issue = await createProjectIssue(testApp.dataSource, world.project, { resourceId: resource.id });

      await testApp.http().delete(`/api/marketplace-resources/${hex(resource.uuid)}/`).set('Authorization', world.staff.auth).expect(204);

      const stored = await testApp.dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
      expect(stored.resourceId).toBeNull();
    });
  });
});
