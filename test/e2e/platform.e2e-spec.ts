import { createTestApp, TestApp } from '../support/test-app';

describe('platform', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers liveness', async () => {
    const response = await testApp.http().get('/health/live').expect(200);
    expect(response.body.status).toBe('ok');
  });

  it('answers readiness with the database up', async () => {
    const response = await testApp.http().get('/health/ready').expect(200);
    expect(response.body.info.database.status).toBe('up');
  });

  it('serves the OpenAPI document', async () => {
    const response = await testApp.http().get('/api/schema/').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
  });

  it('serves Swagger UI', async () => {
    const response = await testApp.http().get('/api/docs/').expect(200);
    expect(response.text).toContain('swagger');
  });

  it('exposes Prometheus metrics', async () => {
    await testApp.http().get('/health/live');
    const response = await testApp.http().get('/metrics').expect(200);
    expect(response.text).toContain('deskbridge_http_request_duration_seconds');
  });

  it('ignores credentials on probes', async () => {
    await testApp.http().get('/health/ready').set('Authorization', 'Token nope').expect(200);
  });

  it('renders unknown routes as DRF 404', async () => {
    const response = await testApp.http().get('/api/no-such-thing/').expect(404);
    expect(response.body).toEqual({ detail: 'Not found.' });
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await testApp
      .http()
      .post('/api-auth/password/')
      .set('Content-Type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(response.body.detail).toMatch(/JSON/);
  });

  it('echoes a request id', async () => {
    const response = await testApp.http().get('/health/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(response.headers['x-request-id']).toBe('abc-123');
  });
});
