import type { FakeJira } from './server';
import { CUSTOMER_EMAIL } from './seed';
import { BOT_AUTH, call, createIssue, startTestFake } from './spec-helpers';

const OPT_IN = { 'X-ExperimentalApi': 'opt-in' };
const CUSTOMER_ID = 'qm:00000000-0000-0000-0000-00000000000a:00000000-0000-0000-0000-000000000001';

describe('fake Jira Service Management', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.configure({ serviceDeskKeyLookup: false });
  });

  it('lists and gets service desks', async () => {
    const list = await call(fake.url, '/rest/servicedeskapi/servicedesk');
    expect(list.json).toMatchObject({ size: 1, start: 0, limit: 50, isLastPage: true });
    expect(list.json.values[0]).toMatchObject({ id: '1', projectId: '10000', projectKey: 'SUP', projectName: 'Support' });
    const single = await call(fake.url, '/rest/servicedeskapi/servicedesk/1');
    expect(single.json.projectKey).toBe('SUP');
  });

  it('fails on a project key like Service Desk 4.7', async () => {
    const result = await call(fake.url, '/rest/servicedeskapi/servicedesk/SUP');
    expect(result.status).toBe(500);
    expect(result.json.errorMessage).toContain('java.lang.NumberFormatException');
    expect(result.json.i18nErrorMessage).toEqual({ i18nKey: expect.any(String), parameters: [] });
    fake.configure({ serviceDeskKeyLookup: true });
    expect((await call(fake.url, '/rest/servicedeskapi/servicedesk/SUP')).json.id).toBe('1');
  });

  it('lists request types and their fields', async () => {
    const types = await call(fake.url, '/rest/servicedeskapi/servicedesk/1/requesttype');
    const incident = types.json.values.find((type: { name: string }) => type.name === 'Report a system problem');
    expect(incident).toMatchObject({ id: '2', issueTypeId: '10101', serviceDeskId: '1', groupIds: ['1'] });
    const issueType = await call(fake.url, `/rest/api/2/issuetype/${incident.issueTypeId}`);
    expect(issueType.json.name).toBe('Incident');
    const fields = await call(fake.url, '/rest/servicedeskapi/servicedesk/1/requesttype/2/field', { headers: OPT_IN });
    expect(fields.json.canRaiseOnBehalfOf).toBe(true);
    const byId = Object.fromEntries(fields.json.requestTypeFields.map((field: { fieldId: string }) => [field.fieldId, field]));
    expect(byId.summary).toMatchObject({ required: true, jiraSchema: { type: 'string', system: 'summary' } });
    expect(byId.priority.validValues[0]).toEqual({ value: '1', label: 'Highest', children: [] });
    expect(Object.values(byId).some((field: any) => field.name === 'Impact')).toBe(true);
  });

  it('serves old request types without issueTypeId', async () => {
    fake.configure({ requestTypesWithoutIssueTypeId: true });
    try {
      const types = await call(fake.url, '/rest/servicedeskapi/servicedesk/1/requesttype');
      expect(types.json.values[0].issueTypeId).toBeUndefined();
      const legacy = await call(fake.url, '/rest/servicedesk/1/servicedesk/sup/groups/1/request-types', { headers: OPT_IN });
      expect(legacy.status).toBe(200);
      expect(legacy.json[0]).toMatchObject({ id: 1, name: 'Get IT help', issueType: 10100 });
    } finally {
      fake.configure({ requestTypesWithoutIssueTypeId: false });
    }
    expect((await call(fake.url, '/rest/servicedesk/1/servicedesk/sup/groups/1/request-types')).status).toBe(404);
  });

  it('creates a request on behalf of a customer', async () => {
    const created = await call(fake.url, '/rest/servicedeskapi/request', {
      method: 'POST',
      headers: OPT_IN,
      body: {
        serviceDeskId: '1',
        requestTypeId: '1',
        requestFieldValues: { summary: 'VPN not reachable', description: 'Since 09:00.', priority: { name: 'High' } },
        raiseOnBehalfOf: CUSTOMER_ID,
        requestParticipants: ['5b10ac8d82e05b22cc7d0003'],
        isAdfRequest: false,
      },
    });
    expect(created.status).toBe(201);
    const body = created.json;
    expect(body).toMatchObject({ issueId: '10000', issueKey: 'SUP-1', requestTypeId: '1', serviceDeskId: '1' });
    expect(body.createdDate.jira).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
    expect(body.createdDate.epochMillis).toEqual(expect.any(Number));
    expect(body.reporter).toMatchObject({ accountId: CUSTOMER_ID, emailAddress: CUSTOMER_EMAIL });
    expect(body.requestFieldValues[1]).toMatchObject({ fieldId: 'description', renderedValue: { html: '<p>Since 09:00.</p>' } });
    expect(body.currentStatus).toMatchObject({ status: 'Open', statusCategory: 'NEW' });
    expect(body._links.jiraRest).toBe(`${fake.url}/rest/api/2/issue/10000`);

    const issue = await call(fake.url, '/rest/api/2/issue/SUP-1');
    const fieldIds = Object.fromEntries((await call(fake.url, '/rest/api/2/field')).json.map((f: { name: string; id: string }) => [f.name, f.id]));
    expect(issue.json.fields.priority.name).toBe('High');
    expect(issue.json.fields[fieldIds['Request participants']][0].displayName).toBe('Agent Two');
    expect(issue.json.fields[fieldIds['Request Type']].requestType.name).toBe('Get IT help');
  });

  it('rejects a field hidden on the request type', async () => {
    const impact = (await call(fake.url, '/rest/api/2/field')).json.find((f: { name: string }) => f.name === 'Impact').id;
    const result = await call(fake.url, '/rest/servicedeskapi/request', {
      method: 'POST',
      body: { serviceDeskId: '1', requestTypeId: '1', requestFieldValues: { summary: 's', [impact]: 'Large' } },
    });
    expect(result.status).toBe(400);
    expect(result.json.errorMessage).toContain(impact);
  });

  it('accepts labels only when request forms show them', async () => {
    const body = { serviceDeskId: '1', requestTypeId: '1', requestFieldValues: { summary: 's', labels: ['marker-1'] } };
    const hidden = await call(fake.url, '/rest/servicedeskapi/request', { method: 'POST', headers: OPT_IN, body });
    expect(hidden.status).toBe(400);
    expect(hidden.json.errorMessage).toContain("'labels'");

    fake.configure({ labelsOnRequestForms: true });
    try {
      const fields = await call(fake.url, '/rest/servicedeskapi/servicedesk/1/requesttype/1/field', { headers: OPT_IN });
      expect(fields.json.requestTypeFields.map((field: { fieldId: string }) => field.fieldId)).toContain('labels');
      const created = await call(fake.url, '/rest/servicedeskapi/request', { method: 'POST', headers: OPT_IN, body });
      expect(created.status).toBe(201);
      expect((await call(fake.url, `/rest/api/2/issue/${created.json.issueKey}?fields=labels`)).json.fields.labels).toEqual(['marker-1']);
    } finally {
      fake.configure({ labelsOnRequestForms: false });
    }
  });

  it('adds participants in a second call', async () => {
    const key = await createIssue(fake);
    const added = await call(fake.url, `/rest/servicedeskapi/request/${key}/participant`, { method: 'POST', headers: OPT_IN, body: { accountIds: [CUSTOMER_ID] } });
    expect(added.status).toBe(200);
    expect(added.json.values.map((user: { accountId: string }) => user.accountId)).toEqual([CUSTOMER_ID]);
    const listed = await call(fake.url, `/rest/servicedeskapi/request/${key}/participant`);
    expect(listed.json.size).toBe(1);
    const unknown = await call(fake.url, `/rest/servicedeskapi/request/${key}/participant`, { method: 'POST', body: { accountIds: ['nobody'] } });
    expect(unknown.status).toBe(400);
  });

  it('creates a customer with the opt-in header', async () => {
    const missing = await call(fake.url, '/rest/servicedeskapi/customer', { method: 'POST', body: { email: 'jane@example.com', displayName: 'Jane Doe' } });
    expect(missing.status).toBe(400);
    expect(missing.json.errorMessage).toContain('X-ExperimentalApi');
    const created = await call(fake.url, '/rest/servicedeskapi/customer', { method: 'POST', headers: OPT_IN, body: { email: 'jane@example.com', displayName: 'Jane Doe' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ emailAddress: 'jane@example.com', displayName: 'Jane Doe', active: true });
    expect(created.json.accountId).toMatch(/^qm:/);
    const again = await call(fake.url, '/rest/servicedeskapi/customer', { method: 'POST', headers: OPT_IN, body: { email: 'jane@example.com', displayName: 'Jane Doe' } });
    expect(again.status).toBe(400);
    const found = await call(fake.url, '/rest/api/2/user/search?query=jane@example.com&includeActive=true&includeInactive=true');
    expect(found.json.map((user: { accountId: string }) => user.accountId)).toEqual([created.json.accountId]);
  });

  it('hides private e-mail addresses from search', async () => {
    const hidden = await call(fake.url, '/rest/api/2/user/search?query=private@example.com');
    expect(hidden.json).toEqual([]);
    const created = await call(fake.url, '/rest/servicedeskapi/customer', { method: 'POST', headers: OPT_IN, body: { email: 'private@example.com', displayName: 'P' } });
    expect(created.status).toBe(400);
  });

  it('finds inactive users only on request', async () => {
    expect((await call(fake.url, '/rest/api/2/user/search?query=former@example.com')).json).toEqual([]);
    const inactive = await call(fake.url, '/rest/api/2/user/search?query=former@example.com&includeInactive=true');
    expect(inactive.json).toHaveLength(1);
    expect(inactive.json[0].active).toBe(false);
  });

  it('rejects username search on Cloud', async () => {
    const result = await call(fake.url, '/rest/api/2/user/search?username=agent');
    expect(result.status).toBe(400);
    expect(result.json.errorMessages).toEqual(["The query parameter 'username' is not supported in GDPR strict mode."]);
  });

  it('lists assignable users', async () => {
    const single = await call(fake.url, '/rest/api/2/user/assignable/search?project=SUP');
    expect(single.json.map((user: { displayName: string }) => user.displayName)).toEqual(['Agent One', 'Agent Two']);
    const multi = await call(fake.url, '/rest/api/2/user/assignable/multiProjectSearch?projectKeys=SUP&maxResults=1');
    expect(multi.json).toHaveLength(1);
  });

  it('links issues', async () => {
    const first = await createIssue(fake);
    const second = await createIssue(fake);
    const link = await call(fake.url, '/rest/api/2/issueLink', { method: 'POST', body: { type: { name: 'Relates' }, inwardIssue: { key: first }, outwardIssue: { key: second } } });
    expect(link.status).toBe(201);
    const issue = await call(fake.url, `/rest/api/2/issue/${first}?fields=issuelinks`);
    expect(issue.json.fields.issuelinks[0]).toMatchObject({ type: { name: 'Relates' }, outwardIssue: { key: second } });
    const badType = await call(fake.url, '/rest/api/2/issueLink', { method: 'POST', body: { type: { name: 'Nope' }, inwardIssue: { key: first }, outwardIssue: { key: second } } });
    expect(badType.status).toBe(404);
  });

  it('manages organizations', async () => {
    const created = await call(fake.url, '/rest/servicedeskapi/organization', { method: 'POST', body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await call(fake.url, `/rest/servicedeskapi/organization/${id}/user`, { method: 'POST', body: { accountIds: [CUSTOMER_ID] } })).status).toBe(204);
    const members = await call(fake.url, `/rest/servicedeskapi/organization/${id}/user`);
    expect(members.json.values[0].accountId).toBe(CUSTOMER_ID);
    expect((await call(fake.url, '/rest/servicedeskapi/servicedesk/1/organization', { method: 'POST', body: { organizationId: Number(id) } })).status).toBe(204);
    expect((await call(fake.url, '/rest/servicedeskapi/servicedesk/1/organization')).json.values[0].name).toBe('Acme');
  });

  it('moves a request through customer transitions', async () => {
    const key = await createIssue(fake);
    const transitions = await call(fake.url, `/rest/servicedeskapi/request/${key}/transition`);
    expect(transitions.json.values).toEqual([{ id: '31', name: 'Cancel request' }]);
    const done = await call(fake.url, `/rest/servicedeskapi/request/${key}/transition`, { method: 'POST', body: { id: '31', additionalComment: { body: 'No longer needed.' } } });
    expect(done.status).toBe(204);
    const request = await call(fake.url, `/rest/servicedeskapi/request/${key}?expand=sla`);
    expect(request.json.currentStatus).toMatchObject({ status: 'Cancelled', statusCategory: 'DONE' });
    expect(request.json.sla.values).toHaveLength(2);
    const history = await call(fake.url, `/rest/servicedeskapi/request/${key}/status`);
    expect(history.json.values.map((entry: { status: string }) => entry.status)).toEqual(['Cancelled', 'Open']);
  });

  it('attaches temporary files to a request', async () => {
    const key = await createIssue(fake);
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="screen.png"\r\nContent-Type: image/png\r\n\r\n`),
      Buffer.from([137, 80, 78, 71]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await fetch(`${fake.url}/rest/servicedeskapi/servicedesk/1/attachTemporaryFile`, {
      method: 'POST',
      headers: { Authorization: BOT_AUTH, 'X-Atlassian-Token': 'no-check', 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(upload.status).toBe(201);
    const temporary = ((await upload.json()) as { temporaryAttachments: Array<{ temporaryAttachmentId: string; fileName: string }> }).temporaryAttachments;
    expect(temporary[0].fileName).toBe('screen.png');
    const attached = await call(fake.url, `/rest/servicedeskapi/request/${key}/attachment`, {
      method: 'POST',
      body: { temporaryAttachmentIds: [temporary[0].temporaryAttachmentId], public: false, additionalComment: { body: 'See screenshot' } },
    });
    expect(attached.status).toBe(201);
    expect(attached.json.comment.public).toBe(false);
    expect(attached.json.attachments.values[0]).toMatchObject({ filename: 'screen.png', size: 4, mimeType: 'image/png' });
    const reused = await call(fake.url, `/rest/servicedeskapi/request/${key}/attachment`, { method: 'POST', body: { temporaryAttachmentIds: [temporary[0].temporaryAttachmentId] } });
    expect(reused.status).toBe(400);
  });
});

describe('fake Jira Service Management on Data Center', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake({ flavour: 'datacenter' });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('asks for username in user search', async () => {
    const result = await call(fake.url, '/rest/api/2/user/search?query=agent');
    expect(result.status).toBe(400);
    expect(result.json.errorMessages).toEqual(['The username query parameter was not provided']);
    const found = await call(fake.url, '/rest/api/2/user/search?username=agent@example.com');
    expect(found.json[0]).toMatchObject({ name: 'agent', key: 'JIRAUSER10100' });
  });

  it('creates a customer from fullName', async () => {
    const created = await call(fake.url, '/rest/servicedeskapi/customer', { method: 'POST', headers: OPT_IN, body: { email: 'dc@example.com', fullName: 'Dee Cee' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'dc@example.com', displayName: 'Dee Cee' });
  });

  it('adds participants by username', async () => {
    const key = await createIssue(fake);
    const added = await call(fake.url, `/rest/servicedeskapi/request/${key}/participant`, { method: 'POST', body: { usernames: ['customer'] } });
    expect(added.status).toBe(200);
    expect(added.json.values[0].name).toBe('customer');
  });
});
