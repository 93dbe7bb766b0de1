import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, startFakeJira, type FakeJira, type LoggedRequest } from '../../../../test/fakes/jira';
import { createCustomer, createProject, createUser } from '../../../../test/support/factories';
import { clearSupportTables, createJiraBackend, createJiraIssue, JiraBackendUnderTest } from '../../../../test/support/jira-backend';
import { createTestDataSource, TestDataSource } from '../../../../test/support/test-data-source';
import { FailedDependencyException, ValidationFailedException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { Feedback } from '../../feedback/feedback.entity';
import { Issue } from '../../issues/issue.entity';
import { Resource } from '../../resources/resource.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { Template } from '../../templates/template.entity';

/** Custom field ids of the fake by name, read from its field list as the adapter reads them. */
async function customFieldIds(fake: FakeJira): Promise<Map<string, string>> {
  const response = await fetch(`${fake.url}/rest/api/2/field`, { headers: { Authorization: `Basic ${Buffer.from(`${INTEGRATION_EMAIL}:${INTEGRATION_TOKEN}`).toString('base64')}` } });
  const fields = (await response.json()) as Array<{ id: string; name: string; custom: boolean }>;
  return new Map(fields.filter((field) => field.custom).map((field) => [field.name, field.id]));
}

function apiCalls(fake: FakeJira): LoggedRequest[] {
  return fake.requests();
}

function calls(fake: FakeJira, method: string, path: string | RegExp): LoggedRequest[] {
  return apiCalls(fake).filter((request) => request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path)));
}


// The adapter logs its retries and adoptions; outside an app that would go to the console.
beforeAll(() => Logger.overrideLogger(false));

