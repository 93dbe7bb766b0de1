import { Issue } from '../../src/support/issues/issue.entity';
import { Resource } from '../../src/support/resources/resource.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import {
  createIssue,
  createProjectIssue,
  createResource,
  createSupportUser,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support issues list', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let printer: Issue;
  let vpn: Issue;
  let mail: Issue;
  let toner: Issue;
  let reporter: SupportUser;
  let assignee: SupportUser;
  let vm: Resource;
  let mailServer: Resource;

  beforeAll(async () => {
    testApp = await createTestApp();
    const dataSource = testApp.dataSource;
    world = await createSupportWorld(dataSource);
    reporter = await createSupportUser(dataSource, { name: 'Rita Reporter' });
    assignee = await createSupportUser(dataSource, { name: 'Andy Assignee' });
    vm = await createResource(dataSource, world.project, { internalIps: ['10.0.0.1'], externalIps: ['192.0.2.10'] });
    mailServer = await createResource(dataSource, world.project, { internalIps: ['10.0.0.10'] });

    printer = await createProjectIssue(dataSource, world.project, {
      key: 'SUP-2',
      summary: 'Printer jam',
      type: 'Incident',
      status: 'Open',
      callerId: world.member.user.id,
      reporterId: reporter.id,
      assigneeId: assignee.id,
      remoteId: 'ext-100',
      resourceId: vm.id,
    });
    vpn = await createIssue(dataSource, {
      key: 'SUP-11',
      summary: 'VPN access',
      type: 'Service Request',
      status: 'Resolved',
      customerId: world.otherCustomer.id,
      callerId: world.outsider.user.id,
      resolutionDate: new Date('2024-05-15T10:00:00Z'),
    });
    mail = await createIssue(dataSource, {
      key: 'SUP-1',
      summary: 'Mail bounce',
      type: 'Informational',
      status: 'Closed',
      callerId: world.owner.user.id,
      resourceId: mailServer.id,
      resolutionDate: new Date('2024-06-01T00:00:00Z'),
    });
    toner = await createIssue(dataSource, {
      key: 'TST',
      summary: 'Printer toner',
      type: 'Incident',
      status: 'Waiting for customer',
      callerId: world.staff.user.id,
    });
    const ordered = [printer, vpn, mail, toner];
    for (const [index, issue] of ordered.entries()) {
      await dataSource.query(`UPDATE issues SET created = $1 WHERE id = $2`, [new Date(Date.UTC(2024, 0, index + 1)), issue.id]);
    }
  });

  afterAll(async () => {
    await testApp.close();
  });

  function list(query: string, auth = world.staff.auth) {
    return testApp.http().get(`/api/support-issues/${query}`).set('Authorization', auth);
  }

  async function keys(query: string): Promise<string[]> {
    const response = await list(query).expect(200);
    return response.body.map((issue: { key: string }) => issue.key);
  }

  describe('pagination', () => {
    it('sets count and link headers', async () => {
      const response = await list('?page_size=2').expect(200);

      expect(response.headers['x-result-count']).toBe('4');
      expect(response.body).toHaveLength(2);
      expect(response.headers.link).toContain('rel="first"');
      expect(response.headers.link).toMatch(/<http:\/\/[^>]+\/api\/support-issues\/\?page_size=2&page=2>; rel="next"/);
      expect(response.headers.link).toContain('rel="last"');
    });

    it('counts with HEAD', async () => {
      const response = await testApp.http().head('/api/support-issues/?type=Incident').set('Authorization', world.staff.auth).expect(200);

      expect(response.headers['x-result-count']).toBe('2');
      expect(response.text).toBeUndefined();
    });

    it('serves the last page by name', async () => {
      const response = await list('?page_size=3&page=last&o=key').expect(200);

      expect(response.body.map((issue: { key: string }) => issue.key)).toEqual(['SUP-11']);
      expect(response.headers.link).toMatch(/\?page_size=3&page=1&o=key>; rel="prev"/);
      expect(response.headers.link).not.toContain('rel="next"');
    });

    it('answers 404 past the last page', async () => {
      await list('?page=9').expect(404);
    });
  });

  describe('ordering', () => {
    it('defaults to newest first', async () => {
      expect(await keys('')).toEqual(['TST', 'SUP-1', 'SUP-11', 'SUP-2']);
    });

    it('orders keys numerically', async () => {
      expect(await keys('?o=key')).toEqual(['TST', 'SUP-1', 'SUP-2', 'SUP-11']);
      expect(await keys('?o=-key')).toEqual(['SUP-11', 'SUP-2', 'SUP-1', 'TST']);
    });

    it('orders by caller full name', async () => {
      expect(await keys('?o=caller_full_name')).toEqual(['SUP-2', 'SUP-1', 'SUP-11', 'TST']);
    });

    it('orders by caller last name', async () => {
      // Member, Outsider, Owner, Staff
      expect(await keys('?o=caller_last_name')).toEqual(['SUP-2', 'SUP-11', 'SUP-1', 'TST']);
    });

    it('orders by several keys', async () => {
      expect(await keys('?o=type,-summary')).toEqual(['TST', 'SUP-2', 'SUP-1', 'SUP-11']);
    });

    it('accepts every schema ordering key', async () => {
      const schemaKeys = [
        'assignee_name', 'caller_first_name', 'caller_last_name', 'created', 'customer_name', 'key', 'modified',
        'priority', 'project_name', 'remote_id', 'reporter_name', 'status', 'summary', 'type',
      ];
      for (const key of schemaKeys) {
        await list(`?o=${key}`).expect(200);
        await list(`?o=-${key}`).expect(200);
      }
    });

    it('rejects an unknown ordering key', async () => {
      const response = await list('?o=colour').expect(400);
      expect(response.body.o[0]).toMatch(/colour is not one of the available choices/);
    });
  });

  describe('filters', () => {
    it('filters by summary', async () => {
      expect((await keys('?summary=PRINTER')).sort()).toEqual(['SUP-2', 'TST']);
    });

    it('searches summary or key', async () => {
      expect((await keys('?query=sup-1')).sort()).toEqual(['SUP-1', 'SUP-11']);
      expect(await keys('?query=toner')).toEqual(['TST']);
    });

    it('filters by customer link and uuid', async () => {
      expect(await keys(`?customer=${encodeURIComponent(linkTo('customers', world.otherCustomer.uuid))}`)).toEqual(['SUP-11']);
      expect(await keys(`?customer_uuid=${hex(world.customer.uuid)}`)).toEqual(['SUP-2']);
    });

    it('filters by project link and uuid', async () => {
      expect(await keys(`?project=${encodeURIComponent(linkTo('projects', world.project.uuid))}`)).toEqual(['SUP-2']);
      expect(await keys(`?project_uuid=${world.project.uuid}`)).toEqual(['SUP-2']);
    });

    it('ignores empty project and user', async () => {
      const response = await list(`?project=&user=${encodeURIComponent(linkTo('users', world.member.user.uuid))}`).expect(200);
      expect(response.headers['x-result-count']).toBe('4');
    });

    it('rejects a malformed customer uuid', async () => {
      const response = await list('?customer_uuid=nope').expect(400);
      expect(response.body).toEqual({ customer_uuid: ['Enter a valid UUID.'] });
    });

    it('filters by reporter', async () => {
      expect(await keys(`?reporter=${encodeURIComponent(linkTo('support-users', reporter.uuid))}`)).toEqual(['SUP-2']);
      expect(await keys('?reporter_name=rita')).toEqual(['SUP-2']);
    });

    it('filters by caller', async () => {
      expect(await keys(`?caller=${encodeURIComponent(linkTo('users', world.owner.user.uuid))}`)).toEqual(['SUP-1']);
      expect(await keys('?caller_full_name=otto')).toEqual(['SUP-11']);
    });

    it('filters by assignee', async () => {
      expect(await keys(`?assignee=${encodeURIComponent(linkTo('support-users', assignee.uuid))}`)).toEqual(['SUP-2']);
      expect(await keys('?assignee_name=andy')).toEqual(['SUP-2']);
    });

    it('filters by resource link and uuid', async () => {
      expect(await keys(`?resource=${encodeURIComponent(linkTo('marketplace-resources', vm.uuid))}`)).toEqual(['SUP-2']);
      expect(await keys(`?resource_uuid=${hex(mailServer.uuid)}`)).toEqual(['SUP-1']);
    });

    it('matches internal IPs exactly', async () => {
      expect(await keys('?resource_internal_ip=10.0.0.1')).toEqual(['SUP-2']);
      expect(await keys('?resource_internal_ip=10.0.0.10')).toEqual(['SUP-1']);
      expect(await keys('?resource_internal_ip=10.0.0')).toEqual([]);
    });

    it('matches external IPs exactly', async () => {
      expect(await keys('?resource_external_ip=192.0.2.10')).toEqual(['SUP-2']);
      expect(await keys('?resource_external_ip=192.0.2.1')).toEqual([]);
    });

    it('filters by remote id', async () => {
      expect(await keys('?remote_id=EXT-1')).toEqual(['SUP-2']);
    });

    it('filters by resolution month', async () => {
      expect(await keys('?resolution_year_month=2024-05')).toEqual(['SUP-11']);
      expect(await keys('?resolution_year_month=2024-06')).toEqual(['SUP-1']);
      expect(await keys('?resolution_year_month=2023-05')).toEqual([]);
    });

    it('rejects a malformed resolution month', async () => {
      for (const value of ['2024', '2024-13', 'May-2024', '2024-05-01']) {
        const response = await list(`?resolution_year_month=${value}`).expect(400);
        expect(response.body.resolution_year_month).toHaveLength(1);
      }
    });

    it('filters by key and type', async () => {
      expect(await keys('?key=SUP-1')).toEqual(['SUP-1']);
      expect((await keys('?type=Incident')).sort()).toEqual(['SUP-2', 'TST']);
    });

    it('filters by one status', async () => {
      expect(await keys('?status=Open')).toEqual(['SUP-2']);
    });

    it('matches any repeated status', async () => {
      expect((await keys('?status=Resolved&status=Closed')).sort()).toEqual(['SUP-1', 'SUP-11']);
      expect((await keys('?status=Open&status=Waiting%20for%20support')).sort()).toEqual(['SUP-2']);
    });

    it('takes the last of a repeated single filter', async () => {
      expect(await keys('?key=SUP-2&key=SUP-1')).toEqual(['SUP-1']);
    });
  });

  describe('representation', () => {
    it('never returns null type or description', async () => {
      const response = await list('').expect(200);
      for (const issue of response.body) {
        expect(typeof issue.type).toBe('string');
        expect(typeof issue.description).toBe('string');
      }
    });

    it('derives resolved from the status table', async () => {
      const response = await list('?o=key').expect(200);
      const resolvedByKey = Object.fromEntries(response.body.map((issue: { key: string; resolved: boolean | null }) => [issue.key, issue.resolved]));
      expect(resolvedByKey).toEqual({ TST: null, 'SUP-1': true, 'SUP-2': null, 'SUP-11': true });
    });

    it('shows canceled issues as unresolved', async () => {
      const canceled = await createIssue(testApp.dataSource, { status: 'Canceled', callerId: world.staff.user.id });
      const response = await testApp.http().get(`/api/support-issues/${hex(canceled.uuid)}/`).set('Authorization', world.staff.auth).expect(200);
      expect(response.body.resolved).toBe(false);
      await testApp.dataSource.getRepository(Issue).delete({ id: canceled.id });
    });

    it('fills name and uuid companions', async () => {
      const response = await list('?key=SUP-2').expect(200);
      expect(response.body[0]).toMatchObject({
        caller_uuid: hex(world.member.user.uuid),
        caller_full_name: 'Mia Member',
        reporter_uuid: hex(reporter.uuid),
        reporter_name: 'Rita Reporter',
        assignee_uuid: hex(assignee.uuid),
        assignee_name: 'Andy Assignee',
        customer_uuid: hex(world.customer.uuid),
        project_uuid: hex(world.project.uuid),
        resource_name: vm.name,
        resource_type: 'Marketplace.Resource',
      });
    });
  });
});
