import { Issue } from '../../src/support/issues/issue.entity';
import { createUser } from '../support/factories';
import {
  createResource,
  createSupportUser,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
  updateSettings,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support issues', () => {
  let testApp: TestApp;
  let world: SupportWorld;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function post(auth: string, body: Record<string, unknown>) {
    return testApp.http().post('/api/support-issues/').set('Authorization', auth).send(body);
  }

  describe('create', () => {
    it('numbers keys from the desk sequence', async () => {
      const first = await post(world.member.auth, { summary: 'First', is_reported_manually: true }).expect(201);
      const second = await post(world.member.auth, { summary: 'Second', is_reported_manually: true }).expect(201);

      expect(first.body.key).toBe('SUP-1');
      expect(first.body.backend_id).toBe('SUP-1');
      expect(first.body.backend_name).toBe('basic');
      expect(first.body.status).toBe('Open');
      expect(second.body.key).toBe('SUP-2');
    });

    it('uses the configured key prefix', async () => {
      await updateSettings(testApp, { SUPPORT_ISSUE_KEY_PREFIX: 'HD' });
      try {
        const response = await post(world.member.auth, { summary: 'Prefixed', is_reported_manually: true }).expect(201);
        expect(response.body.key).toMatch(/^HD-\d+$/);
      } finally {
        await updateSettings(testApp, { SUPPORT_ISSUE_KEY_PREFIX: 'SUP' });
      }
    });

    it('returns the full representation', async () => {
      const response = await post(world.member.auth, {
        summary: '  VPN is down  ',
        description: 'Since 9:00',
        is_reported_manually: true,
        type: 'Incident',
      }).expect(201);

      expect(response.body).toMatchObject({
        summary: 'VPN is down',
        description: 'Since 9:00',
        type: 'Incident',
        caller_uuid: hex(world.member.user.uuid),
        caller_full_name: world.member.user.fullName,
        reporter_name: world.member.user.fullName,
        customer: null,
        project: null,
        resource: null,
        resource_type: null,
        feedback: null,
        resolved: null,
        priority: '',
        resolution: '',
        update_is_available: true,
        destroy_is_available: true,
        add_comment_is_available: true,
        add_attachment_is_available: true,
      });
      expect(response.body.url).toMatch(new RegExp(`/api/support-issues/${response.body.uuid}/$`));
      expect(response.body.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(response.body).not.toHaveProperty('link');
    });

    it('defaults type to the first configured', async () => {
      await updateSettings(testApp, { ATLASSIAN_ISSUE_TYPES: 'Question, Bug' });
      try {
        const defaulted = await post(world.member.auth, { summary: 'No type', is_reported_manually: true }).expect(201);
        const homeport = await post(world.member.auth, { summary: 'HomePort type', type: 'Change Request', is_reported_manually: true }).expect(201);
        const configured = await post(world.member.auth, { summary: 'Configured type', type: 'Bug', is_reported_manually: true }).expect(201);

        expect(defaulted.body.type).toBe('Question');
        expect(homeport.body.type).toBe('Change Request');
        expect(configured.body.type).toBe('Bug');
      } finally {
        await updateSettings(testApp, { ATLASSIAN_ISSUE_TYPES: 'Informational, Service Request, Change Request, Incident' });
      }
    });

    it('rejects an unknown type', async () => {
      const response = await post(world.member.auth, { summary: 'Bad type', type: 'Complaint', is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ type: ['"Complaint" is not a valid choice.'] });
    });

    it('rejects a missing summary', async () => {
      const response = await post(world.member.auth, { is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ summary: ['This field is required.'] });
    });

    it('rejects a blank summary', async () => {
      const response = await post(world.member.auth, { summary: '   ', is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ summary: ['This field may not be blank.'] });
    });

    it('rejects a null description', async () => {
      const response = await post(world.member.auth, { summary: 'Null', description: null, is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ description: ['Not a valid string.'] });
    });

    it('accepts null for nullable links', async () => {
      const response = await post(world.member.auth, {
        summary: 'Nulls',
        customer: null,
        project: null,
        resource: null,
        template: null,
        remote_id: null,
        is_reported_manually: true,
      }).expect(201);
      expect(response.body.customer).toBeNull();
    });

    it('rejects a summary over the backend limit', async () => {
      const response = await post(world.member.auth, { summary: 'x'.repeat(256), is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ summary: ['Ensure this field has no more than 255 characters.'] });
    });

    it('derives customer from project', async () => {
      const response = await post(world.member.auth, {
        summary: 'In project',
        project: linkTo('projects', world.project.uuid),
        is_reported_manually: true,
      }).expect(201);

      expect(response.body.project_uuid).toBe(hex(world.project.uuid));
      expect(response.body.project_name).toBe(world.project.name);
      expect(response.body.customer_uuid).toBe(hex(world.customer.uuid));
      expect(response.body.customer_name).toBe(world.customer.name);
    });

    it('derives project and customer from resource', async () => {
      const resource = await createResource(testApp.dataSource, world.project, { resourceType: 'OpenStack.Instance' });
      const response = await post(world.member.auth, {
        summary: 'About a VM',
        resource: linkTo('marketplace-resources', resource.uuid),
        is_reported_manually: true,
      }).expect(201);

      expect(response.body.resource).toMatch(new RegExp(`/api/marketplace-resources/${hex(resource.uuid)}/$`));
      expect(response.body.resource_type).toBe('OpenStack.Instance');
      expect(response.body.resource_name).toBe(resource.name);
      expect(response.body.project_uuid).toBe(hex(world.project.uuid));
      expect(response.body.customer_uuid).toBe(hex(world.customer.uuid));
    });

    it('rejects project of another customer', async () => {
      const response = await post(world.staff.auth, {
        summary: 'Mismatch',
        customer: linkTo('customers', world.customer.uuid),
        project: linkTo('projects', world.otherProject.uuid),
        is_reported_manually: true,
      }).expect(400);
      expect(response.body).toEqual({ project: ['The project does not belong to the given customer.'] });
    });

    it('rejects resource of another project', async () => {
      const resource = await createResource(testApp.dataSource, world.otherProject);
      const response = await post(world.staff.auth, {
        summary: 'Mismatch',
        project: linkTo('projects', world.project.uuid),
        resource: linkTo('marketplace-resources', resource.uuid),
        is_reported_manually: true,
      }).expect(400);
      expect(response.body).toEqual({ resource: ['The resource does not belong to the given project.'] });
    });

    it('rejects an unknown customer link', async () => {
      const response = await post(world.staff.auth, {
        summary: 'Unknown customer',
        customer: linkTo('customers', '00000000-0000-4000-8000-000000000000'),
        is_reported_manually: true,
      }).expect(400);
      expect(response.body).toEqual({ customer: ['Invalid hyperlink - Object does not exist.'] });
    });

    it('rejects a malformed project link', async () => {
      const response = await post(world.staff.auth, { summary: 'Bad link', project: 'not a link', is_reported_manually: true }).expect(400);
      expect(response.body).toEqual({ project: ['Invalid hyperlink - No URL match.'] });
    });

    it('lists several field errors at once', async () => {
      const response = await post(world.member.auth, { summary: '', type: 'Nope', priority: 'High', is_reported_manually: true }).expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['priority', 'summary', 'type']);
    });

    it('prefixes the reporter when not manual', async () => {
      const response = await post(world.member.auth, { summary: 'Scripted', description: 'Disk full' }).expect(201);
      expect(response.body.description).toBe(`Reported by ${world.member.user.fullName}.\n\nDisk full`);
    });

    it('leaves manual reports unprefixed', async () => {
      const response = await post(world.member.auth, { summary: 'Manual', description: 'Disk full', is_reported_manually: true }).expect(201);
      expect(response.body.description).toBe('Disk full');
    });

    it('uses the agent account when mapping agents', async () => {
      await updateSettings(testApp, { ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS: true });
      try {
        const unlinked = await post(world.support.auth, { summary: 'For a user', caller: linkTo('users', world.member.user.uuid) }).expect(400);
        expect(unlinked.body.non_field_errors[0]).toMatch(/not linked to an active agent account of the basic helpdesk/);

        const agent = await createSupportUser(testApp.dataSource, { name: 'Agent Sam', userId: world.support.user.id });
        const linked = await post(world.support.auth, {
          summary: 'For a user',
          description: 'Body',
          caller: linkTo('users', world.member.user.uuid),
        }).expect(201);
        expect(linked.body.reporter_uuid).toBe(hex(agent.uuid));
        expect(linked.body.description).toBe('Body');
      } finally {
        await updateSettings(testApp, { ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS: false });
      }
    });

    describe('caller', () => {
      it('defaults to the requester', async () => {
        const response = await post(world.outsider.auth, { summary: 'Mine' }).expect(201);
        expect(response.body.caller_uuid).toBe(hex(world.outsider.user.uuid));
      });

      it('lets staff report for others', async () => {
        const response = await post(world.staff.auth, { summary: 'For Mia', caller: linkTo('users', world.member.user.uuid) }).expect(201);
        expect(response.body.caller_uuid).toBe(hex(world.member.user.uuid));
        expect(response.body.caller_full_name).toBe(world.member.user.fullName);
        expect(response.body.link).toBe('');
      });

      it('lets support report for others', async () => {
        const response = await post(world.support.auth, { summary: 'For Mia', caller: linkTo('users', world.member.user.uuid) }).expect(201);
        expect(response.body.caller_uuid).toBe(hex(world.member.user.uuid));
      });

      it('rejects others naming another caller', async () => {
        const response = await post(world.owner.auth, { summary: 'For Mia', caller: linkTo('users', world.member.user.uuid) }).expect(400);
        expect(response.body).toEqual({ caller: ['Only staff and support can report an issue on behalf of another user.'] });
      });

      it('accepts others naming themselves', async () => {
        const response = await post(world.owner.auth, { summary: 'For me', caller: linkTo('users', world.owner.user.uuid) }).expect(201);
        expect(response.body.caller_uuid).toBe(hex(world.owner.user.uuid));
      });

      it('overrides the caller when manual', async () => {
        const response = await post(world.staff.auth, {
          summary: 'Manual',
          caller: linkTo('users', world.member.user.uuid),
          is_reported_manually: true,
        }).expect(201);
        expect(response.body.caller_uuid).toBe(hex(world.staff.user.uuid));
      });

      it('requires a caller from staff', async () => {
        const response = await post(world.staff.auth, { summary: 'Nobody' }).expect(400);
        expect(response.body).toEqual({ caller: ['This field is required.'] });
      });

      it('rejects an unknown caller', async () => {
        const response = await post(world.staff.auth, { summary: 'Ghost', caller: linkTo('users', '00000000-0000-4000-8000-000000000001') }).expect(400);
        expect(response.body).toEqual({ caller: ['Invalid hyperlink - Object does not exist.'] });
      });

      it('rejects an inactive caller', async () => {
        const inactive = await createUser(testApp.dataSource, { isActive: false });
        const response = await post(world.staff.auth, { summary: 'Inactive', caller: linkTo('users', inactive.user.uuid) }).expect(400);
        expect(response.body).toEqual({ caller: ['This user is inactive and cannot be the caller of an issue.'] });
      });
    });

    describe('requester profile', () => {
      it('rejects a requester without email', async () => {
        const noEmail = await createUser(testApp.dataSource, { email: '' });
        const response = await post(noEmail.auth, { summary: 'Hi', is_reported_manually: true }).expect(400);
        expect(response.body.non_field_errors[0]).toMatch(/no email address/);
      });

      it('rejects a requester without full name', async () => {
        const noName = await createUser(testApp.dataSource, { firstName: '', lastName: '', fullName: '' });
        const response = await post(noName.auth, { summary: 'Hi', is_reported_manually: true }).expect(400);
        expect(response.body.non_field_errors[0]).toMatch(/no full name/);
      });
    });

    describe('priority', () => {
      it('accepts a priority from staff', async () => {
        const response = await post(world.staff.auth, { summary: 'Urgent one', priority: 'High', is_reported_manually: true }).expect(201);
        expect(response.body.priority).toBe('High');
      });

      it('rejects a priority from others', async () => {
        const response = await post(world.owner.auth, { summary: 'Pushy', priority: 'High', is_reported_manually: true }).expect(400);
        expect(response.body).toEqual({ priority: ['Only staff and support can set the priority.'] });
      });

      it('rejects an unknown priority', async () => {
        const response = await post(world.support.auth, { summary: 'Odd', priority: 'Blocker', is_reported_manually: true }).expect(400);
        expect(response.body).toEqual({ priority: ['Priority "Blocker" does not exist.'] });
      });
    });

    describe('assignee', () => {
      it('accepts an assignee from staff', async () => {
        const agent = await createSupportUser(testApp.dataSource, { name: 'Desk Agent' });
        const response = await post(world.staff.auth, {
          summary: 'Assigned',
          caller: linkTo('users', world.member.user.uuid),
          assignee: linkTo('support-users', agent.uuid),
        }).expect(201);
        expect(response.body.assignee_uuid).toBe(hex(agent.uuid));
        expect(response.body.assignee_name).toBe('Desk Agent');
      });

      it('rejects an assignee on manual reports', async () => {
        const agent = await createSupportUser(testApp.dataSource);
        const response = await post(world.staff.auth, {
          summary: 'Assigned',
          assignee: linkTo('support-users', agent.uuid),
          is_reported_manually: true,
        }).expect(400);
        expect(response.body).toEqual({ assignee: ['An issue reported manually cannot be assigned when it is created.'] });
      });

      it('rejects an assignee from others', async () => {
        const agent = await createSupportUser(testApp.dataSource);
        const response = await post(world.owner.auth, { summary: 'Assigned', assignee: linkTo('support-users', agent.uuid) }).expect(400);
        expect(response.body).toEqual({ assignee: ['Only staff and support can assign issues.'] });
      });
    });

    describe('remote id', () => {
      it('stores a remote id', async () => {
        const response = await post(world.staff.auth, { summary: 'Ticket', remote_id: 'EXT-1', is_reported_manually: true }).expect(201);
        expect(response.body.remote_id).toBe('EXT-1');
      });

      it('rejects a duplicate remote id', async () => {
        await post(world.staff.auth, { summary: 'Ticket', remote_id: 'EXT-2', is_reported_manually: true }).expect(201);
        const response = await post(world.staff.auth, { summary: 'Again', remote_id: 'EXT-2', is_reported_manually: true }).expect(400);
        expect(response.body).toEqual({ remote_id: ['Issue with this remote id already exists.'] });
      });
    });

    it('rejects anonymous callers', async () => {
      await testApp.http().post('/api/support-issues/').send({ summary: 'Anonymous' }).expect(401);
    });
  });

  describe('retrieve', () => {
    it('shows link to staff only', async () => {
      const created = await post(world.owner.auth, { summary: 'Link check', is_reported_manually: true }).expect(201);
      const asStaff = await testApp.http().get(`/api/support-issues/${created.body.uuid}/`).set('Authorization', world.staff.auth).expect(200);
      const asSupport = await testApp.http().get(`/api/support-issues/${created.body.uuid}/`).set('Authorization', world.support.auth).expect(200);
      const asOwner = await testApp.http().get(`/api/support-issues/${created.body.uuid}/`).set('Authorization', world.owner.auth).expect(200);

      expect(asStaff.body).toHaveProperty('link', '');
      expect(asStaff.body).toHaveProperty('processing_log');
      expect(asSupport.body).toHaveProperty('link', '');
      expect(asSupport.body).not.toHaveProperty('processing_log');
      expect(asOwner.body).not.toHaveProperty('link');
    });

    it('accepts a braced UUID', async () => {
      const created = await post(world.owner.auth, { summary: 'Braces', is_reported_manually: true }).expect(201);
      const response = await testApp
        .http()
        .get(`/api/support-issues/%7B${created.body.uuid}%7D/`)
        .set('Authorization', world.owner.auth)
        .expect(200);
      expect(response.body.uuid).toBe(created.body.uuid);
    });

    it('answers 404 for a malformed UUID', async () => {
      const response = await testApp.http().get('/api/support-issues/not-a-uuid/').set('Authorization', world.staff.auth).expect(404);
      expect(response.body).toEqual({ detail: 'Not found.' });
    });

    it('nests feedback', async () => {
      const created = await post(world.owner.auth, { summary: 'Rated', is_reported_manually: true }).expect(201);
      const issue = await testApp.dataSource.getRepository(Issue).findOneByOrFail({ uuid: created.body.uuid });
      await testApp.dataSource.query(`INSERT INTO feedbacks (issue_id, evaluation, comment) VALUES ($1, 9, 'Great')`, [issue.id]);

      const response = await testApp.http().get(`/api/support-issues/${created.body.uuid}/`).set('Authorization', world.owner.auth).expect(200);
      expect(response.body.feedback).toEqual({ evaluation: 9, evaluation_number: 9, comment: 'Great', state: 'OK' });
    });
  });
});
