import { Comment } from '../../src/support/comments/comment.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { UserWithToken } from '../support/factories';
import {
  createComment,
  createProjectIssue,
  createResource,
  createSupportUser,
  createSupportUserFor,
  createSupportWorld,
  hex,
  linkTo,
  SupportWorld,
  updateSettings,
} from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support comments', () => {
  let testApp: TestApp;
  let world: SupportWorld;
  let issue: Issue;
  let otherIssue: Issue;
  let memberAccount: SupportUser;
  let agent: SupportUser;
  let publicComment: Comment;
  let agentNote: Comment;
  let memberNote: Comment;
  let foreignComment: Comment;

  beforeAll(async () => {
    testApp = await createTestApp();
    const dataSource = testApp.dataSource;
    world = await createSupportWorld(dataSource);
    const resource = await createResource(dataSource, world.project);
    issue = await createProjectIssue(dataSource, world.project, { key: 'SUP-7', resourceId: resource.id });
    otherIssue = await createProjectIssue(dataSource, world.otherProject);
    memberAccount = await createSupportUserFor(dataSource, world.member.user);
    agent = await createSupportUser(dataSource, { name: 'Helpdesk Agent' });

    publicComment = await createComment(dataSource, issue, agent, { description: 'We are looking into it' });
    agentNote = await createComment(dataSource, issue, agent, { description: 'Internal: reboot the printer', isPublic: false });
    memberNote = await createComment(dataSource, issue, memberAccount, { description: 'My own note', isPublic: false });
    await createComment(dataSource, issue, agent, { description: 'Synced reply', remoteId: 'remote-1' });
    foreignComment = await createComment(dataSource, otherIssue, agent, { description: 'Elsewhere' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  function list(query: string, user: UserWithToken = world.staff) {
    return testApp.http().get(`/api/support-comments/${query}`).set('Authorization', user.auth);
  }

  async function descriptions(query: string, user: UserWithToken = world.staff): Promise<string[]> {
    const response = await list(query, user).expect(200);
    return response.body.map((comment: { description: string }) => comment.description).sort();
  }

  const issueFilter = () => `?issue=${encodeURIComponent(linkTo('support-issues', issue.uuid))}`;

  describe('list', () => {
    it('renders the comment shape', async () => {
      const response = await testApp
        .http()
        .get(`/api/support-comments/${hex(memberNote.uuid)}/`)
        .set('Authorization', world.member.auth)
        .expect(200);

      expect(response.body).toMatchObject({
        uuid: hex(memberNote.uuid),
        issue_key: 'SUP-7',
        description: 'My own note',
        is_public: false,
        author_name: world.member.user.fullName,
        author_uuid: hex(world.member.user.uuid),
        author_email: world.member.user.email,
        backend_id: null,
        remote_id: null,
        update_is_available: true,
        destroy_is_available: true,
      });
      expect(response.body.url).toMatch(new RegExp(`/api/support-comments/${hex(memberNote.uuid)}/$`));
      expect(response.body.issue).toMatch(new RegExp(`/api/support-issues/${hex(issue.uuid)}/$`));
      expect(response.body.author_user).toMatch(new RegExp(`/api/users/${hex(world.member.user.uuid)}/$`));
    });

    it('leaves agent user fields null', async () => {
      const response = await testApp.http().get(`/api/support-comments/${hex(publicComment.uuid)}/`).set('Authorization', world.staff.auth).expect(200);

      expect(response.body.author_name).toBe('Helpdesk Agent');
      expect(response.body.author_uuid).toBeNull();
      expect(response.body.author_user).toBeNull();
      expect(response.body.author_email).toBeNull();
    });

    it('keeps author name a string', async () => {
      const nameless = await createSupportUser(testApp.dataSource, { name: '' });
      const quietIssue = await createProjectIssue(testApp.dataSource, world.otherProject);
      const comment = await createComment(testApp.dataSource, quietIssue, nameless);
      const response = await testApp.http().get(`/api/support-comments/${hex(comment.uuid)}/`).set('Authorization', world.staff.auth).expect(200);
      expect(response.body.author_name).toBe('');
    });

    it('accepts a braced UUID', async () => {
      await testApp.http().get(`/api/support-comments/%7B${hex(publicComment.uuid)}%7D/`).set('Authorization', world.staff.auth).expect(200);
    });

    it('sets count and link headers', async () => {
      const response = await list(`${issueFilter()}&page_size=2`).expect(200);
      expect(response.headers['x-result-count']).toBe('4');
      expect(response.headers.link).toContain('rel="next"');
    });

    it('counts with HEAD', async () => {
      const response = await testApp.http().head(`/api/support-comments/${issueFilter()}`).set('Authorization', world.staff.auth).expect(200);
      expect(response.headers['x-result-count']).toBe('4');
    });

    it('orders newest first by default', async () => {
      const response = await list(issueFilter()).expect(200);
      const created = response.body.map((comment: { created: string }) => comment.created);
      expect(created).toEqual([...created].sort().reverse());
    });

    it('orders by created', async () => {
      const response = await list(`${issueFilter()}&o=created`).expect(200);
      expect(response.body[0].uuid).toBe(hex(publicComment.uuid));
    });
  });

  describe('visibility', () => {
    it('shows private comments to staff', async () => {
      expect(await descriptions(issueFilter(), world.staff)).toHaveLength(4);
    });

    it('shows private comments to support', async () => {
      expect(await descriptions(issueFilter(), world.support)).toHaveLength(4);
    });

    it('shows others public and own comments', async () => {
      expect(await descriptions(issueFilter(), world.member)).toEqual(['My own note', 'Synced reply', 'We are looking into it']);
    });

    it('hides others private comments', async () => {
      expect(await descriptions(issueFilter(), world.owner)).toEqual(['Synced reply', 'We are looking into it']);
      await testApp.http().get(`/api/support-comments/${hex(agentNote.uuid)}/`).set('Authorization', world.owner.auth).expect(404);
    });

    it('hides comments of invisible issues', async () => {
      await testApp.http().get(`/api/support-comments/${hex(foreignComment.uuid)}/`).set('Authorization', world.member.auth).expect(404);
      expect(await descriptions('', world.outsider)).toEqual([]);
    });

    it('rejects anonymous callers', async () => {
      await testApp.http().get('/api/support-comments/').expect(401);
    });
  });

  describe('filters', () => {
    it('filters by description', async () => {
      expect(await descriptions('?description=PRINTER')).toEqual(['Internal: reboot the printer']);
    });

    it('filters by issue uuid', async () => {
      expect(await descriptions(`?issue_uuid=${hex(otherIssue.uuid)}`)).toEqual(['Elsewhere']);
    });

    it('filters by author', async () => {
      expect(await descriptions(`${issueFilter()}&author_name=helpdesk`)).toEqual(['Internal: reboot the printer', 'Synced reply', 'We are looking into it']);
      expect(await descriptions(`?author_user=${encodeURIComponent(linkTo('users', world.member.user.uuid))}`)).toEqual(['My own note']);
    });

    it('filters by visibility flag', async () => {
      expect(await descriptions(`${issueFilter()}&is_public=false`)).toEqual(['Internal: reboot the printer', 'My own note']);
      expect(await descriptions(`${issueFilter()}&is_public=true`)).toEqual(['Synced reply', 'We are looking into it']);
    });

    it('filters by remote id presence', async () => {
      expect(await descriptions(`${issueFilter()}&remote_id_is_set=true`)).toEqual(['Synced reply']);
      expect(await descriptions(`${issueFilter()}&remote_id_is_set=false`)).toHaveLength(3);
    });

    it('filters by resource', async () => {
      const resourceUuid = (await testApp.dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id })).resourceId;
      const resource = await testApp.dataSource.query(`SELECT uuid FROM marketplace_resources WHERE id = $1`, [resourceUuid]);
      expect(await descriptions(`?resource=${encodeURIComponent(linkTo('marketplace-resources', resource[0].uuid))}`)).toHaveLength(4);
    });

    it('rejects a malformed issue link', async () => {
      const response = await list('?issue=nonsense').expect(400);
      expect(response.body).toEqual({ issue: ['Invalid hyperlink - No URL match.'] });
    });
  });

  describe('create', () => {
    it('answers 405 on the collection', async () => {
      const response = await testApp.http().post('/api/support-comments/').set('Authorization', world.staff.auth).send({ description: 'x' }).expect(405);
      expect(response.body).toEqual({ detail: 'Method "POST" not allowed.' });
      expect(response.headers.allow).toBe('GET, HEAD');
    });

    it('accepts a multipart comment', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-issues/${hex(issue.uuid)}/comment/`)
        .set('Authorization', world.member.auth)
        .field('description', 'From HomePort')
        .field('is_public', 'true')
        .expect(201);

      expect(response.body.is_public).toBe(true);
      expect(response.body.description).toBe('From HomePort');
      expect(response.body.author_uuid).toBe(hex(world.member.user.uuid));
      expect(response.body.author_name).toBe(world.member.user.fullName);
    });

    it('accepts a private JSON comment', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-issues/${hex(issue.uuid)}/comment/`)
        .set('Authorization', world.support.auth)
        .send({ description: 'Agents only', is_public: false, remote_id: 'r-9' })
        .expect(201);

      expect(response.body.is_public).toBe(false);
      expect(response.body.remote_id).toBe('r-9');
    });

    it('reuses the requester helpdesk account', async () => {
      await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/comment/`).set('Authorization', world.member.auth).send({ description: 'Again' }).expect(201);
      const accounts = await testApp.dataSource.getRepository(SupportUser).countBy({ userId: world.member.user.id, backendName: 'basic' });
      expect(accounts).toBe(1);
    });

    it('accepts a braced issue UUID', async () => {
      await testApp
        .http()
        .post(`/api/support-issues/%7B${hex(issue.uuid)}%7D/comment/`)
        .set('Authorization', world.member.auth)
        .send({ description: 'Braced' })
        .expect(201);
    });

    it('rejects a blank description', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-issues/${hex(issue.uuid)}/comment/`)
        .set('Authorization', world.member.auth)
        .send({ description: '   ' })
        .expect(400);
      expect(response.body).toEqual({ description: ['This field may not be blank.'] });
    });

    it('rejects a missing description', async () => {
      const response = await testApp.http().post(`/api/support-issues/${hex(issue.uuid)}/comment/`).set('Authorization', world.member.auth).send({}).expect(400);
      expect(response.body).toEqual({ description: ['This field is required.'] });
    });

    it('rejects a malformed visibility flag', async () => {
      const response = await testApp
        .http()
        .post(`/api/support-issues/${hex(issue.uuid)}/comment/`)
        .set('Authorization', world.member.auth)
        .field('description', 'Hi')
        .field('is_public', 'maybe')
        .expect(400);
      expect(response.body).toEqual({ is_public: ['Must be a valid boolean.'] });
    });
  });

  describe('update and delete', () => {
    it('updates as staff with multipart', async () => {
      const comment = await createComment(testApp.dataSource, issue, agent, { description: 'Typo' });
      const response = await testApp
        .http()
        .put(`/api/support-comments/${hex(comment.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .field('description', 'Fixed typo')
        .field('is_public', 'false')
        .expect(200);

      expect(response.body.description).toBe('Fixed typo');
      expect(response.body.is_public).toBe(false);
    });

    it('patches as staff', async () => {
      const comment = await createComment(testApp.dataSource, issue, agent, { description: 'Draft' });
      const response = await testApp
        .http()
        .patch(`/api/support-comments/${hex(comment.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ is_public: false, remote_id: 'ignored' })
        .expect(200);

      expect(response.body.description).toBe('Draft');
      expect(response.body.is_public).toBe(false);
      expect(response.body.remote_id).toBeNull();
    });

    it('requires a description on PUT', async () => {
      const response = await testApp
        .http()
        .put(`/api/support-comments/${hex(memberNote.uuid)}/`)
        .set('Authorization', world.staff.auth)
        .send({ is_public: true })
        .expect(400);
      expect(response.body).toEqual({ description: ['This field is required.'] });
    });

    it.each([
      ['support', 403],
      ['member', 403],
    ] as const)('forbids updates by %s', async (role, status) => {
      await testApp
        .http()
        .patch(`/api/support-comments/${hex(memberNote.uuid)}/`)
        .set('Authorization', world[role].auth)
        .send({ description: 'Edited' })
        .expect(status);
    });

    it('deletes as staff', async () => {
      const comment = await createComment(testApp.dataSource, issue, agent);
      await testApp.http().delete(`/api/support-comments/${hex(comment.uuid)}/`).set('Authorization', world.staff.auth).expect(204);
      await testApp.http().get(`/api/support-comments/${hex(comment.uuid)}/`).set('Authorization', world.staff.auth).expect(404);
    });

    it('forbids deletion by the author', async () => {
      await testApp.http().delete(`/api/support-comments/${hex(memberNote.uuid)}/`).set('Authorization', world.member.auth).expect(403);
    });

    it('answers 409 for another backend', async () => {
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad' });
      try {
        const response = await testApp
          .http()
          .patch(`/api/support-comments/${hex(publicComment.uuid)}/`)
          .set('Authorization', world.staff.auth)
          .send({ description: 'Edited' })
          .expect(409);
        expect(response.body.detail).toMatch(/basic support backend/);

        const listed = await testApp.http().get(`/api/support-comments/${hex(publicComment.uuid)}/`).set('Authorization', world.staff.auth).expect(200);
        expect(listed.body.update_is_available).toBe(false);
      } finally {
        await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic' });
      }
    });
  });
});
