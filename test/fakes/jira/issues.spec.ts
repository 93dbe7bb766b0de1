import { CUSTOMER_EMAIL, CUSTOMER_TOKEN } from './seed';
import type { FakeJira } from './server';
import { basic, BOT_AUTH, call, createIssue, startTestFake } from './spec-helpers';

const JIRA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

describe('fake Jira issues', () => {
  let fake: FakeJira;
  let fieldIds: Record<string, string>;

  beforeAll(async () => {
    fake = await startTestFake({ customFieldIdStart: 12000 });
    const fields = await call(fake.url, '/rest/api/2/field');
    fieldIds = Object.fromEntries((fields.json as Array<{ id: string; name: string; custom: boolean }>).filter((f) => f.custom).map((f) => [f.name, f.id]));
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('lists custom fields by name', async () => {
    const result = await call(fake.url, '/rest/api/2/field');
    const byName = (name: string) => (result.json as Array<Record<string, any>>).filter((field) => field.name === name);
    expect(fieldIds['waldur_backend_id']).toMatch(/^customfield_12\d{3}$/);
    for (const name of ['Impact', 'Original Reporter', 'Reporter organization', 'Affected resource', 'Caller', 'Template', 'Request feedback', 'Customer satisfaction', 'Time to first response', 'Time to resolution']) {
      expect(fieldIds[name]).toBeDefined();
    }
    expect(byName('Project')).toHaveLength(2);
    const sla = byName('Time to first response')[0];
    expect(sla.schema.custom).toBe('com.atlassian.servicedesk:sd-sla-field');
    expect(sla.clauseNames).toEqual([`cf[${sla.schema.customId}]`, 'Time to first response']);
    const parent = (result.json as Array<Record<string, any>>).find((field) => field.id === 'parent');
    expect(parent?.schema).toBeUndefined();
  });

  it('creates an issue and reads it back', async () => {
    const created = await call(fake.url, '/rest/api/2/issue', {
      method: 'POST',
      body: { fields: { project: { key: 'SUP' }, issuetype: { name: 'Incident' }, summary: 'Mail down', description: 'Since *09:00*.', priority: { name: 'High' } } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: '10000', key: 'SUP-1', self: `${fake.url}/rest/api/2/issue/10000` });

    const issue = await call(fake.url, '/rest/api/2/issue/SUP-1');
    const fields = issue.json.fields;
    expect(issue.status).toBe(200);
    expect(fields.summary).toBe('Mail down');
    expect(fields.description).toBe('Since *09:00*.');
    expect(fields.priority).toMatchObject({ id: '2', name: 'High' });
    expect(fields.priority.iconUrl).toContain('/images/icons/priorities/high.svg');
    expect(fields.issuetype.name).toBe('Incident');
    expect(fields.project).toMatchObject({ id: '10000', key: 'SUP', projectTypeKey: 'service_desk' });
    expect(fields.status).toMatchObject({ name: 'Open', statusCategory: { key: 'new' } });
    expect(fields.resolution).toBeNull();
    expect(fields.resolutiondate).toBeNull();
    expect(fields.created).toMatch(JIRA_TIMESTAMP);
    expect(fields.updated).toMatch(JIRA_TIMESTAMP);
    expect(fields.reporter.emailAddress).toBe('jira-bot@example.com');
    expect(fields.assignee).toBeNull();
    expect(fields.comment).toEqual({ comments: [], maxResults: 0, total: 0, startAt: 0 });
    expect(fields[fieldIds['Time to first response']].ongoingCycle.breachTime.epochMillis).toEqual(expect.any(Number));
    expect(fields[fieldIds['waldur_backend_id']]).toBeNull();
  });

  it('renders timestamps in the site time zone', async () => {
    const zoned = await startTestFake({ timeZone: 'Europe/Tallinn', now: () => Date.UTC(2024, 0, 31, 10, 20, 30) });
    try {
      const key = await createIssue(zoned);
      const issue = await call(zoned.url, `/rest/api/2/issue/${key}?fields=created`);
      expect(issue.json.fields).toEqual({ created: '2024-01-31T12:20:30.000+0200' });
    } finally {
      await zoned.close();
    }
  });

  it('rejects a create without summary', async () => {
    const result = await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: { fields: { project: { key: 'SUP' }, issuetype: { name: 'Incident' } } } });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } });
  });

  it('rejects an unknown project', async () => {
    const result = await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: { fields: { project: { key: 'NOPE' }, issuetype: { name: 'Incident' }, summary: 's' } } });
    expect(result.status).toBe(400);
    expect(result.json.errors.project).toBe('valid project is required');
  });

  it('rejects fields not on the screen', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { resolution: { name: 'Done' }, customfield_1: 'x' } } });
    expect(result.status).toBe(400);
    expect(result.json.errors.resolution).toBe("Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.");
    expect(result.json.errors.customfield_1).toContain('cannot be set');
  });

  it('rejects a summary over 255 characters', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { summary: 'x'.repeat(256) } } });
    expect(result.status).toBe(400);
    expect(result.json.errors.summary).toBe('Summary must be less than 255 characters.');
  });

  it('edits fields and custom fields', async () => {
    const key = await createIssue(fake);
    const edit = await call(fake.url, `/rest/api/2/issue/${key}?notifyUsers=false`, {
      method: 'PUT',
      body: {
        fields: {
          summary: 'VPN not reachable (office B)',
          [fieldIds['waldur_backend_id']]: 'abc123',
          [fieldIds['Customer satisfaction']]: { value: '7' },
          [fieldIds['Caller']]: { accountId: '5b10ac8d82e05b22cc7d0002' },
        },
        update: { labels: [{ add: 'vpn' }, { add: 'office-b' }] },
      },
    });
    expect(edit.status).toBe(204);
    expect(edit.text).toBe('');

    const issue = await call(fake.url, `/rest/api/2/issue/${key}?expand=changelog,names`);
    const fields = issue.json.fields;
    expect(fields.summary).toBe('VPN not reachable (office B)');
    expect(fields.labels).toEqual(['vpn', 'office-b']);
    expect(fields[fieldIds['waldur_backend_id']]).toBe('abc123');
    expect(fields[fieldIds['Customer satisfaction']]).toMatchObject({ value: '7' });
    expect(fields[fieldIds['Caller']].displayName).toBe('Agent One');
    expect(issue.json.names[fieldIds['waldur_backend_id']]).toBe('waldur_backend_id');
    const items = issue.json.changelog.histories[0].items as Array<Record<string, unknown>>;
    expect(items.map((item) => item.fieldId)).toEqual(['summary', fieldIds['waldur_backend_id'], fieldIds['Customer satisfaction'], fieldIds['Caller'], 'labels']);
    expect(items[2]).toMatchObject({ field: 'Customer satisfaction', fieldtype: 'custom', toString: '7' });
  });

  it('rejects an invalid option value', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { [fieldIds['Customer satisfaction']]: { value: '11' } } } });
    expect(result.status).toBe(400);
    expect(result.json.errors[fieldIds['Customer satisfaction']]).toBe("Option value '11' is not valid");
  });

  it('rejects an edit without fields or update', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: {} });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ errorMessages: ["one of 'fields' or 'update' required"], errors: {} });
  });

  it('rejects a field in fields and update', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'PUT', body: { fields: { labels: ['a'] }, update: { labels: [{ add: 'b' }] } } });
    expect(result.status).toBe(400);
    expect(result.json.errors.labels).toContain("both the 'fields' and the 'update' section");
  });

  it('returns the issue when asked', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}?returnIssue=true`, { method: 'PUT', body: { fields: { description: 'new' } } });
    expect(result.status).toBe(200);
    expect(result.json.fields.description).toBe('new');
  });

  it('restricts fields and tolerates unknown expands', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}?fields=summary,status,-status,nosuchfield&expand=transitions,operations,versionedRepresentations`);
    expect(result.status).toBe(200);
    expect(Object.keys(result.json.fields)).toEqual(['summary']);
    expect(result.json.transitions.map((transition: { name: string }) => transition.name)).toEqual(['Start progress', 'Resolve', 'Cancel request']);
  });

  it('assigns through the assignee route', async () => {
    const key = await createIssue(fake);
    const assign = await call(fake.url, `/rest/api/2/issue/${key}/assignee`, { method: 'PUT', body: { accountId: '5b10ac8d82e05b22cc7d0003' } });
    expect(assign.status).toBe(204);
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=assignee`);
    expect(issue.json.fields.assignee.displayName).toBe('Agent Two');
    const notAssignable = await call(fake.url, `/rest/api/2/issue/${key}/assignee`, { method: 'PUT', body: { accountId: '5b10ac8d82e05b22cc7d0001' } });
    expect(notAssignable.status).toBe(400);
  });

  it('deletes an issue', async () => {
    const key = await createIssue(fake);
    const deleted = await call(fake.url, `/rest/api/2/issue/${key}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const missing = await call(fake.url, `/rest/api/2/issue/${key}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  });

  it('stores issue properties', async () => {
    const key = await createIssue(fake);
    const put = await call(fake.url, `/rest/api/2/issue/${key}/properties/deskbridge.origin`, { method: 'PUT', body: { id: 'local-1' } });
    expect(put.status).toBe(201);
    const get = await call(fake.url, `/rest/api/2/issue/${key}/properties/deskbridge.origin`);
    expect(get.json).toEqual({ key: 'deskbridge.origin', value: { id: 'local-1' } });
  });

  it('rejects malformed JSON', async () => {
    const result = await fetch(`${fake.url}/rest/api/2/issue`, {
      method: 'POST',
      headers: { Authorization: BOT_AUTH, 'Content-Type': 'application/json' },
      body: '{"fields": ',
    });
    expect(result.status).toBe(400);
    const body = (await result.json()) as { errorMessages: string[] };
    expect(body.errorMessages[0]).toContain('Unexpected');
  });

  it('lists create metadata per issue type', async () => {
    const types = await call(fake.url, '/rest/api/2/issue/createmeta/SUP/issuetypes');
    expect(types.json).toMatchObject({ startAt: 0, total: 4, isLast: true });
    expect(types.json.values.map((type: { name: string }) => type.name)).toContain('Incident');
    const fields = await call(fake.url, '/rest/api/2/issue/createmeta/SUP/issuetypes/10101?maxResults=200');
    const byId = Object.fromEntries(fields.json.values.map((field: { fieldId: string }) => [field.fieldId, field]));
    expect(byId.summary.required).toBe(true);
    expect(byId.priority.allowedValues).toHaveLength(5);
    expect(byId[fieldIds['Customer satisfaction']].allowedValues.map((option: { value: string }) => option.value)).toContain('10');
    expect((await call(fake.url, '/rest/api/2/issue/createmeta/SUP/issuetypes/10104')).status).toBe(404);
  });

  it('serves priorities, issue types and projects', async () => {
    const priorities = await call(fake.url, '/rest/api/2/priority');
    expect(priorities.json.map((priority: { name: string }) => priority.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect(priorities.json[0].iconUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\/icons\/priorities\/highest\.svg$/);
    const type = await call(fake.url, '/rest/api/2/issuetype/10100');
    expect(type.json.name).toBe('Service Request');
    const project = await call(fake.url, '/rest/api/2/project/SUP');
    expect(project.json).toMatchObject({ id: '10000', key: 'SUP', projectTypeKey: 'service_desk' });
    expect(project.json.issueTypes).toHaveLength(4);
    const unknown = await call(fake.url, '/rest/api/2/project/NOPE');
    expect(unknown.status).toBe(404);
  });

  it('hides projects from portal customers with a 404', async () => {
    const customer = basic(CUSTOMER_EMAIL, CUSTOMER_TOKEN);
    const project = await call(fake.url, '/rest/api/2/project/SUP', { auth: customer });
    expect(project.status).toBe(404);
    expect(project.json.errorMessages).toEqual(["No project could be found with key 'SUP'."]);
    const list = await call(fake.url, '/rest/api/2/project', { auth: customer });
    expect(list.json).toEqual([]);
  });
});
