import type { FakeJira } from './server';
import { call, createIssue, startTestFake } from './spec-helpers';

const START = Date.UTC(2024, 0, 31, 10, 0, 0);

function jqlQuery(jql: string): string {
  return encodeURIComponent(jql);
}

describe('fake Jira enhanced search on Cloud', () => {
  let fake: FakeJira;
  let markerField: string;

  beforeAll(async () => {
    fake = await startTestFake();
    markerField = (await call(fake.url, '/rest/api/2/field')).json.find((f: { name: string }) => f.name === 'waldur_backend_id').id;
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.setClock({ now: START });
    fake.configure({ searchMaxResultsCap: 100, searchVisibilityDelayMs: 0 });
  });

  async function createFive(): Promise<string[]> {
    const keys: string[] = [];
    for (let index = 0; index < 5; index++) {
      keys.push(await createIssue(fake, { summary: `Issue number ${index}` }));
      fake.setClock({ advanceMs: 60_000 });
    }
    return keys;
  }

  it('pages with nextPageToken', async () => {
    const keys = await createFive();
    const jql = 'project = SUP AND updated >= "2024-01-31 10:01" ORDER BY updated ASC';
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const result = await call(fake.url, '/rest/api/2/search/jql', { method: 'POST', body: { jql, maxResults: 2, fields: ['summary', 'updated'], nextPageToken: token } });
      expect(result.status).toBe(200);
      expect(result.json.total).toBeUndefined();
      expect(result.json.startAt).toBeUndefined();
      seen.push(...result.json.issues.map((issue: { key: string }) => issue.key));
      token = result.json.nextPageToken;
      expect(result.json.isLast).toBe(token === undefined);
      pages += 1;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(keys.slice(1));
  });

  it('returns only ids by default', async () => {
    await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = SUP')}`);
    expect(result.json.issues).toEqual([{ id: '10000' }]);
  });

  it('returns short pages under a server cap', async () => {
    await createFive();
    fake.configure({ searchMaxResultsCap: 2 });
    const first = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = SUP ORDER BY created ASC')}&maxResults=50`);
    expect(first.json.issues).toHaveLength(2);
    expect(first.json.isLast).toBe(false);
    expect(first.json.nextPageToken).toEqual(expect.any(String));
  });

  it('rejects an unbounded query', async () => {
    const result = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('ORDER BY created DESC')}`);
    expect(result.status).toBe(400);
    expect(result.json.errorMessages[0]).toContain('Unbounded JQL');
  });

  it('rejects a token of another query', async () => {
    await createFive();
    const first = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = SUP')}&maxResults=1`);
    const other = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = OPS')}&nextPageToken=${first.json.nextPageToken}`);
    expect(other.status).toBe(400);
  });

  it('answers 410 on legacy search', async () => {
    const result = await call(fake.url, `/rest/api/2/search?jql=${jqlQuery('project = SUP')}`);
    expect(result.status).toBe(410);
    expect(result.json.errorMessages[0]).toContain('CHANGE-2046');
  });

  it('finds a marker with a text match', async () => {
    const key = await createIssue(fake, { [markerField]: 'deskbridge-7f3a9c' });
    await createIssue(fake, { [markerField]: 'deskbridge-other' });
    const result = await call(fake.url, `/rest/api/2/search/jql?fields=summary&jql=${jqlQuery('project = SUP AND "waldur_backend_id" ~ "deskbridge-7f3a9c"')}`);
    expect(result.json.issues.map((issue: { key: string }) => issue.key)).toEqual([key]);
    const byClause = await call(fake.url, `/rest/api/2/search/jql?fields=summary&jql=${jqlQuery(`cf[${markerField.split('_')[1]}] ~ "7f3a9c"`)}`);
    expect(byClause.json.issues.map((issue: { key: string }) => issue.key)).toEqual([key]);
  });

  it('matches labels, keys and summary words', async () => {
    const first = await createIssue(fake, { summary: 'VPN gateway down', labels: ['deskbridge-1'] });
    const second = await createIssue(fake, { summary: 'Printer jam' });
    const keys = async (jql: string) => (await call(fake.url, `/rest/api/2/search/jql?fields=summary&jql=${jqlQuery(jql)}`)).json.issues.map((issue: { key: string }) => issue.key);
    expect(await keys('labels = deskbridge-1')).toEqual([first]);
    expect(await keys(`key in (${first}, ${second}) ORDER BY key DESC`)).toEqual([second, first]);
    expect(await keys('summary ~ "gateway"')).toEqual([first]);
    expect(await keys('summary ~ "gate*"')).toEqual([first]);
    expect(await keys('summary ~ "gate"')).toEqual([]);
    expect(await keys('project = SUP AND status = Open AND resolution = Unresolved')).toEqual([first, second]);
  });

  it('rejects invalid JQL', async () => {
    await createIssue(fake);
    const cases: Array<[string, string]> = [
      ['summary = "x"', "The operator '=' is not supported by the 'summary' field."],
      ['nosuch = 1', "Field 'nosuch' does not exist or you do not have permission to view it."],
      ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
      ['key in (SUP-1, SUP-99)', "An issue with key 'SUP-99' does not exist for field 'key'."],
      ['project = SUP AND', 'Error in the JQL Query: Expecting a field name but got the end of the query. (line 1, character 18)'],
    ];
    for (const [jql, message] of cases) {
      const result = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery(jql)}`);
      expect(result.status).toBe(400);
      expect(result.json.errorMessages).toEqual([message]);
    }
  });

  it('delays search visibility', async () => {
    fake.configure({ searchVisibilityDelayMs: 5_000 });
    const key = await createIssue(fake);
    const jql = jqlQuery('project = SUP');
    expect((await call(fake.url, `/rest/api/2/search/jql?jql=${jql}`)).json.issues).toEqual([]);
    const reconciled = await call(fake.url, '/rest/api/2/search/jql', { method: 'POST', body: { jql: 'project = SUP', reconcileIssues: [10000] } });
    expect(reconciled.json.issues).toEqual([{ id: '10000' }]);
    fake.setClock({ advanceMs: 5_000 });
    expect((await call(fake.url, `/rest/api/2/search/jql?jql=${jql}&fields=summary`)).json.issues[0].key).toBe(key);
  });

  it('shows the old state until a change is visible', async () => {
    const key = await createIssue(fake, { summary: 'before' });
    fake.configure({ searchVisibilityDelayMs: 5_000 });
    fake.setClock({ advanceMs: 60_000 });
    await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { summary: 'after' } } });
    const jql = jqlQuery('project = SUP AND updated >= "2024-01-31 10:01"');
    expect((await call(fake.url, `/rest/api/2/search/jql?jql=${jql}`)).json.issues).toEqual([]);
    const stale = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = SUP')}&fields=summary`);
    expect(stale.json.issues[0].fields.summary).toBe('before');
    fake.setClock({ advanceMs: 5_000 });
    expect((await call(fake.url, `/rest/api/2/search/jql?jql=${jql}&fields=summary`)).json.issues[0].fields.summary).toBe('after');
  });

  it('counts approximately', async () => {
    await createFive();
    const result = await call(fake.url, '/rest/api/2/search/approximate-count', { method: 'POST', body: { jql: 'project = SUP' } });
    expect(result.json).toEqual({ count: 5 });
  });
});