describe('Atlassian backend pushes', () => {
  let db: TestDataSource;
  let dataSource: DataSource;
  let fake: FakeJira;
  let jira: JiraBackendUnderTest;
  let caller: User;
  let ids: Map<string, string>;
  const fieldId = (_fake: FakeJira, name: string) => ids.get(name)!;

  beforeAll(async () => {
    db = await createTestDataSource();
    dataSource = db.dataSource;
    fake = await startFakeJira({ flavour: 'cloud' });
    ids = await customFieldIds(fake);
  });

  afterAll(async () => {
    await fake.close();
    await db.close();
  });

  beforeEach(async () => {
    fake.reset();
    await clearSupportTables(dataSource);
    jira = createJiraBackend(fake, dataSource);
    caller = (await createUser(dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe', email: `jane-${Date.now()}@example.com` })).user;
  });

  afterEach(async () => {
    await jira.backend.closeConnections();
  });

  async function pushedIssue(fields: Partial<Issue> = {}): Promise<Issue> {
    const issue = await createJiraIssue(dataSource, caller, fields);
    const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));
    Object.assign(issue, remote);
    await dataSource.getRepository(Issue).save(issue);
    return issue;
  }

  describe('createIssue', () => {
    it('sends a request, its participant and one custom-field edit', async () => {
      const customer = await createCustomer(dataSource, { name: 'Acme Research' });
      const project = await createProject(dataSource, customer, { name: 'Climate Models' });
      const resource = await dataSource.getRepository(Resource).save({ name: 'vm-17', projectId: project.id, backendId: 'old-id' });
      const template = await dataSource.getRepository(Template).save({ name: 'VPN access', description: 'Template text' });
      const issue = await createJiraIssue(dataSource, caller, {
        customerId: customer.id,
        projectId: project.id,
        resourceId: resource.id,
        templateId: template.id,
        impact: 'Large',
        priority: 'High',
      });

      const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));

      const [request] = calls(fake, 'POST', '/rest/servicedeskapi/request');
      expect(request.headers['x-experimentalapi']).toBe('opt-in');
      expect(request.body).toEqual({
        serviceDeskId: '1',
        requestTypeId: '1',
        requestFieldValues: {
          summary: 'VPN is down',
          description: 'Connection times out since 09:00.\nRestarting did not help.',
          priority: { name: 'High' },
        },
      });

      const customerAccount = calls(fake, 'POST', '/rest/servicedeskapi/customer')[0];
      expect(customerAccount.body).toEqual({ email: caller.email, displayName: 'Jane Doe' });
      const accountId = fake.users().find((user) => user.emailAddress === caller.email)!.accountId;
      const [participants] = calls(fake, 'POST', '/rest/servicedeskapi/request/SUP-1/participant');
      expect(participants.body).toEqual({ accountIds: [accountId] });

      const [edit] = calls(fake, 'PUT', '/rest/api/2/issue/SUP-1');
      expect(edit.body).toEqual({
        fields: {
          [fieldId(fake, 'Impact')]: 'Large',
          [fieldId(fake, 'Reporter organization')]: 'Acme Research',
          [fieldId(fake, 'Project')]: 'Climate Models',
          [fieldId(fake, 'Affected resource')]: 'vm-17',
          [fieldId(fake, 'Template')]: 'VPN access',
          [fieldId(fake, 'Caller')]: { accountId },
        },
        update: { labels: [{ add: `deskbridge-${formatUuid(issue.uuid)}` }] },
      });

      const record = fake.issueRecord('SUP-1')!;
      expect(remote).toMatchObject({ backendId: record.id, key: 'SUP-1', backendName: 'atlassian', status: 'Open', priority: 'High', link: `${fake.url}/browse/SUP-1` });
      expect(remote.firstResponseSla).toBeInstanceOf(Date);
      const rendered = fake.renderedIssue('SUP-1') as { fields: Record<string, unknown> };
      expect(rendered.fields[fieldId(fake, 'Reporter organization')]).toBe('Acme Research');
      expect(rendered.fields.labels).toEqual([`deskbridge-${formatUuid(issue.uuid)}`]);
    });

    it('finds an existing Jira account by exact e-mail instead of creating one', async () => {
      const agentLike = (await createUser(dataSource, { email: 'customer@example.com', fullName: 'Customer One' })).user;
      const issue = await createJiraIssue(dataSource, agentLike);
      await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));
      expect(calls(fake, 'POST', '/rest/servicedeskapi/customer')).toHaveLength(0);
      const supportUser = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: agentLike.id, backendName: 'atlassian' });
      expect(supportUser.backendId).toBe('qm:00000000-0000-0000-0000-00000000000a:00000000-0000-0000-0000-000000000001');
    });

    it('reuses the stored customer account for the next issue', async () => {
      await pushedIssue();
      fake.clearRequests();
      await pushedIssue({ summary: 'Second' });
      expect(calls(fake, 'GET', '/rest/api/2/user/search')).toHaveLength(0);
      expect(calls(fake, 'POST', '/rest/servicedeskapi/customer')).toHaveLength(0);
    });

    it('refuses a caller whose Jira accounts are all inactive', async () => {
      const former = (await createUser(dataSource, { email: 'former@example.com' })).user;
      const issue = await createJiraIssue(dataSource, former);
      await expect(dataSource.transaction((manager) => jira.backend.createIssue(issue, manager))).rejects.toThrow(ValidationFailedException);
    });

    it('sets the priority by edit when the request form lacks it', async () => {
      const issue = await createJiraIssue(dataSource, caller, { type: 'Informational', priority: 'Low' });
      await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));
      const [request] = calls(fake, 'POST', '/rest/servicedeskapi/request');
      expect(request.body).toMatchObject({ requestTypeId: '4', requestFieldValues: { summary: 'VPN is down' } });
      expect((request.body as { requestFieldValues: object }).requestFieldValues).not.toHaveProperty('priority');
      const [edit] = calls(fake, 'PUT', '/rest/api/2/issue/SUP-1');
      expect((edit.body as { fields: object }).fields).toMatchObject({ priority: { name: 'Low' } });
      expect(fake.issueRecord('SUP-1')!.priorityId).toBe('4');
    });

    it('renders the summary and description templates', async () => {
      jira = createJiraBackend(fake, dataSource, {
        settings: { ATLASSIAN_SUMMARY_TEMPLATE: '[{{type}}] {{summary}}', ATLASSIAN_DESCRIPTION_TEMPLATE: '{{description}}\n\nCaller: {{caller_name}} <{{caller_email}}>{{unknown}}' },
      });
      await pushedIssue();
      const [request] = calls(fake, 'POST', '/rest/servicedeskapi/request');
      expect(request.body).toMatchObject({
        requestFieldValues: {
          summary: '[Service Request] VPN is down',
          description: `Connection times out since 09:00.\nRestarting did not help.\n\nCaller: Jane Doe <${caller.email}>`,
        },
      });
    });

    it('skips the custom fields when mapping is off but still marks the issue', async () => {
      jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED: false } });
      const issue = await pushedIssue({ impact: 'Large' });
      const [edit] = calls(fake, 'PUT', '/rest/api/2/issue/SUP-1');
      expect(edit.body).toEqual({ fields: {}, update: { labels: [{ add: `deskbridge-${formatUuid(issue.uuid)}` }] } });
    });

    it('adopts the request a lost response created instead of making a second one', async () => {
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request', dropConnection: true, afterCommit: true, times: 1 });
      const issue = await pushedIssue();
      expect(fake.issueRecords()).toHaveLength(1);
      expect(issue.key).toBe('SUP-1');
      expect(calls(fake, 'POST', '/rest/servicedeskapi/request')).toHaveLength(1);
      expect(calls(fake, 'GET', '/rest/api/2/search/jql').map((request) => request.query.jql)).toEqual([
        `labels = "deskbridge-${formatUuid(issue.uuid)}" ORDER BY created ASC`,
        expect.stringMatching(/^project = "SUP" AND created >= "\d{4}-\d{2}-\d{2} \d{2}:\d{2}" ORDER BY created ASC$/),
      ]);
    });

    it('sends the marker label with the request when its form shows Labels', async () => {
      fake.configure({ labelsOnRequestForms: true });
      try {
        const issue = await pushedIssue();

        const [request] = calls(fake, 'POST', '/rest/servicedeskapi/request');
        expect((request.body as { requestFieldValues: Record<string, unknown> }).requestFieldValues.labels).toEqual([`deskbridge-${formatUuid(issue.uuid)}`]);
        expect(fake.issueRecord('SUP-1')!.labels).toEqual([`deskbridge-${formatUuid(issue.uuid)}`]);
      } finally {
        fake.configure({ labelsOnRequestForms: false });
      }
    });

    it('does not adopt an issue another issue of ours claimed', async () => {
      await pushedIssue();
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request', status: 503, times: 1 });
      const issue = await createJiraIssue(dataSource, caller);
      await expect(dataSource.transaction((manager) => jira.backend.createIssue(issue, manager))).rejects.toMatchObject({ status: 503 });
      expect(fake.issueRecords()).toHaveLength(1);
    });

    it('fails with 424 naming the auth method when the token is wrong', async () => {
      jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_TOKEN: 'wrong' } });
      const issue = await createJiraIssue(dataSource, caller);
      const failure = dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));
      await expect(failure).rejects.toThrow(FailedDependencyException);
      await expect(failure).rejects.toThrow(/e-mail and API token/);
    });

    it('fails with 424 when Jira is not configured', async () => {
      jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_PROJECT_ID: '' } });
      const issue = await createJiraIssue(dataSource, caller);
      await expect(dataSource.transaction((manager) => jira.backend.createIssue(issue, manager))).rejects.toThrow(/ATLASSIAN_PROJECT_ID/);
    });

    it('refuses an issue type no request type maps', async () => {
      const issue = await createJiraIssue(dataSource, caller, { type: 'Problem' });
      await expect(dataSource.transaction((manager) => jira.backend.createIssue(issue, manager))).rejects.toMatchObject({
        fieldErrors: { type: ['No active Jira request type is mapped to the issue type "Problem".'] },
      });
    });
  });

  describe('comments', () => {
    it('posts a public comment through Service Management with the author prefix', async () => {
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Still broken', isPublic: true, backendName: 'atlassian' });
      fake.clearRequests();

      const { backendId } = await jira.backend.createComment(comment, issue, dataSource.manager);

      expect(apiCalls(fake).map((request) => [request.method, request.path, request.body])).toEqual([
        ['POST', `/rest/servicedeskapi/request/${issue.backendId}/comment`, { body: '[Jane Doe]: Still broken', public: true }],
      ]);
      const [record] = fake.commentRecords('SUP-1');
      expect(record.id).toBe(backendId);
      expect(record.body).toBe('[Jane Doe]: Still broken');
    });

    it('posts an internal comment as not public', async () => {
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Staff only', isPublic: false, backendName: 'atlassian' });
      await jira.backend.createComment(comment, issue, dataSource.manager);
      const [record] = fake.commentRecords('SUP-1');
      expect(record.properties['sd.public.comment']).toEqual({ internal: true });
    });

    it('adds the civil number to the author name', async () => {
      await dataSource.getRepository(User).update({ id: caller.id }, { civilNumber: '38001010000' });
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Hi', isPublic: true });
      await jira.backend.createComment(comment, issue, dataSource.manager);
      expect(fake.commentRecords('SUP-1')[0].body).toBe('[Jane Doe 38001010000]: Hi');
    });

    it('edits the text and pushes a visibility change', async () => {
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'First', isPublic: true });
      comment.backendId = (await jira.backend.createComment(comment, issue, dataSource.manager)).backendId!;
      fake.clearRequests();

      await jira.backend.updateComment({ ...comment, description: 'Second', isPublic: false }, issue, dataSource.manager);

      expect(apiCalls(fake).map((request) => [request.method, request.path, request.body])).toEqual([
        ['GET', `/rest/api/2/issue/${issue.backendId}/comment/${comment.backendId}`, undefined],
        ['PUT', `/rest/api/2/issue/${issue.backendId}/comment/${comment.backendId}`, { body: '[Jane Doe]: Second' }],
        ['PUT', `/rest/api/2/comment/${comment.backendId}/properties/sd.public.comment`, { internal: true }],
      ]);
      expect(fake.commentRecords('SUP-1')[0].properties['sd.public.comment']).toEqual({ internal: true });
    });

    it('deletes a comment and ignores one already gone', async () => {
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Bye', isPublic: true });
      comment.backendId = (await jira.backend.createComment(comment, issue, dataSource.manager)).backendId!;
      await jira.backend.deleteComment(comment, issue);
      await jira.backend.deleteComment(comment, issue);
      expect(fake.commentRecords('SUP-1')).toHaveLength(0);
      expect(calls(fake, 'DELETE', /\/comment\//).map((request) => request.status)).toEqual([204, 404]);
    });

    it('adopts a comment whose response was lost', async () => {
      const issue = await pushedIssue();
      const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Once', isPublic: true });
      fake.addFault({ method: 'POST', path: '/rest/servicedeskapi/request/{key}/comment', dropConnection: true, afterCommit: true, times: 1 });
      const { backendId } = await jira.backend.createComment(comment, issue, dataSource.manager);
      expect(fake.commentRecords('SUP-1').map((record) => record.id)).toEqual([backendId]);
    });
  });

  describe('attachments', () => {
    it('uploads a Unicode file name with the XSRF header', async () => {
      const issue = await pushedIssue();
      const attachment = await dataSource.getRepository(Attachment).save({ issueId: issue.id, fileName: 'Überprüfung.pdf', mimeType: 'application/pdf', fileSize: 9 });
      fake.clearRequests();

      const { backendId } = await jira.backend.createAttachment(attachment, issue, Buffer.from('%PDF-1.4\n'), dataSource.manager);

      const [upload] = apiCalls(fake);
      expect(upload.method).toBe('POST');
      expect(upload.path).toBe(`/rest/api/2/issue/${issue.backendId}/attachments`);
      expect(upload.headers['x-atlassian-token']).toBe('no-check');
      expect(upload.multipart).toEqual([{ name: 'file', filename: 'Überprüfung.pdf'.normalize('NFD'), filenameEncoding: 'raw', contentType: 'application/pdf', size: 9 }]);
      expect(fake.attachmentRecords('SUP-1').map((record) => record.id)).toEqual([backendId]);
    });

    it('refuses excluded file types', async () => {
      jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: 'exe, bat' } });
      const issue = await pushedIssue();
      const attachment = await dataSource.getRepository(Attachment).save({ issueId: issue.id, fileName: 'setup.exe', fileSize: 2 });
      await expect(jira.backend.createAttachment(attachment, issue, Buffer.from('MZ'), dataSource.manager)).rejects.toThrow(ValidationFailedException);
      expect(fake.attachmentRecords('SUP-1')).toHaveLength(0);
    });

    it('adopts an upload whose response was lost', async () => {
      const issue = await pushedIssue();
      const attachment = await dataSource.getRepository(Attachment).save({ issueId: issue.id, fileName: 'log.txt', mimeType: 'text/plain', fileSize: 5 });
      fake.addFault({ method: 'POST', path: '/rest/api/2/issue/{id}/attachments', status: 502, afterCommit: true, times: 1 });
      const { backendId } = await jira.backend.createAttachment(attachment, issue, Buffer.from('hello'), dataSource.manager);
      expect(fake.attachmentRecords('SUP-1').map((record) => record.id)).toEqual([backendId]);
    });

    it('deletes an attachment and ignores one already gone', async () => {
      const issue = await pushedIssue();
      const attachment = await dataSource.getRepository(Attachment).save({ issueId: issue.id, fileName: 'a.txt', fileSize: 1 });
      attachment.backendId = (await jira.backend.createAttachment(attachment, issue, Buffer.from('a'), dataSource.manager)).backendId!;
      attachment.backendName = 'atlassian';
      await jira.backend.deleteAttachment(attachment);
      await jira.backend.deleteAttachment(attachment);
      expect(fake.attachmentRecords('SUP-1')).toHaveLength(0);
    });
  });

  describe('feedback', () => {
    it('posts the text as an internal comment and sets the satisfaction field', async () => {
      const issue = await pushedIssue();
      const feedback = dataSource.getRepository(Feedback).create({ issueId: issue.id, evaluation: 7, comment: 'Quick and friendly' });
      await dataSource.transaction((manager) => jira.backend.createFeedback(feedback, issue, manager));

      const [record] = fake.commentRecords('SUP-1');
      expect(record.body).toBe('[Jane Doe]: Quick and friendly');
      expect(record.properties['sd.public.comment']).toEqual({ internal: true });
      const local = await dataSource.getRepository(Comment).findOneByOrFail({ issueId: issue.id });
      expect(local).toMatchObject({ isPublic: false, backendId: record.id, description: 'Quick and friendly' });
      const [edit] = calls(fake, 'PUT', `/rest/api/2/issue/${issue.backendId}`);
      expect(edit.body).toEqual({ fields: { [fieldId(fake, 'Customer satisfaction')]: { value: '7' } } });
    });
  });

  describe('issue edits', () => {
    it('pushes summary and description and deletes the issue', async () => {
      const issue = await pushedIssue();
      await jira.backend.updateIssue({ ...issue, summary: 'VPN is down again', description: 'Now worse' } as Issue);
      expect(fake.issueRecord('SUP-1')).toMatchObject({ summary: 'VPN is down again', description: 'Now worse' });
      await jira.backend.deleteIssue(issue);
      await jira.backend.deleteIssue(issue);
      expect(fake.issueRecord('SUP-1')).toBeUndefined();
    });
  });
});

