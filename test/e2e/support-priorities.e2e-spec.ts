import { Priority } from '../../src/support/priorities/priority.entity';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { updateSettings } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('support priorities', () => {
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

  async function names(query: string): Promise<string[]> {
    const response = await testApp.http().get(`/api/support-priorities/${query}`).set('Authorization', user.auth).expect(200);
    return response.body.map((priority: { name: string }) => priority.name);
  }

  describe('read', () => {
    it('lists the desk priorities by name', async () => {
      const response = await testApp.http().get('/api/support-priorities/').set('Authorization', user.auth).expect(200);

      expect(response.headers['x-result-count']).toBe('4');
      expect(response.body.map((priority: { name: string }) => priority.name)).toEqual(['High', 'Low', 'Normal', 'Urgent']);
      expect(Object.keys(response.body[0]).sort()).toEqual(['description', 'icon_url', 'name', 'url', 'uuid']);
    });

    it('orders by descending name', async () => {
      expect(await names('?o=-name')).toEqual(['Urgent', 'Normal', 'Low', 'High']);
    });

    it('filters by name', async () => {
      expect(await names('?name=o')).toEqual(['Low', 'Normal']);
      expect(await names('?name_exact=low')).toEqual([]);
      expect(await names('?name_exact=Low')).toEqual(['Low']);
    });

    it('retrieves one', async () => {
      const listed = await testApp.http().get('/api/support-priorities/?name_exact=High').set('Authorization', user.auth).expect(200);
      const response = await testApp.http().get(`/api/support-priorities/${listed.body[0].uuid}/`).set('Authorization', user.auth).expect(200);
      expect(response.body).toMatchObject({ name: 'High', description: 'Blocks work', icon_url: '' });
    });

    it('counts with HEAD', async () => {
      const response = await testApp.http().head('/api/support-priorities/').set('Authorization', user.auth).expect(200);
      expect(response.headers['x-result-count']).toBe('4');
    });

    it('rejects anonymous callers', async () => {
      await testApp.http().get('/api/support-priorities/').expect(401);
    });

    it('hides priorities of other backends', async () => {
      await testApp.dataSource.getRepository(Priority).save({ name: 'Jira Blocker', backendName: 'atlassian' });
      expect(await names('')).not.toContain('Jira Blocker');
    });
  });

  describe('write', () => {
    it('creates, updates and deletes as staff', async () => {
      const created = await testApp
        .http()
        .post('/api/support-priorities/')
        .set('Authorization', staff.auth)
        .send({ name: 'Critical', description: 'Everything is on fire', icon_url: 'https://example.com/fire.png' })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'Critical', description: 'Everything is on fire', icon_url: 'https://example.com/fire.png' });
      const url = `/api/support-priorities/${created.body.uuid}/`;

      const patched = await testApp.http().patch(url).set('Authorization', staff.auth).send({ name: 'Blocker' }).expect(200);
      expect(patched.body.name).toBe('Blocker');

      await testApp.http().delete(url).set('Authorization', staff.auth).expect(204);
      await testApp.http().get(url).set('Authorization', staff.auth).expect(404);
    });

    it.each([
      ['support', () => support],
      ['a user', () => user],
    ])('forbids creation by %s', async (_, requester) => {
      await testApp.http().post('/api/support-priorities/').set('Authorization', requester().auth).send({ name: 'Mine' }).expect(403);
    });

    it('rejects a duplicate name', async () => {
      const response = await testApp.http().post('/api/support-priorities/').set('Authorization', staff.auth).send({ name: 'High' }).expect(400);
      expect(response.body).toEqual({ name: ['Priority with this name already exists.'] });
    });

    it('rejects a null description', async () => {
      const response = await testApp
        .http()
        .post('/api/support-priorities/')
        .set('Authorization', staff.auth)
        .send({ name: 'Nullish', description: null })
        .expect(400);
      expect(response.body.description).toContain('Not a valid string.');
    });

    it('rejects a bad icon URL', async () => {
      const response = await testApp
        .http()
        .post('/api/support-priorities/')
        .set('Authorization', staff.auth)
        .send({ name: 'Iconic', icon_url: 'not a url' })
        .expect(400);
      expect(response.body).toEqual({ icon_url: ['Enter a valid URL.'] });
    });

    it('answers 409 while a remote backend is active', async () => {
      await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'atlassian' });
      try {
        const response = await testApp.http().post('/api/support-priorities/').set('Authorization', staff.auth).send({ name: 'Local' }).expect(409);
        expect(response.body.detail).toMatch(/pulled from the atlassian support backend/);
        expect(await names('')).toEqual(['Jira Blocker']);
      } finally {
        await updateSettings(testApp, { WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic' });
      }
    });
  });
});
