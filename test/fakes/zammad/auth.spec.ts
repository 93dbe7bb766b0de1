import { FAKE_PASSWORD } from './seed-data';
import { type FakeZammad, startFakeZammad } from './server';
import { callApi, tokenHeader } from './spec-support/api-client';

describe('fake Zammad authentication', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('accepts the integration token', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me');

    expect(response.status).toBe(200);
    expect(response.json.login).toBe('deskbridge@example.com');
    expect(response.json.role_ids).toEqual([1, 2]);
  });

  it('accepts the agent token', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { authorization: tokenHeader(fake.tokens.agent) });

    expect(response.status).toBe(200);
    expect(response.json.login).toBe('emma@example.com');
    expect(response.json.role_ids).toEqual([2]);
  });

  it('accepts a token in Bearer form', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { authorization: `Bearer ${fake.tokens.agent}` });

    expect(response.status).toBe(200);
    expect(response.json.login).toBe('emma@example.com');
  });

  it('accepts HTTP Basic with login and password', async () => {
    const credentials = Buffer.from(`emma@example.com:${FAKE_PASSWORD}`).toString('base64');
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { authorization: `Basic ${credentials}` });

    expect(response.status).toBe(200);
    expect(response.json.id).toBe(3);
  });

  it('rejects an unknown token with 401', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { authorization: tokenHeader('wrong-token') });

    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: "Can't find User for Token", error_human: "Can't find User for Token" });
    expect(response.headers.get('x-failure')).toBe("Can't find User for Token");
  });

  it('rejects an unknown bearer token with 401', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/tickets', { authorization: 'Bearer wrong-token' });

    expect(response.status).toBe(401);
    expect(response.json.error).toBe('The provided token is invalid.');
  });

  it('rejects a wrong Basic password with 401', async () => {
    const credentials = Buffer.from('emma@example.com:wrong').toString('base64');
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { authorization: `Basic ${credentials}` });

    expect(response.status).toBe(401);
    expect(response.json.error).toBe('Invalid BasicAuth credentials');
  });

  it('returns 403 without credentials', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/tickets', { authorization: null });

    expect(response.status).toBe(403);
    expect(response.json).toEqual({ error: 'Authentication required', error_human: 'Authentication required' });
  });

  it('acts on behalf of another user for admins', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', {
      headers: { 'X-On-Behalf-Of': 'nicole.braun@example.com' },
    });

    expect(response.status).toBe(200);
    expect(response.json.id).toBe(4);
  });

  it('rejects X-On-Behalf-Of from an agent', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', {
      authorization: tokenHeader(fake.tokens.agent),
      headers: { 'X-On-Behalf-Of': '4' },
    });

    expect(response.status).toBe(401);
    expect(response.json.error).toBe("Current user has no permission to use 'X-On-Behalf-Of'!");
  });

  it('rejects X-On-Behalf-Of for an unknown user', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me', { headers: { 'X-On-Behalf-Of': 'nobody' } });

    expect(response.status).toBe(401);
    expect(response.json.error).toBe("No such user 'nobody'");
  });
});