describe('Atlassian backend pushes to Data Center with the old API', () => {
  let db: TestDataSource;
  let dataSource: DataSource;
  let fake: FakeJira;
  let jira: JiraBackendUnderTest;
  let caller: User;

  beforeAll(async () => {
    db = await createTestDataSource();
    dataSource = db.dataSource;
    fake = await startFakeJira({ flavour: 'datacenter' });
  });

  afterAll(async () => {
    await fake.close();
    await db.close();
  });

  beforeEach(async () => {
    fake.reset();
    await clearSupportTables(dataSource);
    jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_USE_OLD_API: true } });
    caller = (await createUser(dataSource, { fullName: 'Jane Doe', email: `jane-${Date.now()}@example.com` })).user;
  });

  afterEach(async () => {
    await jira.backend.closeConnections();
  });

  it('creates a plain Jira issue with the caller in the caller field', async () => {
    const issue = await createJiraIssue(dataSource, caller, { priority: 'High' });
    const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));

    expect(calls(fake, 'GET', '/rest/api/2/user/search')[0].query).toEqual({ username: caller.email });
    expect(calls(fake, 'POST', '/rest/servicedeskapi/customer')[0].body).toEqual({ email: caller.email, fullName: 'Jane Doe' });
    const [create] = calls(fake, 'POST', '/rest/api/2/issue');
    expect(create.body).toEqual({
      fields: {
        project: { key: 'SUP' },
        issuetype: { name: 'Service Request' },
        summary: 'VPN is down',
        description: 'Connection times out since 09:00.\nRestarting did not help.',
        priority: { name: 'High' },
        labels: [`deskbridge-${formatUuid(issue.uuid)}`],
      },
    });
    expect(calls(fake, 'POST', /participant$/)).toHaveLength(0);
    const [edit] = calls(fake, 'PUT', '/rest/api/2/issue/SUP-1');
    expect((edit.body as { fields: Record<string, unknown> }).fields).toMatchObject({ [fieldIdOf(await customFieldIds(fake), 'Caller')]: { name: caller.email } });
    expect(remote).toMatchObject({ key: 'SUP-1', status: 'Open' });
  });

  it('adopts a lost create by its marker label, not by its text', async () => {
    const issue = await createJiraIssue(dataSource, caller);
    const text = jira.backend.creator.render(issue, await jira.backend.creator.loadContext(dataSource.manager, issue));
    fake.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' }, summary: text.summary, description: text.description } });
    fake.addFault({ method: 'POST', path: '/rest/api/2/issue', dropConnection: true, afterCommit: true, times: 1 });

    const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));

    expect(remote.key).toBe('SUP-2');
    expect(fake.issueRecord('SUP-2')!.labels).toEqual([`deskbridge-${formatUuid(issue.uuid)}`]);
    expect(calls(fake, 'POST', '/rest/api/2/issue')).toHaveLength(1);
  });

  it('creates without the label when the create screen lacks it', async () => {
    const issue = await createJiraIssue(dataSource, caller);
    const screenError = { errorMessages: [], errors: { labels: "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown." } };
    fake.addFault({ method: 'POST', path: '/rest/api/2/issue', status: 400, body: screenError, bodyFormat: 'json', times: 1 });

    const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));

    const creates = calls(fake, 'POST', '/rest/api/2/issue').map((request) => (request.body as { fields: Record<string, unknown> }).fields);
    expect(creates.map((fields) => 'labels' in fields)).toEqual([true, false]);
    expect(remote.key).toBe('SUP-1');
    expect(fake.issueRecords()).toHaveLength(1);
    expect(fake.issueRecord('SUP-1')!.labels).toEqual([`deskbridge-${formatUuid(issue.uuid)}`]);
  });

  it('posts comments with the sd.public.comment property', async () => {
    const issue = await createJiraIssue(dataSource, caller);
    Object.assign(issue, await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager)));
    const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
    const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Internal', isPublic: false });
    fake.clearRequests();

    await jira.backend.createComment(comment, issue, dataSource.manager);

    const [request] = fake.requests();
    expect([request.method, request.path, request.body]).toEqual([
      'POST',
      `/rest/api/2/issue/${issue.backendId}/comment`,
      { body: '[Jane Doe]: Internal', properties: [{ key: 'sd.public.comment', value: { internal: true } }] },
    ]);
  });
});

function fieldIdOf(ids: Map<string, string>, name: string): string {
  const id = ids.get(name);
  if (!id) throw new Error(`The fake has no custom field named ${name}`);
  return id;
}
