import { Logger } from '@nestjs/common';

import { AGENT_EMAIL, INTEGRATION_EMAIL, INTEGRATION_TOKEN, OAUTH_ACCESS_TOKEN, PERSONAL_ACCESS_TOKEN, startFakeJira, type FakeJira } from '../../../../test/fakes/jira';
import { jiraTestClient, jiraTestSettings } from '../../../../test/support/jira-backend';
import { FailedDependencyException } from '../../../common/errors/app.exception';
import { resolveJiraAuth } from './jira-auth';
import { buildAttachmentMultipart, isExcludedAttachment, jiraFileName } from './jira-multipart';
import { JiraClient } from './jira.client';
import { JiraError } from './jira.exception';

function basic(login: string, secret: string): string {
  return `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;
}

function agentIssue(fake: FakeJira, summary: string) {
  return fake.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' }, summary } });
}

async function failure(call: Promise<unknown>): Promise<JiraError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof JiraError) return error;
    throw error;
  }
  throw new Error('The call succeeded, but a JiraError was expected.');
}


// The adapter logs its retries and adoptions; outside an app that would go to the console.
beforeAll(() => Logger.overrideLogger(false));

describe('Jira auth selection', () => {
  it('picks credentials by priority', () => {
    const all = { oauth2AccessToken: 'oauth', personalAccessToken: 'pat', email: 'a@example.com', token: 'token', username: 'user', password: 'secret' };
    expect(resolveJiraAuth(all)?.method).toBe('oauth2');
    expect(resolveJiraAuth({ ...all, oauth2AccessToken: '' })?.method).toBe('personal_access_token');
    expect(resolveJiraAuth({ ...all, oauth2AccessToken: '', personalAccessToken: ' ' })).toMatchObject({
      method: 'api_token',
      authorization: basic('a@example.com', 'token'),
    });
    expect(resolveJiraAuth({ username: 'user', token: 'token' })).toMatchObject({ method: 'api_token', authorization: basic('user', 'token') });
    expect(resolveJiraAuth({ username: 'user', password: 'secret' })).toMatchObject({ method: 'basic', authorization: basic('user', 'secret') });
    expect(resolveJiraAuth({ email: 'a@example.com' })).toBeUndefined();
  });

  it('uses the configured OAuth token scheme', () => {
    expect(resolveJiraAuth({ oauth2AccessToken: 'abc', oauth2TokenType: 'Token' })?.authorization).toBe('Token abc');
  });
});

describe('Jira client on a Cloud fake', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startFakeJira({ flavour: 'cloud' });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('authenticates with e-mail and API token', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    expect((await client.myself()).emailAddress).toBe(INTEGRATION_EMAIL);
    expect(fake.requests()[0].headers.authorization).toBe(basic(INTEGRATION_EMAIL, INTEGRATION_TOKEN));
    await client.close();
  });

  it('authenticates with an OAuth token through the gateway', async () => {
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_API_URL: fake.gatewayUrl, ATLASSIAN_OAUTH2_ACCESS_TOKEN: OAUTH_ACCESS_TOKEN }));
    expect((await client.myself()).emailAddress).toBe(INTEGRATION_EMAIL);
    const [request] = fake.requests();
    expect(request.headers.authorization).toBe(`Bearer ${OAUTH_ACCESS_TOKEN}`);
    expect(request.path).toMatch(/^\/ex\/jira\/[^/]+\/rest\/api\/2\/myself$/);
    await client.close();
  });

  it('names the auth method when Jira rejects the API token', async () => {
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_TOKEN: 'wrong-token' }));
    const error = await failure(client.myself());
    expect(error).toBeInstanceOf(FailedDependencyException);
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).toContain('e-mail and API token');
    expect(error.message).toContain('ATLASSIAN_EMAIL and ATLASSIAN_TOKEN');
    expect(error.message).toContain('Client must be authenticated to access this resource.');
    await client.close();
  });

  it('names the OAuth token when the gateway rejects it', async () => {
    fake.expireOAuthTokens();
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_API_URL: fake.gatewayUrl, ATLASSIAN_OAUTH2_ACCESS_TOKEN: OAUTH_ACCESS_TOKEN }));
    const error = await failure(client.myself());
    expect(error.message).toContain('OAuth 2.0 access token');
    expect(error.message).toContain('ATLASSIAN_OAUTH2_ACCESS_TOKEN');
    expect(error.message).toContain('Unauthorized');
    await client.close();
  });

  it.each(['cloud-message', 'html'] as const)('reads a %s 401 body', async (authFailureBody) => {
    fake.configure({ authFailureBody });
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_TOKEN: 'wrong-token' }));
    const error = await failure(client.myself());
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(authFailureBody === 'html' ? /an HTML page/ : /Client must be authenticated/);
    await client.close();
  });

  it('reports a CAPTCHA lock as its own failure', async () => {
    fake.setCaptcha(true);
    const client = jiraTestClient(jiraTestSettings(fake));
    const error = await failure(client.myself());
    expect(error.kind).toBe('captcha');
    expect(error.message).toMatch(/CAPTCHA/);
    await client.close();
  });

  it('joins error messages and field errors from the envelope', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    const error = await failure(client.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' } } }));
    expect(error).toMatchObject({ kind: 'http', status: 400 });
    expect(error.jiraFieldErrors.summary).toBeDefined();
    expect(error.message).toContain('summary:');
    await client.close();
  });

  it('removes U+0000 from answers and error messages', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    agentIssue(fake, 'Printer\u0000 jam');
    expect((await client.getIssue('SUP-1', { fields: ['summary'] }))?.fields?.summary).toBe('Printer jam');
    fake.addFault({ path: '/rest/api/2/field', status: 400, body: { errorMessages: ['Bad\u0000 field'], errors: {} }, bodyFormat: 'json', times: 1 });
    const error = await failure(client.listFields());
    expect(error.remoteMessage).toBe('Bad field');
    expect(error.message).not.toContain('\u0000');
    await client.close();
  });

  it.each(['#/dashboard', '?os_authType=basic'])('appends paths to the base path, not after %s', async (suffix) => {
    const client = jiraTestClient({ ...jiraTestSettings(fake), apiUrl: `${fake.url}/${suffix}` });
    expect((await client.myself()).emailAddress).toBe(INTEGRATION_EMAIL);
    expect(fake.requests().map((request) => [request.path, request.query])).toEqual([['/rest/api/2/myself', {}]]);
    await client.close();
  });

  it('returns undefined for an issue that does not exist', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    expect(await client.getIssue('SUP-999')).toBeUndefined();
    await client.close();
  });

  it('waits Retry-After on 429 and retries', async () => {
    const sleeps: number[] = [];
    const client = jiraTestClient(jiraTestSettings(fake), { sleeps });
    fake.addFault({ path: '/rest/api/2/myself', status: 429, retryAfter: 1, times: 1 });
    expect((await client.myself()).emailAddress).toBe(INTEGRATION_EMAIL);
    expect(sleeps).toEqual([1000]);
    expect(fake.requests().map((request) => request.status)).toEqual([429, 200]);
    await client.close();
  });

  it('fails as retryable when Retry-After exceeds the wait limit', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    fake.addFault({ path: '/rest/api/2/field', status: 429, retryAfter: 120, times: 1 });
    const error = await failure(client.listFields());
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 120 });
    expect(error.headers).toEqual({ 'Retry-After': '120' });
    await client.close();
  });

  it('retries reads after 503 and dropped connections', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    fake.addFault({ path: '/rest/api/2/field', status: 503, times: 1 });
    fake.addFault({ path: '/rest/api/2/priority', dropConnection: true, times: 1 });
    expect((await client.listFields()).length).toBeGreaterThan(0);
    expect((await client.listPriorities()).length).toBe(5);
    await client.close();
  });

  it('does not repeat a create after a dropped connection', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    fake.addFault({ method: 'POST', path: '/rest/api/2/issue', dropConnection: true, afterCommit: true, times: 1 });
    const error = await failure(client.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' }, summary: 'Once' } }));
    expect(error).toMatchObject({ kind: 'network', retryable: true, mayHaveCommitted: true });
    expect(fake.issueRecords()).toHaveLength(1);
    expect(fake.requests().filter((request) => request.method === 'POST')).toHaveLength(1);
    await client.close();
  });

  it('times out a slow answer', async () => {
    const client = jiraTestClient(jiraTestSettings(fake), { timeoutMs: 100 });
    fake.addFault({ path: '/rest/api/2/serverInfo', latencyMs: 400 });
    const error = await failure(client.serverInfo());
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toBe('Jira did not answer GET /rest/api/2/serverInfo within 0.1 s.');
    expect(fake.requests().filter((request) => request.path === '/rest/api/2/serverInfo')).toHaveLength(3);
    await client.close();
  });

  it('pages the JQL search with nextPageToken', async () => {
    for (let index = 0; index < 5; index += 1) agentIssue(fake, `Issue ${index}`);
    const client = jiraTestClient(jiraTestSettings(fake));
    const issues = await client.searchAll('jql', { jql: 'project = SUP ORDER BY created ASC', fields: ['summary', 'updated'], pageSize: 2 });
    expect(issues.map((issue) => issue.fields?.summary)).toEqual(['Issue 0', 'Issue 1', 'Issue 2', 'Issue 3', 'Issue 4']);
    const searches = fake.requests().filter((request) => request.path === '/rest/api/2/search/jql');
    expect(searches).toHaveLength(3);
    expect(searches[0].query).toEqual({ jql: 'project = SUP ORDER BY created ASC', fields: 'summary,updated', maxResults: '2' });
    expect(searches[1].query.nextPageToken).toEqual(expect.any(String));
    await client.close();
  });

  it('uploads a Unicode file name raw with the XSRF header', async () => {
    const key = agentIssue(fake, 'Files').key;
    const client = jiraTestClient(jiraTestSettings(fake));
    const fileName = jiraFileName('Überprüfung résumé.pdf');
    const [attachment] = await client.addAttachment(key, buildAttachmentMultipart(fileName, Buffer.from('%PDF-1.4'), 'application/pdf'));
    expect(attachment.filename?.normalize('NFC')).toBe('Überprüfung résumé.pdf');
    const upload = fake.requests().find((request) => request.path.endsWith('/attachments'))!;
    expect(upload.headers['x-atlassian-token']).toBe('no-check');
    expect(upload.multipart).toEqual([{ name: 'file', filename: fileName, filenameEncoding: 'raw', contentType: 'application/pdf', size: 8 }]);
    await client.close();
  });

  it('follows the Cloud content redirect when downloading', async () => {
    const key = agentIssue(fake, 'Files').key;
    const record = fake.attach({ issue: key, filename: 'log.txt', content: 'line one' });
    const client = jiraTestClient(jiraTestSettings(fake));
    const content = await client.downloadAttachment({ id: record.id, contentUrl: `${fake.url}/rest/api/2/attachment/content/${record.id}` });
    expect(content.toString()).toBe('line one');
    const paths = fake.requests().map((request) => request.path);
    expect(paths).toEqual([`/rest/api/2/attachment/content/${record.id}`, `/media/attachment/${record.id}`]);
    await client.close();
  });

  it('searches users by query and exact e-mail', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    const users = await client.searchUsers(AGENT_EMAIL, { includeInactive: true });
    expect(users.map((user) => user.emailAddress)).toEqual([AGENT_EMAIL]);
    expect(fake.requests()[0].query).toEqual({ query: AGENT_EMAIL, includeActive: 'true', includeInactive: 'true' });
    await client.close();
  });
});

describe('Jira client on a Data Center fake', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startFakeJira({ flavour: 'datacenter' });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('authenticates with a personal access token', async () => {
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_PERSONAL_ACCESS_TOKEN: PERSONAL_ACCESS_TOKEN }));
    expect((await client.myself()).name).toBe('jira-bot');
    expect(fake.requests()[0].headers.authorization).toBe(`Bearer ${PERSONAL_ACCESS_TOKEN}`);
    await client.close();
  });

  it('authenticates with user name and password', async () => {
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_EMAIL: '', ATLASSIAN_TOKEN: '', ATLASSIAN_USERNAME: 'jira-bot', ATLASSIAN_PASSWORD: INTEGRATION_TOKEN }));
    expect((await client.myself()).name).toBe('jira-bot');
    expect(fake.requests()[0].headers.authorization).toBe(basic('jira-bot', INTEGRATION_TOKEN));
    await client.close();
  });

  it('names user name and password when Jira rejects them', async () => {
    const client = jiraTestClient(jiraTestSettings(fake, { ATLASSIAN_EMAIL: '', ATLASSIAN_TOKEN: '', ATLASSIAN_USERNAME: 'jira-bot', ATLASSIAN_PASSWORD: 'wrong' }));
    const error = await failure(client.myself());
    expect(error.message).toContain('user name and password');
    expect(error.message).toContain('ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD');
    await client.close();
  });

  it('pages the legacy search with startAt', async () => {
    for (let index = 0; index < 3; index += 1) agentIssue(fake, `Issue ${index}`);
    const client = jiraTestClient(jiraTestSettings(fake));
    const issues = await client.searchAll('legacy', { jql: 'project = SUP ORDER BY created ASC', fields: ['summary'], pageSize: 2 });
    expect(issues.map((issue) => issue.fields?.summary)).toEqual(['Issue 0', 'Issue 1', 'Issue 2']);
    const searches = fake.requests().filter((request) => request.path === '/rest/api/2/search');
    expect(searches.map((request) => request.query.startAt)).toEqual(['0', '2']);
    await client.close();
  });

  it('switches user search to username= when Data Center asks for it', async () => {
    const client = jiraTestClient(jiraTestSettings(fake));
    const users = await client.searchUsers(AGENT_EMAIL);
    expect(users.map((user) => user.name)).toEqual(['agent']);
    expect(fake.requests().map((request) => request.query)).toEqual([{ query: AGENT_EMAIL }, { username: AGENT_EMAIL }]);
    await client.close();
  });
});

describe('Jira file names', () => {
  it('normalizes to NFD and keeps the extensions when cutting to 252 bytes', () => {
    const long = `${'ä'.repeat(200)}.tar.gz`;
    const name = jiraFileName(long);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(252);
    expect(name.endsWith('.tar.gz')).toBe(true);
    expect(name).toBe(name.normalize('NFD'));
  });

  it('refuses a name whose extensions alone are too long', () => {
    expect(() => jiraFileName(`a.${'x'.repeat(300)}`)).toThrow(/too long/);
  });

  it('matches excluded types by extension', () => {
    expect(isExcludedAttachment('setup.EXE', ['exe', '.bat'])).toBe(true);
    expect(isExcludedAttachment('run.bat', ['exe', '.bat'])).toBe(true);
    expect(isExcludedAttachment('exe-notes.txt', ['exe'])).toBe(false);
  });
});

describe('Jira client construction', () => {
  it('sends no Authorization header without credentials', async () => {
    const fake = await startFakeJira();
    const client = new JiraClient({ baseUrl: fake.url, auth: undefined, verifySsl: true, maxAttempts: 1 });
    const error = await failure(client.myself());
    expect(error.status).toBe(401);
    expect(error.message).toContain('missing credentials');
    expect(fake.requests()[0].headers.authorization).toBeUndefined();
    await client.close();
    await fake.close();
  });
});
