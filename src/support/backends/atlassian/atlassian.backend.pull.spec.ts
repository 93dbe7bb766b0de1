import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CUSTOMER_EMAIL, CUSTOMER_TOKEN, startFakeJira, type FakeJira } from '../../../../test/fakes/jira';
import { createCustomer, createProject, createUser } from '../../../../test/support/factories';
import { clearSupportTables, createJiraBackend, createJiraIssue, JiraBackendUnderTest, mapJiraStatuses } from '../../../../test/support/jira-backend';
import { createTestDataSource, TestDataSource } from '../../../../test/support/test-data-source';
import { FailedDependencyException } from '../../../common/errors/app.exception';
import type { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { Issue } from '../../issues/issue.entity';
import { Priority } from '../../priorities/priority.entity';
import { RequestType } from '../../request-types/request-type.entity';
import { Resource } from '../../resources/resource.entity';
import { SupportUser } from '../../support-users/support-user.entity';


// The adapter logs its retries and adoptions; outside an app that would go to the console.
beforeAll(() => Logger.overrideLogger(false));

describe.each(['cloud', 'datacenter'] as const)('Atlassian backend pulls on %s', (flavour) => {
  let db: TestDataSource;
  let dataSource: DataSource;
  let fake: FakeJira;
  let jira: JiraBackendUnderTest;
  let caller: User;

  beforeAll(async () => {
    db = await createTestDataSource();
    dataSource = db.dataSource;
    await mapJiraStatuses(dataSource);
    fake = await startFakeJira({ flavour });
  });

  afterAll(async () => {
    await fake.close();
    await db.close();
  });

  beforeEach(async () => {
    fake.reset();
    await clearSupportTables(dataSource);
    jira = createJiraBackend(fake, dataSource, { feedbackEnabled: true });
    caller = (await createUser(dataSource, { fullName: 'Jane Doe', email: `jane-${Date.now()}@example.com` })).user;
  });

  afterEach(async () => {
    await jira.backend.closeConnections();
  });

  async function pushedIssue(fields: Partial<Issue> = {}): Promise<Issue> {
    const issue = await createJiraIssue(dataSource, caller, fields);
    const remote = await dataSource.transaction((manager) => jira.backend.createIssue(issue, manager));
    await dataSource.getRepository(Issue).update({ id: issue.id }, remote);
    return dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
  }

  async function sync(issue: Issue): Promise<Issue> {
    await dataSource.transaction((manager) => jira.backend.syncIssue(issue, manager));
    return dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
  }

  function comments(issue: Issue): Promise<Comment[]> {
    return dataSource.getRepository(Comment).find({ where: { issueId: issue.id }, order: { id: 'ASC' }, relations: { author: true } });
  }

  it('copies public and internal agent comments with their visibility', async () => {
    const issue = await pushedIssue();
    fake.comment({ issue: 'SUP-1', body: 'Please restart the router.' });
    fake.comment({ issue: 'SUP-1', body: 'Customer seems confused.', internal: true });

    await sync(issue);

    const rows = await comments(issue);
    expect(rows.map((row) => [row.description, row.isPublic, row.author.name, row.backendName])).toEqual([
      ['Please restart the router.', true, 'Agent One', 'atlassian'],
      ['Customer seems confused.', false, 'Agent One', 'atlassian'],
    ]);
    const records = fake.commentRecords('SUP-1');
    expect(rows.map((row) => row.backendId)).toEqual(records.map((record) => record.id));
  });

  it('removes U+0000 from texts and file names it pulls', async () => {
    const issue = await pushedIssue();
    fake.edit({ issue: 'SUP-1', fields: { summary: 'VPN\u0000 is down' } });
    fake.comment({ issue: 'SUP-1', body: 'Please\u0000 restart.' });
    fake.attach({ issue: 'SUP-1', filename: 'trace\u0000.log', content: 'line' });

    expect(await jira.backend.pullIssue(issue)).toMatchObject({ status: 'applied' });

    expect((await dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id })).summary).toBe('VPN is down');
    expect((await comments(issue)).map((row) => row.description)).toEqual(['Please restart.']);
    expect((await dataSource.getRepository(Attachment).findBy({ issueId: issue.id })).map((row) => row.fileName)).toEqual(['trace.log']);
  });

  it('makes comments restricted to a role or group internal', async () => {
    const issue = await pushedIssue();
    const agent = `Basic ${Buffer.from('agent@example.com:fake-agent-token').toString('base64')}`;
    for (const [body, visibility] of [
      ['For the team only', { type: 'role', value: 'Service Desk Team' }],
      ['For the group only', { type: 'group', value: 'jira-servicedesk-users' }],
    ] as const) {
      const response = await fetch(`${fake.url}/rest/api/2/issue/SUP-1/comment`, {
        method: 'POST',
        headers: { Authorization: agent, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body, visibility }),
      });
      expect(response.status).toBe(201);
    }

    await sync(issue);

    expect((await comments(issue)).map((row) => [row.description, row.isPublic])).toEqual([
      ['For the team only', false],
      ['For the group only', false],
    ]);
  });

  it('keeps a bracketed prefix that an agent wrote', async () => {
    const issue = await pushedIssue();
    fake.comment({ issue: 'SUP-1', body: '[URGENT]: restart the router' });

    await sync(issue);

    expect((await comments(issue)).map((row) => row.description)).toEqual(['[URGENT]: restart the router']);
  });

  it('keeps our pushed text when another account wrote the comment', async () => {
    const issue = await pushedIssue();
    const record = fake.comment({ issue: 'SUP-1', body: '[Jane Doe]: Pushed by the former account' });
    const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
    await dataSource.getRepository(Comment).save({
      issueId: issue.id,
      authorId: author.id,
      description: 'Pushed by the former account',
      isPublic: true,
      backendName: 'atlassian',
      backendId: record.id,
    });

    await sync(issue);

    expect((await comments(issue)).map((row) => row.description)).toEqual(['Pushed by the former account']);
  });

  it('adds nothing the second time', async () => {
    const issue = await pushedIssue();
    fake.comment({ issue: 'SUP-1', body: 'One' });
    fake.attach({ issue: 'SUP-1', filename: 'log.txt', content: 'line' });
    await sync(issue);
    await sync(issue);
    expect(await comments(issue)).toHaveLength(1);
    expect(await dataSource.getRepository(Attachment).countBy({ issueId: issue.id })).toBe(1);
    expect(jira.store.files.size).toBe(1);
  });

  it('follows comment edits and deletions', async () => {
    const issue = await pushedIssue();
    const first = fake.comment({ issue: 'SUP-1', body: 'Draft' });
    fake.comment({ issue: 'SUP-1', body: 'Temporary' });
    await sync(issue);
    const second = fake.commentRecords('SUP-1')[1];
    fake.editComment({ issue: 'SUP-1', commentId: first.id, body: 'Final' });
    fake.deleteComment({ issue: 'SUP-1', commentId: second.id });

    await sync(issue);

    expect((await comments(issue)).map((row) => row.description)).toEqual(['Final']);
  });

  it('claims its own pushed comment instead of copying it', async () => {
    const issue = await pushedIssue();
    const author = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' });
    const local = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: author.id, description: 'Mine', isPublic: true, backendName: 'atlassian' });
    const { backendId } = await jira.backend.createComment(local, issue, dataSource.manager);

    await sync(issue);

    const rows = await comments(issue);
    expect(rows.map((row) => [row.id, row.backendId, row.description])).toEqual([[local.id, backendId, 'Mine']]);
  });

  it('downloads agent attachments into storage and removes deleted ones', async () => {
    const issue = await pushedIssue();
    const record = fake.attach({ issue: 'SUP-1', filename: 'Überprüfung.txt', content: 'all good', mimeType: 'text/plain' });

    await sync(issue);

    const [attachment] = await dataSource.getRepository(Attachment).find({ where: { issueId: issue.id }, relations: { author: true } });
    expect(attachment).toMatchObject({ backendId: record.id, backendName: 'atlassian', fileName: 'Überprüfung.txt', mimeType: 'text/plain', fileSize: 8, fromBackend: true });
    expect(attachment.author?.name).toBe('Agent One');
    expect(jira.store.read(attachment.storageKey!).toString()).toBe('all good');

    await fetch(`${fake.url}/rest/api/2/attachment/${record.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${Buffer.from('agent@example.com:fake-agent-token').toString('base64')}` },
    });
    await sync(issue);

    expect(await dataSource.getRepository(Attachment).countBy({ issueId: issue.id })).toBe(0);
    expect(jira.store.deleted).toEqual([attachment.storageKey]);
  });

  it('skips excluded attachment types', async () => {
    jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: 'exe' } });
    const issue = await pushedIssue();
    fake.attach({ issue: 'SUP-1', filename: 'setup.exe', content: 'MZ' });
    await sync(issue);
    expect(await dataSource.getRepository(Attachment).countBy({ issueId: issue.id })).toBe(0);
  });

  it('marks the issue resolved and opens feedback when an agent resolves it', async () => {
    const issue = await pushedIssue();
    fake.assign({ issue: 'SUP-1', assignee: 'agent.two@example.com' });
    fake.transition({ issue: 'SUP-1', transition: 'Resolve', resolution: 'Done' });

    const pulled = await sync(issue);

    const record = fake.issueRecord('SUP-1')!;
    expect(pulled).toMatchObject({ status: 'Resolved', resolution: 'Done', key: 'SUP-1' });
    expect(pulled.resolutionDate?.getTime()).toBe(record.resolutionDate);
    expect(pulled.feedbackRequestedAt).toBeInstanceOf(Date);
    const assignee = await dataSource.getRepository(SupportUser).findOneByOrFail({ id: pulled.assigneeId! });
    expect(assignee.name).toBe('Agent Two');
  });

  it('asks no feedback when Jira says No', async () => {
    const issue = await pushedIssue();
    fake.edit({ issue: 'SUP-1', fields: { 'Request feedback': { value: 'No' } } });
    fake.transition({ issue: 'SUP-1', transition: 'Resolve' });
    const pulled = await sync(issue);
    expect(pulled).toMatchObject({ status: 'Resolved', feedbackRequest: false, feedbackRequestedAt: null });
  });

  it('reopening clears the resolution', async () => {
    const issue = await pushedIssue();
    fake.transition({ issue: 'SUP-1', transition: 'Resolve' });
    await sync(issue);
    fake.transition({ issue: 'SUP-1', transition: 'Reopen' });
    const pulled = await sync(issue);
    expect(pulled).toMatchObject({ status: 'Open', resolution: '', resolutionDate: null });
  });

  it('copies summary, description, priority and impact edits', async () => {
    const issue = await pushedIssue();
    fake.edit({ issue: 'SUP-1', fields: { summary: 'VPN down in office B', description: 'Worse now', priority: { name: 'Highest' }, Impact: 'Everyone' } });
    const pulled = await sync(issue);
    expect(pulled).toMatchObject({ summary: 'VPN down in office B', description: 'Worse now', priority: 'Highest', impact: 'Everyone' });
  });

  it('follows waldur_backend_id into the resource backend id', async () => {
    const customer = await createCustomer(dataSource);
    const project = await createProject(dataSource, customer);
    const resource = await dataSource.getRepository(Resource).save({ name: 'vm-1', projectId: project.id, backendId: 'old' });
    const issue = await pushedIssue({ customerId: customer.id, projectId: project.id, resourceId: resource.id });
    fake.edit({ issue: 'SUP-1', fields: { waldur_backend_id: 'vm-new-42' } });

    await sync(issue);

    expect((await dataSource.getRepository(Resource).findOneByOrFail({ id: resource.id })).backendId).toBe('vm-new-42');
  });

  it('leaves the resource alone when field mapping is off', async () => {
    jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED: false } });
    const customer = await createCustomer(dataSource);
    const project = await createProject(dataSource, customer);
    const resource = await dataSource.getRepository(Resource).save({ name: 'vm-1', projectId: project.id, backendId: 'old' });
    const issue = await pushedIssue({ projectId: project.id, resourceId: resource.id });
    fake.edit({ issue: 'SUP-1', fields: { waldur_backend_id: 'vm-new-42' } });
    await sync(issue);
    expect((await dataSource.getRepository(Resource).findOneByOrFail({ id: resource.id })).backendId).toBe('old');
  });

  it('gone issue: 424 on sync, kept on pull, deleted on a deletion event', async () => {
    const issue = await pushedIssue();
    fake.deleteIssue({ issue: 'SUP-1' });
    await expect(sync(issue)).rejects.toThrow(FailedDependencyException);
    expect(await jira.backend.pullIssue(issue)).toEqual({ status: 'not-found' });
    expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(true);

    expect(await jira.backend.deleteIfGone(issue, 'issue-deleted-event')).toEqual({ status: 'deleted' });
    expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(false);
  });

  it('keeps the issue when the integration user lost access', async () => {
    const issue = await pushedIssue();
    await jira.backend.closeConnections();
    jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_EMAIL: CUSTOMER_EMAIL, ATLASSIAN_TOKEN: CUSTOMER_TOKEN } });

    expect(await jira.backend.pullIssue(issue)).toEqual({ status: 'not-found' });
    expect(await jira.backend.deleteIfGone(issue, 'issue-deleted-event')).toMatchObject({ status: 'kept' });
    expect(await jira.backend.deleteIfGone(issue, 'missing-from-search')).toMatchObject({
      status: 'kept',
      reason: expect.stringContaining('cannot read project SUP'),
    });
    expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(true);
  });

  it('keeps the issue when ATLASSIAN_API_URL is wrong', async () => {
    const issue = await pushedIssue();
    await jira.backend.closeConnections();
    jira = createJiraBackend(fake, dataSource, { settings: { ATLASSIAN_API_URL: `${fake.url}/elsewhere` } });

    expect(await jira.backend.pullIssue(issue)).toEqual({ status: 'not-found' });
    expect(await jira.backend.deleteIfGone(issue, 'issue-deleted-event')).toMatchObject({ status: 'kept' });
    expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(true);
  });

  it('keeps an issue that the search still finds by its marker label', async () => {
    const issue = await pushedIssue();
    fake.configure({ searchVisibilityDelayMs: 60_000 });
    try {
      fake.deleteIssue({ issue: 'SUP-1' });

      expect(await jira.backend.deleteIfGone(issue, 'missing-from-search')).toMatchObject({
        status: 'kept',
        reason: expect.stringContaining('still finds Jira issue SUP-1'),
      });
      expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(true);
      expect(await jira.backend.deleteIfGone(issue, 'issue-deleted-event')).toEqual({ status: 'deleted' });
    } finally {
      fake.configure({ searchVisibilityDelayMs: 0 });
    }
  });

  it('keeps the issue when Jira cannot be reached', async () => {
    const issue = await pushedIssue();
    fake.addFault({ path: '/rest/api/2/issue/**', status: 503 });
    await expect(jira.backend.pullIssue(issue)).rejects.toMatchObject({ status: 503 });
    expect(await dataSource.getRepository(Issue).existsBy({ id: issue.id })).toBe(true);
  });

  it('finds issues changed since a watermark', async () => {
    const first = await pushedIssue();
    await pushedIssue({ summary: 'Second' });
    const page = await jira.backend.puller.changedSince(new Date(Date.now() - 60_000), 60_000);
    expect(page.issues.map((issue) => issue.key)).toEqual(['SUP-1', 'SUP-2']);
    expect(page.issues[0].remoteId).toBe(first.backendId);
    expect(page.newWatermark).toBeInstanceOf(Date);
    const search = fake.requests().filter((request) => /\/search(\/jql)?$/.test(request.path)).at(-1)!;
    expect(search.path).toBe(flavour === 'cloud' ? '/rest/api/2/search/jql' : '/rest/api/2/search');
    expect(search.query.jql).toMatch(/^project = "SUP" AND updated >= "\d{4}-\d{2}-\d{2} \d{2}:\d{2}" ORDER BY updated ASC$/);
  });

  it('pulls agents, priorities and request types', async () => {
    await jira.backend.pullSupportUsers();
    await jira.backend.pullPriorities();
    await jira.backend.pullRequestTypes();

    const agents = await dataSource.getRepository(SupportUser).find({ where: { backendName: 'atlassian', isActive: true }, order: { name: 'ASC' } });
    expect(agents.map((agent) => agent.name)).toEqual(['Agent One', 'Agent Two']);
    const priorities = await dataSource.getRepository(Priority).find({ where: { backendName: 'atlassian' }, order: { backendId: 'ASC' } });
    expect(priorities.map((priority) => priority.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    const types = await dataSource.getRepository(RequestType).find({ where: { backendName: 'atlassian' }, order: { backendId: 'ASC' } });
    expect(types.map((type) => [type.backendId, type.name, type.issueTypeName])).toEqual([
      [1, 'Get IT help', 'Service Request'],
      [2, 'Report a system problem', 'Incident'],
      [3, 'Request a change', 'Change Request'],
      [4, 'Ask a question', 'Informational'],
    ]);
  });

  it('deactivates agents Jira no longer lists but keeps linked accounts', async () => {
    await pushedIssue();
    const gone = await dataSource.getRepository(SupportUser).save({ name: 'Former Agent', backendName: 'atlassian', backendId: 'gone-1', isActive: true });
    await jira.backend.pullSupportUsers();
    expect((await dataSource.getRepository(SupportUser).findOneByOrFail({ id: gone.id })).isActive).toBe(false);
    expect((await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'atlassian' })).isActive).toBe(true);
  });
});

describe('Atlassian backend pulls of old Service Desk request types', () => {
  it('reads issue types from the private request-type list', async () => {
    const db = await createTestDataSource();
    const fake = await startFakeJira({ flavour: 'datacenter', requestTypesWithoutIssueTypeId: true });
    const jira = createJiraBackend(fake, db.dataSource);
    try {
      await jira.backend.pullRequestTypes();
      const types = await db.dataSource.getRepository(RequestType).find({ where: { backendName: 'atlassian' }, order: { backendId: 'ASC' } });
      expect(types.map((type) => type.issueTypeName)).toEqual(['Service Request', 'Incident', 'Change Request', 'Informational']);
      expect(fake.requests().some((request) => request.path === '/rest/servicedesk/1/servicedesk/sup/groups/1/request-types')).toBe(true);
    } finally {
      await jira.backend.closeConnections();
      await fake.close();
      await db.close();
    }
  });
});
