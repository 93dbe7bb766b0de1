import { createSupportWorld, SupportWorld } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Many requests at once through the app's connection pool. On the embedded database this
 * mixes transactions (an issue and its outbox row) with parameterized reads on one
 * PGlite session, which the socket server must keep apart.
 */
describe('concurrent API requests', () => {
  const requests = 16;
  let testApp: TestApp;
  let world: SupportWorld;

  beforeAll(async () => {
    testApp = await createTestApp();
    world = await createSupportWorld(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('creates and lists issues side by side', async () => {
    const creates = Array.from({ length: requests }, (_, i) =>
      testApp
        .http()
        .post('/api/support-issues/')
        .set('Authorization', world.member.auth)
        .send({ summary: `Parallel ${i}`, is_reported_manually: true }),
    );
    const lists = Array.from({ length: requests }, () =>
      testApp.http().get('/api/support-issues/').set('Authorization', world.member.auth),
    );

    const created = await Promise.all(creates);
    const listed = await Promise.all(lists);

    expect(created.map((response) => response.status)).toEqual(Array(requests).fill(201));
    expect(listed.map((response) => response.status)).toEqual(Array(requests).fill(200));
    const keys = new Set(created.map((response) => response.body.key));
    expect(keys.size).toBe(requests);
    const all = await testApp.http().get('/api/support-issues/?page_size=100').set('Authorization', world.member.auth).expect(200);
    expect(all.body).toHaveLength(requests);
  });
});