describe('fake Jira legacy search on Data Center', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake({ flavour: 'datacenter', timeZone: 'Europe/Tallinn', now: () => START });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('pages with startAt and total', async () => {
    const keys: string[] = [];
    for (let index = 0; index < 5; index++) {
      fake.setClock({ now: START + index * 60_000 });
      keys.push(await createIssue(fake, { summary: `Issue ${index}` }));
    }
    // 12:02 in Tallinn is 10:02 UTC, so the first two issues are too old.
    const jql = jqlQuery('project = SUP AND updated >= "2024-01-31 12:02" ORDER BY updated ASC');
    const first = await call(fake.url, `/rest/api/2/search?jql=${jql}&startAt=0&maxResults=2&fields=summary,updated`);
    expect(first.json).toMatchObject({ startAt: 0, maxResults: 2, total: 3 });
    expect(first.json.issues.map((issue: { key: string }) => issue.key)).toEqual(keys.slice(2, 4));
    expect(first.json.issues[0].fields.updated).toBe('2024-01-31T12:02:00.000+0200');
    const second = await call(fake.url, `/rest/api/2/search?jql=${jql}&startAt=2&maxResults=2`);
    expect(second.json.issues.map((issue: { key: string }) => issue.key)).toEqual(keys.slice(4));
    expect(second.json.issues[0].fields.summary).toBe('Issue 4');
    const posted = await call(fake.url, '/rest/api/2/search', { method: 'POST', body: { jql: 'project = SUP', startAt: 4, maxResults: 10, fields: ['summary'] } });
    expect(posted.json.total).toBe(5);
    expect(posted.json.issues).toHaveLength(1);
  });

  it('has no enhanced search', async () => {
    const result = await call(fake.url, `/rest/api/2/search/jql?jql=${jqlQuery('project = SUP')}`);
    expect(result.status).toBe(404);
  });
});
