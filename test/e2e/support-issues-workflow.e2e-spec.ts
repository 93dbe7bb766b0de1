import { ContextIdFactory } from '@nestjs/core';

import { BasicBackend } from '../../src/support/backends/basic/basic.backend';
import { SupportBackend } from '../../src/support/backends/support-backend';
import { SupportBackendProvider } from '../../src/support/backends/support-backend.provider';
import { Issue } from '../../src/support/issues/issue.entity';
import {
  createIssue,
  createProjectIssue,
  createSupportUser,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
  updateSettings,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support issue workflow', () => {
  let testApp: TestApp;
  let world: SupportWorld;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function patch(issue: Issue, auth: string, body: Record<string, unknown>) {
    return testApp.http().patch(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', auth).send(body);
  }

  function reload(issue: Issue): Promise<Issue> {
    return testApp.dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
  }

  describe('update', () => {
    it('changes summary, description and assignee', async () => {
      const issue = await createProjectIssue(testApp.dataSource, world.project);
      const agent = await createSupportUser(testApp.dataSource, { name: 'Agent Anna' });

      const response = await patch(issue, world.support.auth, {
        summary: ' New summary ',
        description: 'New description',
        assignee: linkTo('support-users', agent.uuid),
      }).expect(200);

      expect(response.body.summary).toBe('New summary');
      expect(response.body.description).toBe('New description');
      expect(response.body.assignee_name).toBe('Agent Anna');
    });

    it('unassigns with null', async () => {
      const agent = await createSupportUser(testApp.dataSource);
      const issue = await createIssue(testApp.dataSource, { assigneeId: agent.id });
      const response = await patch(issue, world.staff.auth, { assignee: null }).expect(200);
      expect(response.body.assignee).toBeNull();
    });

    it('ignores fields fixed at creation', async () => {
      const issue = await createIssue(testApp.dataSource, { type: 'Incident', priority: 'Low' });
      const response = await patch(issue, world.staff.auth, { type: 'Informational', priority: 'High', remote_id: 'X' }).expect(200);
      expect(response.body.type).toBe('Incident');
      expect(response.body.priority).toBe('Low');
      expect(response.body.remote_id).toBeNull();
    });

    it('requires summary on PUT', async () => {
      const issue = await createIssue(testApp.dataSource);
      const response = await testApp
        .http()
        .put(`/api/support-issues/${hex(issue.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ description: 'Only this' })
        .expect(400);
      expect(response.body).toEqual({ summary: ['This field is required.'] });
    });

    it('replaces with PUT', async () => {
      const issue = await createIssue(testApp.dataSource);
      const response = await testApp
        .http()
        .put(`/api/support-issues/${hex(issue.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ summary: 'Put summary', description: 'Put description' })
        .expect(200);
      expect(response.body.summary).toBe('Put summary');
    });

    it('rejects a blank summary', async () => {
      const issue = await createIssue(testApp.dataSource);
      const response = await patch(issue, world.staff.auth, { summary: '  ' }).expect(400);
      expect(response.body).toEqual({ summary: ['This field may not be blank.'] });
    });

    it('rejects null for non-nullable fields', async () => {
      const issue = await createIssue(testApp.dataSource);
      const response = await patch(issue, world.staff.auth, { summary: null, description: null, resolution: null }).expect(400);
      expect(response.body.summary).toEqual(['This field is required.']);
      expect(response.body.description).toEqual(['Not a valid string.']);
      expect(response.body.resolution).toContain('Not a valid string.');
    });

    it('forbids owners', async () => {
      const issue = await createProjectIssue(testApp.dataSource, world.project);
      const response = await patch(issue, world.owner.auth, { summary: 'Mine now' }).expect(403);
      expect(response.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('forbids invisible issues before the lookup', async () => {
      const issue = await createProjectIssue(testApp.dataSource, world.otherProject);
      await patch(issue, world.owner.auth, { summary: 'Not mine' }).expect(403);
    });
  });

  describe('status', () => {
    it('resolves with a resolution date', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Open' });
      const before = Date.now();

      const response = await patch(issue, world.staff.auth, { status: 'Resolved', resolution: 'Fixed' }).expect(200);

      expect(response.body.status).toBe('Resolved');
      expect(response.body.resolution).toBe('Fixed');
      expect(response.body.resolved).toBe(true);
      const stored = await reload(issue);
      expect(stored.resolutionDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(stored.feedbackRequestedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('cancels without a feedback request', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'In Progress' });

      const response = await patch(issue, world.support.auth, { status: 'Canceled' }).expect(200);

      expect(response.body.resolved).toBe(false);
      const stored = await reload(issue);
      expect(stored.resolutionDate).not.toBeNull();
      expect(stored.feedbackRequestedAt).toBeNull();
    });

    it('keeps the date between resolved statuses', async () => {
      const resolvedAt = new Date('2024-03-01T12:00:00Z');
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', resolutionDate: resolvedAt });

      await patch(issue, world.staff.auth, { status: 'Closed' }).expect(200);

      const stored = await reload(issue);
      expect(stored.resolutionDate!.toISOString()).toBe(resolvedAt.toISOString());
      expect(stored.feedbackRequestedAt).toBeNull();
    });

    it('clears the date when reopened', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Resolved', resolutionDate: new Date('2024-03-01T12:00:00Z') });

      const response = await patch(issue, world.staff.auth, { status: 'Open' }).expect(200);

      expect(response.body.resolved).toBeNull();
      expect((await reload(issue)).resolutionDate).toBeNull();
    });

    it('skips feedback when disabled', async () => {
      await updateSettings(testApp, { ISSUE_FEEDBACK_ENABLE: false });
      try {
        const issue = await createIssue(testApp.dataSource, { status: 'Open' });
        await patch(issue, world.staff.auth, { status: 'Resolved' }).expect(200);
        const stored = await reload(issue);
        expect(stored.resolutionDate).not.toBeNull();
        expect(stored.feedbackRequestedAt).toBeNull();
      } finally {
        await updateSettings(testApp, { ISSUE_FEEDBACK_ENABLE: true });
      }
    });

    it('skips feedback for issues that opted out', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Open', feedbackRequest: false });
      await patch(issue, world.staff.auth, { status: 'Resolved' }).expect(200);
      expect((await reload(issue)).feedbackRequestedAt).toBeNull();
    });

    it('rejects an unknown status', async () => {
      const issue = await createIssue(testApp.dataSource, { status: 'Open' });
      const response = await patch(issue, world.staff.auth, { status: 'Done-ish' }).expect(400);
      expect(response.body.status[0]).toMatch(/"Done-ish" is not a valid choice/);
    });

    it('accepts a status added by staff', async () => {
      await testApp.http().post('/api/support-issue-statuses/').set('Authorization', world.staff.auth).send({ name: 'Escalated', type: 2 }).expect(201);
      const issue = await createIssue(testApp.dataSource, { status: 'Open' });
      const response = await patch(issue, world.staff.auth, { status: 'Escalated' }).expect(200);
      expect(response.body.status).toBe('Escalated');
      expect(response.body.resolved).toBeNull();
    });
  });

  describe('delete', () => {
    it('deletes as staff', async () => {
      const issue = await createIssue(testApp.dataSource);
      await testApp.http().delete(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', world.staff.auth).expect(204);
      await testApp.http().get(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', world.staff.auth).expect(404);
    });

    it('deletes as support', async () => {
      const issue = await createIssue(testApp.dataSource);
      await testApp.http().delete(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', world.support.auth).expect(204);
    });

    it('forbids the caller', async () => {
      const issue = await createIssue(testApp.dataSource, { callerId: world.outsider.user.id });
      await testApp.http().delete(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', world.outsider.auth).expect(403);
    });
  });

  describe('sync', () => {
    it('answers 200 with no body', async () => {
      const issue = await createIssue(testApp.dataSource);
      const response = await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/sync/`).set('Authorization', world.support.auth).expect(200);
      expect(response.text).toBe('');
    });

    it('forbids non-staff', async () => {
      const issue = await createIssue(testApp.dataSource, { callerId: world.outsider.user.id });
      await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/sync/`).set('Authorization', world.outsider.auth).expect(403);
    });

    it('forbids invisible issues before the lookup', async () => {
      const issue = await createIssue(testApp.dataSource);
      await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/sync/`).set('Authorization', world.outsider.auth).expect(403);
    });

    it('answers 404 to staff for an unknown issue', async () => {
      await testApp.http().post('/api/support-issues/0123456789abcdef0123456789abcdef/sync/').set('Authorization', world.staff.auth).expect(404);
    });
  });

  describe('backend switch', () => {
    afterEach(async () => {
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic' });
    });

    it('keeps reading issues of the old backend', async () => {
      const issue = await createIssue(testApp.dataSource, { callerId: world.outsider.user.id });
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });

      const response = await testApp.http().get(`/api/support-issues/${hex(issue.uuid)}/`).set('Authorization', world.outsider.auth).expect(200);

      expect(response.body.backend_name).toBe('basic');
      expect(response.body.update_is_available).toBe(false);
      expect(response.body.add_comment_is_available).toBe(false);
    });

    it('answers 409 on writes to the old backend', async () => {
      const issue = await createIssue(testApp.dataSource, { callerId: world.outsider.user.id });
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });
      const url = `/api/support-issues/${hex(issue.uuid)}/`;

      const update = await patch(issue, world.staff.auth, { summary: 'Changed' }).expect(409);
      const comment = await testApp.http().post(`${url}comment/`).set('Authorization', world.outsider.auth).send({ description: 'Hello' }).expect(409);
      const sync = await testApp.http().post(`${url}sync/`).set('Authorization', world.staff.auth).expect(409);
      const destroy = await testApp.http().delete(url).set('Authorization', world.staff.auth).expect(409);

      for (const response of [update, comment, sync, destroy]) {
        expect(response.body.detail).toMatch(/belongs to the basic support backend, which is no longer active/);
      }
    });

    it('answers 424 when a sync fails', async () => {
      const issue = await createIssue(testApp.dataSource, { backendName: 'smax' });
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'smax' });

      const response = await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/sync/`).set('Authorization', world.staff.auth).expect(424);

      expect(response.body.detail).toContain('SMAX is not configured: set SMAX_API_URL');
    });

    it('pins the injected backend per request', async () => {
      const request = ContextIdFactory.create();
      const before = await testApp.app.resolve(SupportBackend, request, { strict: false });
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });

      const sameRequest = await testApp.app.resolve(SupportBackend, request, { strict: false });
      const nextRequest = await testApp.app.resolve(SupportBackend, ContextIdFactory.create(), { strict: false });

      expect(before.name).toBe('basic');
      expect(sameRequest).toBe(before);
      expect(nextRequest.name).toBe('zammad');
    });

    it('files new issues in the basic desk again', async () => {
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic' });

      const response = await testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .send({ summary: 'Back home', is_reported_manually: true })
        .expect(201);

      expect(response.body.backend_name).toBe('basic');
      expect(response.body.key).toMatch(/^SUP-\d+$/);
    });
  });
});

/** The built-in desk with a sync that fails the way a remote call does. */
class FailingSyncBackend extends BasicBackend {
  override async syncIssue(): Promise<void> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:9');
  }
}

describe('support issue sync failure', () => {
  let testApp: TestApp;
  let world: SupportWorld;

  beforeAll(async () => {
    const backend = new FailingSyncBackend({ issueKeyPrefix: 'SUP' });
    const provider: Partial<SupportBackendProvider> = {
      current: () => backend,
      forIssue: () => backend,
      servesIssue: () => true,
    };
    testApp = await createTestApp({ configure: (builder) => builder.overrideProvider(SupportBackendProvider).useValue(provider) });
    world = await createSupportWorld(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 424 with the backend message', async () => {
    const issue = await createIssue(testApp.dataSource);

    const response = await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/sync/`).set('Authorization', world.staff.auth).expect(424);

    expect(response.body).toEqual({ detail: 'Syncing the issue with the basic backend failed: connect ECONNREFUSED 127.0.0.1:9' });
  });
});
