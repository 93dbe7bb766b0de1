import { FakeSmax, startFakeSmax } from './fake-smax';
import { AGENT_USER } from './seed';
import { callSmax, loginAs } from './smax-test-client';

const LOGIN_PATH = '/auth/authentication-endpoint/authenticate/login';

describe('fake SMAX auth', () => {
  let fake: FakeSmax;

  beforeAll(async () => {
    fake = await startFakeSmax();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  function postLogin(body: unknown, tenant = fake.tenantId, path = LOGIN_PATH): Promise<Response> {
    return fetch(`${fake.url}${path}?TENANTID=${tenant}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  const personQuery = '/ems/Person?layout=Id,Name';

  it('returns the token as plain text', async () => {
    const response = await postLogin({ login: 'smax-bot', password: 'fake-smax-password' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const token = await response.text();
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('accepts capitalised Login and Password', async () => {
    const response = await postLogin({ Login: 'smax-agent', Password: 'fake-agent-password' });

    expect(response.status).toBe(200);
  });

  it('serves the token route like login', async () => {
    const response = await postLogin(
      { login: 'smax-bot', password: 'fake-smax-password' },
      fake.tenantId,
      '/auth/authentication-endpoint/authenticate/token',
    );

    expect(response.status).toBe(200);
  });

  it('quotes the token when configured', async () => {
    fake.configure({ quoteLoginToken: true });

    const text = await (await postLogin({ login: 'smax-bot', password: 'fake-smax-password' })).text();

    expect(text).toMatch(/^"[^"]+"$/);
    const response = await callSmax(fake, personQuery, { token: text.slice(1, -1) });
    expect(response.status).toBe(200);
  });

  it.each([
    ['wrong password', { login: 'smax-bot', password: 'nope' }],
    ['unknown login', { login: 'someone', password: 'fake-smax-password' }],
    ['missing password', { login: 'smax-bot' }],
  ])('rejects login with %s', async (_case, body) => {
    const response = await postLogin(body);

    expect(response.status).toBe(401);
  });

  it('rejects login for another tenant', async () => {
    const response = await postLogin({ login: 'smax-bot', password: 'fake-smax-password' }, '999');

    expect(response.status).toBe(401);
  });

  it('rejects malformed login JSON', async () => {
    const response = await fetch(`${fake.url}${LOGIN_PATH}?TENANTID=${fake.tenantId}`, { method: 'POST', body: '{login' });

    expect(response.status).toBe(400);
  });

  it('accepts the token as LWSSO_COOKIE_KEY cookie', async () => {
    const token = await loginAs(fake);

    const response = await callSmax(fake, personQuery, { token });

    expect(response.status).toBe(200);
  });

  it('rejects requests without a token', async () => {
    const response = await callSmax(fake, personQuery);

    expect(response.status).toBe(401);
  });

  it('rejects an unknown token', async () => {
    const response = await callSmax(fake, personQuery, { token: 'forged' });

    expect(response.status).toBe(401);
  });

  it('uses the configured cookie name', async () => {
    fake.configure({ cookieName: 'SMAX_AUTH_TOKEN' });
    const token = await loginAs(fake);

    const newName = await callSmax(fake, personQuery, { token, cookieName: 'SMAX_AUTH_TOKEN' });
    const oldName = await callSmax(fake, personQuery, { token, cookieName: 'LWSSO_COOKIE_KEY' });

    expect(newName.status).toBe(200);
    expect(oldName.status).toBe(401);
  });

  it('takes the cookie name from start options', async () => {
    const other = await startFakeSmax({ cookieName: 'SMAX_AUTH_TOKEN', tenantId: '123456789' });
    try {
      const token = await loginAs(other);

      const response = await callSmax(other, personQuery, { token, cookieName: 'SMAX_AUTH_TOKEN' });

      expect(response.status).toBe(200);
      expect(other.restUrl).toBe(`${other.url}/rest/123456789`);
    } finally {
      await other.close();
    }
  });

  it('accepts a bearer token only when enabled', async () => {
    const token = await loginAs(fake);
    const headers = { Authorization: `Bearer ${token}` };

    const disabled = await callSmax(fake, personQuery, { headers });
    fake.configure({ acceptBearer: true });
    const enabled = await callSmax(fake, personQuery, { headers });

    expect(disabled.status).toBe(401);
    expect(enabled.status).toBe(200);
  });

  it('returns 404 for another tenant in path', async () => {
    const token = await loginAs(fake);

    const response = await fetch(`${fake.url}/rest/999/ems/Person?layout=Id`, {
      headers: { Cookie: `LWSSO_COOKIE_KEY=${token}` },
    });

    expect(response.status).toBe(404);
  });

  it('expires all tokens then accepts re-login', async () => {
    const token = await loginAs(fake);

    expect(fake.expireTokens()).toBe(1);
    const expired = await callSmax(fake, personQuery, { token });
    const fresh = await callSmax(fake, personQuery, { token: await loginAs(fake) });

    expect(expired.status).toBe(401);
    expect(fresh.status).toBe(200);
  });

  it("expires only one user's tokens", async () => {
    const botToken = await loginAs(fake);
    const agentToken = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);

    expect(fake.expireTokens(AGENT_USER.login)).toBe(1);

    expect((await callSmax(fake, personQuery, { token: agentToken })).status).toBe(401);
    expect((await callSmax(fake, personQuery, { token: botToken })).status).toBe(200);
  });

  it('expires tokens after the configured lifetime', async () => {
    fake.configure({ tokenTtlMs: 60_000 });
    const token = await loginAs(fake);

    const before = await callSmax(fake, personQuery, { token });
    fake.advanceClock(60_000);
    const after = await callSmax(fake, personQuery, { token });

    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('logs the user of each request', async () => {
    const token = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);
    fake.clearRequestLog();

    await callSmax(fake, personQuery, { token });

    const [entry] = fake.requestLog();
    expect(entry.login).toBe('smax-agent');
    expect(entry.headers.cookie).toContain(`LWSSO_COOKIE_KEY=${token}`);
  });
});
