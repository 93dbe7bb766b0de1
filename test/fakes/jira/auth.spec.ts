import type { FakeJira } from './server';
import { AGENT_AUTH, basic, call, createIssue, startTestFake } from './spec-helpers';
import { CUSTOMER_EMAIL, CUSTOMER_TOKEN, INTEGRATION_EMAIL, OAUTH_ACCESS_TOKEN, OAUTH_REFRESH_TOKEN, PERSONAL_ACCESS_TOKEN } from './seed';

describe('fake Jira auth on Cloud', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('accepts the integration user', async () => {
    const result = await call(fake.url, '/rest/api/2/myself');
    expect(result.status).toBe(200);
    expect(result.json.emailAddress).toBe(INTEGRATION_EMAIL);
    expect(result.json.accountId).toBe('5b10ac8d82e05b22cc7d0001');
    expect(result.json.name).toBeUndefined();
  });

  it('accepts the agent', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: AGENT_AUTH });
    expect(result.status).toBe(200);
    expect(result.json.displayName).toBe('Agent One');
  });

  it('rejects a wrong token with Seraph header', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: basic(INTEGRATION_EMAIL, 'wrong') });
    expect(result.status).toBe(401);
    expect(result.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    expect(result.headers.get('www-authenticate')).toContain('Basic');
    expect(result.json).toEqual({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
  });

  it('rejects missing credentials', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: null });
    expect(result.status).toBe(401);
    expect(result.json.errorMessages).toHaveLength(1);
  });

  it('serves serverInfo without credentials', async () => {
    const result = await call(fake.url, '/rest/api/2/serverInfo', { auth: null });
    expect(result.status).toBe(200);
    expect(result.json.deploymentType).toBe('Cloud');
  });

  it('rejects a PAT on Cloud', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: `Bearer ${PERSONAL_ACCESS_TOKEN}` });
    expect(result.status).toBe(401);
  });

  it('rejects the OAuth token at the site root', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(401);
  });

  it('accepts the OAuth token under the gateway', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.gatewayUrl, `/rest/api/2/issue/${key}`, { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(200);
    expect(result.json.self).toBe(`${fake.gatewayUrl}/rest/api/2/issue/${result.json.id}`);
  });

  it('rejects a bad gateway token in gateway shape', async () => {
    const result = await call(fake.gatewayUrl, '/rest/api/2/myself', { auth: 'Bearer expired' });
    expect(result.status).toBe(401);
    expect(result.json).toEqual({ code: 401, message: 'Unauthorized' });
  });

  it('answers 404 for an unknown cloud id', async () => {
    const result = await call(fake.url, '/ex/jira/not-our-site/rest/api/2/myself', { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(404);
  });

  it('rotates OAuth refresh tokens', async () => {
    const form = (refreshToken: string) =>
      fetch(`${fake.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'id', client_secret: 'secret', refresh_token: refreshToken }),
      });
    const first = await form(OAUTH_REFRESH_TOKEN);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string; token_type: string };
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).not.toBe(OAUTH_REFRESH_TOKEN);
    const reused = await form(OAUTH_REFRESH_TOKEN);
    expect(reused.status).toBe(403);
    expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant');
    const myself = await call(fake.gatewayUrl, '/rest/api/2/myself', { auth: `Bearer ${tokens.access_token}` });
    expect(myself.status).toBe(200);
  });

  it('rejects expired OAuth tokens', async () => {
    fake.expireOAuthTokens();
    const result = await call(fake.gatewayUrl, '/rest/api/2/myself', { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(401);
  });

  it('lists the site for OAuth discovery', async () => {
    const result = await call(fake.url, '/oauth/token/accessible-resources', { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(200);
    expect(result.json[0].id).toBe(fake.settings.cloudId);
  });

  it('forbids a customer to edit issues', async () => {
    const key = await createIssue(fake);
    const customer = basic(CUSTOMER_EMAIL, CUSTOMER_TOKEN);
    const edit = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', auth: customer, body: { fields: { summary: 'x' } } });
    expect(edit.status).toBe(403);
    expect(edit.json.errorMessages[0]).toContain('permission');
    const read = await call(fake.url, `/rest/api/2/issue/${key}`, { auth: customer });
    expect(read.status).toBe(404);
  });

  it('forbids an agent to manage webhooks', async () => {
    const result = await call(fake.url, '/rest/webhooks/1.0/webhook', { auth: AGENT_AUTH });
    expect(result.status).toBe(403);
    expect(result.json.errorMessages).toEqual(['Only Jira administrators can manage webhooks.']);
  });

  it('trips CAPTCHA after repeated failures', async () => {
    fake.configure({ captchaAfterFailures: 2 });
    try {
      await call(fake.url, '/rest/api/2/myself', { auth: basic(INTEGRATION_EMAIL, 'bad') });
      await call(fake.url, '/rest/api/2/myself', { auth: basic(INTEGRATION_EMAIL, 'bad') });
      const blocked = await call(fake.url, '/rest/api/2/myself');
      expect(blocked.status).toBe(403);
      expect(blocked.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATION_DENIED');
      expect(blocked.headers.get('x-authentication-denied-reason')).toContain('CAPTCHA_CHALLENGE');
      fake.setCaptcha(false);
      expect((await call(fake.url, '/rest/api/2/myself')).status).toBe(200);
    } finally {
      fake.configure({ captchaAfterFailures: 0 });
    }
  });

  it('uses the Cloud message body when configured', async () => {
    fake.configure({ authFailureBody: 'cloud-message' });
    try {
      const result = await call(fake.url, '/rest/api/2/myself', { auth: basic(INTEGRATION_EMAIL, 'bad') });
      expect(result.json).toEqual({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 });
    } finally {
      fake.configure({ authFailureBody: 'envelope' });
    }
  });
});

describe('fake Jira auth on Data Center', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake({ flavour: 'datacenter' });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('accepts a personal access token', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: `Bearer ${PERSONAL_ACCESS_TOKEN}` });
    expect(result.status).toBe(200);
    expect(result.json.name).toBe('jira-bot');
    expect(result.json.key).toBe('JIRAUSER10000');
    expect(result.json.accountId).toBeUndefined();
  });

  it('accepts user name and password', async () => {
    const result = await call(fake.url, '/rest/api/2/myself', { auth: basic('jira-bot', 'fake-api-token') });
    expect(result.status).toBe(200);
    expect(result.headers.get('x-ausername')).toBe('jira-bot');
  });

  it('has no OAuth gateway', async () => {
    const result = await call(fake.gatewayUrl, '/rest/api/2/myself', { auth: `Bearer ${OAUTH_ACCESS_TOKEN}` });
    expect(result.status).toBe(404);
  });
});
