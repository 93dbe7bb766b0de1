import type { FakeJira } from './server';
import { CUSTOMER_EMAIL, CUSTOMER_TOKEN } from './seed';
import { basic, call, createIssue, startTestFake } from './spec-helpers';

const INTERNAL = [{ key: 'sd.public.comment', value: { internal: true } }];

describe('fake Jira comments', () => {
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

  async function comment(key: string, body: unknown) {
    return call(fake.url, `/rest/api/2/issue/${key}/comment`, { method: 'POST', body });
  }

  it('creates an internal comment', async () => {
    const key = await createIssue(fake);
    const created = await comment(key, { body: '[Jane Doe]: please check logs', properties: INTERNAL });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ body: '[Jane Doe]: please check logs', jsdPublic: false });
    expect(created.json.author.emailAddress).toBe('jira-bot@example.com');
    expect(created.json.self).toBe(`${fake.url}/rest/api/2/issue/10000/comment/${created.json.id}`);
    const property = await call(fake.url, `/rest/api/2/comment/${created.json.id}/properties/sd.public.comment`);
    expect(property.status).toBe(200);
    expect(property.json).toEqual({ key: 'sd.public.comment', value: { internal: true } });
  });

  it('treats a comment without property as public', async () => {
    const key = await createIssue(fake);
    const created = await comment(key, { body: 'hello' });
    expect(created.json.jsdPublic).toBe(true);
    const property = await call(fake.url, `/rest/api/2/comment/${created.json.id}/properties/sd.public.comment`);
    expect(property.status).toBe(404);
    expect(property.json).toEqual({ errorMessages: ["The property with key 'sd.public.comment' does not exist."], errors: {} });
  });

  it('pages the comment list', async () => {
    const key = await createIssue(fake);
    for (const body of ['one', 'two', 'three']) {
      await comment(key, { body, properties: INTERNAL });
    }
    const page = await call(fake.url, `/rest/api/2/issue/${key}/comment?startAt=1&maxResults=1&expand=properties`);
    expect(page.json).toMatchObject({ startAt: 1, maxResults: 1, total: 3 });
    expect(page.json.comments).toHaveLength(1);
    expect(page.json.comments[0].body).toBe('two');
    expect(page.json.comments[0].properties).toEqual(INTERNAL);
  });

  it('gets, updates and deletes a comment', async () => {
    const key = await createIssue(fake);
    const created = await comment(key, { body: 'first' });
    const path = `/rest/api/2/issue/${key}/comment/${created.json.id}`;
    expect((await call(fake.url, path)).json.body).toBe('first');
    const updated = await call(fake.url, path, { method: 'PUT', body: { body: 'second' } });
    expect(updated.status).toBe(200);
    expect(updated.json.body).toBe('second');
    expect((await call(fake.url, path, { method: 'DELETE' })).status).toBe(204);
    const missing = await call(fake.url, path);
    expect(missing.status).toBe(404);
  });

  it('rejects an empty body', async () => {
    const key = await createIssue(fake);
    const result = await comment(key, { body: '  ' });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
  });

  it('maps the JSM public flag to the property', async () => {
    const key = await createIssue(fake);
    const created = await call(fake.url, `/rest/servicedeskapi/request/${key}/comment`, { method: 'POST', body: { body: 'internal note', public: false } });
    expect(created.status).toBe(201);
    expect(created.json.public).toBe(false);
    expect(created.json.created).toEqual({ iso8601: expect.any(String), jira: expect.any(String), friendly: expect.any(String), epochMillis: expect.any(Number) });
    expect(created.json.created.iso8601).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
    const property = await call(fake.url, `/rest/api/2/comment/${created.json.id}/properties/sd.public.comment`);
    expect(property.json.value).toEqual({ internal: true });
  });

  it('filters JSM comments by visibility', async () => {
    const key = await createIssue(fake);
    await comment(key, { body: 'public answer' });
    await comment(key, { body: 'internal note', properties: INTERNAL });
    const publicOnly = await call(fake.url, `/rest/servicedeskapi/request/${key}/comment?internal=false`);
    expect(publicOnly.json.values.map((c: { body: string }) => c.body)).toEqual(['public answer']);
    expect(publicOnly.json).toMatchObject({ start: 0, limit: 50, isLastPage: true, size: 1 });
  });

  it('hides internal comments from customers', async () => {
    const created = await call(fake.url, '/rest/servicedeskapi/request', {
      method: 'POST',
      auth: basic(CUSTOMER_EMAIL, CUSTOMER_TOKEN),
      body: { serviceDeskId: '1', requestTypeId: '1', requestFieldValues: { summary: 'Printer jam' } },
    });
    expect(created.status).toBe(201);
    const key = created.json.issueKey as string;
    await comment(key, { body: 'public answer' });
    await comment(key, { body: 'internal note', properties: INTERNAL });
    const seen = await call(fake.url, `/rest/servicedeskapi/request/${key}/comment`, { auth: basic(CUSTOMER_EMAIL, CUSTOMER_TOKEN) });
    expect(seen.json.values.map((c: { body: string }) => c.body)).toEqual(['public answer']);
    const internal = await call(fake.url, `/rest/servicedeskapi/request/${key}/comment`, {
      method: 'POST',
      auth: basic(CUSTOMER_EMAIL, CUSTOMER_TOKEN),
      body: { body: 'sneaky', public: false },
    });
    expect(internal.status).toBe(403);
  });

  it('stops the first-response SLA on a public agent reply', async () => {
    const key = await createIssue(fake);
    const slaField = (await call(fake.url, '/rest/api/2/field')).json.find((f: { name: string }) => f.name === 'Time to first response').id;
    await comment(key, { body: 'internal note', properties: INTERNAL });
    let issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=${slaField}`);
    expect(issue.json.fields[slaField].ongoingCycle).toBeDefined();
    await comment(key, { body: 'We are on it.' });
    issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=${slaField}`);
    expect(issue.json.fields[slaField].ongoingCycle).toBeUndefined();
    expect(issue.json.fields[slaField].completedCycles).toHaveLength(1);
  });
});
