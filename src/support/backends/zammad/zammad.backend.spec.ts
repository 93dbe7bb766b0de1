import { DataSource } from 'typeorm';

import { FakeZammad, startFakeZammad } from '../../../../test/fakes/zammad';
import { createCustomer, createUser } from '../../../../test/support/factories';
import { createTestDataSource, TestDataSource } from '../../../../test/support/test-data-source';
import {
  clearSupportTables,
  createLocalComment,
  createZammadBackend,
  createZammadIssue,
  ZammadBackendUnderTest,
  zammadSupportUser,
} from '../../../../test/support/zammad-backend';
import { FailedDependencyException } from '../../../common/errors/app.exception';
import { formatUuid } from '../../../common/http/uuid';
import type { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import type { Comment } from '../../comments/comment.entity';
import { Issue, Issue as IssueEntity } from '../../issues/issue.entity';
import { Priority } from '../../priorities/priority.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { ZammadBackend } from './zammad.backend';
import { ZammadError } from './zammad.exception';

function requestBody(fake: FakeZammad, method: string, path: string): unknown[] {
  return fake.requests.list({ method, path }).map((request) => JSON.parse(request.body.toString('utf8')));
}

describe('ZammadBackend pushes', () => {
  let fake: FakeZammad;
  let database: TestDataSource;
  let dataSource: DataSource;
  let subject: ZammadBackendUnderTest;
  let backend: ZammadBackend;
  let caller: User;

  beforeAll(async () => {
    fake = await startFakeZammad();
    database = await createTestDataSource();
    dataSource = database.dataSource;
  });

  afterAll(async () => {
    await fake.close();
    await database.close();
  });

  beforeEach(async () => {
    fake.reset();
    await clearSupportTables(dataSource);
    subject = createZammadBackend(fake, dataSource);
    backend = subject.backend;
    ({ user: caller } = await createUser(dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' }));
  });

  afterEach(async () => {
    await subject.client.close();
  });

  /** Creates the ticket of a new issue and stores the remote fields, as the issue service does. */
  async function pushedIssue(fields: Partial<Issue> = {}): Promise<Issue> {
    const issue = await createZammadIssue(dataSource, caller, fields);
    const remote = await dataSource.transaction((manager) => backend.createIssue(issue, manager));
    Object.assign(issue, remote);
    await dataSource.getRepository(IssueEntity).save(issue);
    return issue;
  }

  describe('createIssue', () => {
    it('sends the ticket with its first article', async () => {
      const issue = await createZammadIssue(dataSource, caller);

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      const [created] = fake.requests.list({ method: 'POST', path: '/api/v1/tickets' });
      const customerId = (fake.data.users().find((user) => user.email === caller.email) as { id: number }).id;
      expect(created.url).toBe('/api/v1/tickets?expand=true');
      expect(JSON.parse(created.body.toString('utf8'))).toEqual({
        title: 'VPN is down',
        group: 'Users',
        customer_id: customerId,
        tags: `Deskbridge,deskbridge-issue-${formatUuid(issue.uuid)}`,
        article: {
          subject: 'VPN is down',
          body: 'Connection times out since 09:00.<br>Restarting did not help.',
          content_type: 'text/html',
          type: 'email',
          internal: false,
          to: caller.email,
        },
      });
    });

    it('returns the remote fields', async () => {
      const issue = await createZammadIssue(dataSource, caller);

      const remote = await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(remote).toEqual({
        backendId: '1',
        backendName: 'zammad',
        key: '77001',
        link: `${fake.url}/#ticket/zoom/1`,
        status: 'new',
        priority: '2 normal',
        firstResponseSla: null,
      });
    });

    it('creates the customer by e-mail', async () => {
      const issue = await createZammadIssue(dataSource, caller);

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(fake.requests.list({ method: 'GET', path: '/api/v1/users/search' })[0].query).toEqual({ query: caller.email, limit: '100' });
      expect(requestBody(fake, 'POST', '/api/v1/users')).toEqual([
        { login: caller.email, email: caller.email, firstname: 'Jane', lastname: 'Doe' },
      ]);
    });

    it('stores the customer id on the support user', async () => {
      const issue = await createZammadIssue(dataSource, caller);

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      const supportUser = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'zammad' });
      const zammadUser = fake.data.users().find((user) => user.email === caller.email) as { id: number };
      expect(supportUser.backendId).toBe(String(zammadUser.id));
    });

    it('reuses the stored customer id', async () => {
      await pushedIssue();
      fake.requests.clear();

      await pushedIssue();

      expect(fake.requests.list({ path: '/api/v1/users/search' })).toHaveLength(0);
      expect(fake.requests.list({ method: 'POST', path: '/api/v1/users' })).toHaveLength(0);
    });

    it('finds an existing customer by exact e-mail', async () => {
      ({ user: caller } = await createUser(dataSource, { email: 'nicole.braun@example.com' }));
      const issue = await createZammadIssue(dataSource, caller);

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(fake.requests.list({ method: 'POST', path: '/api/v1/users' })).toHaveLength(0);
      expect((requestBody(fake, 'POST', '/api/v1/tickets')[0] as { customer_id: number }).customer_id).toBe(4);
    });

    it('puts a new customer into the organisation', async () => {
      const customer = await createCustomer(dataSource, { name: 'Awesome Customer Inc.' });
      const issue = await createZammadIssue(dataSource, caller, { customerId: customer.id });

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect((requestBody(fake, 'POST', '/api/v1/users')[0] as { organization: string }).organization).toBe('Awesome Customer Inc.');
      expect(fake.requests.list({ method: 'POST', path: '/api/v1/organizations' })).toHaveLength(0);
    });

    it('creates a missing organisation', async () => {
      const customer = await createCustomer(dataSource, { name: 'Ünïcode Labs' });
      const issue = await createZammadIssue(dataSource, caller, { customerId: customer.id });

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(requestBody(fake, 'POST', '/api/v1/organizations')).toEqual([{ name: 'Ünïcode Labs' }]);
    });

    it('falls back to guess when search lags', async () => {
      fake.setSearchDelay(60_000);
      await fetch(`${fake.url}/api/v1/users`, {
        method: 'POST',
        headers: { Authorization: `Token token=${fake.tokens.integration}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: caller.email, firstname: 'Jane' }),
      });
      const issue = await createZammadIssue(dataSource, caller);

      await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      const ticket = requestBody(fake, 'POST', '/api/v1/tickets')[0] as { customer_id: string };
      const supportUser = await dataSource.getRepository(SupportUser).findOneByOrFail({ userId: caller.id, backendName: 'zammad' });
      const zammadUser = fake.data.users().find((user) => user.email === caller.email) as { id: number };
      expect(ticket.customer_id).toBe(`guess:${caller.email}`);
      expect(supportUser.backendId).toBe(String(zammadUser.id));
    });

    it('uses the configured group and priority', async () => {
      subject = createZammadBackend(fake, dataSource, { settings: { group: 'Support' } });
      backend = subject.backend;
      const issue = await createZammadIssue(dataSource, caller, { priority: '3 high' });

      const remote = await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(requestBody(fake, 'POST', '/api/v1/tickets')[0]).toMatchObject({ group: 'Support', priority: '3 high' });
      expect(fake.requests.list({ path: '/api/v1/groups' })).toHaveLength(0);
      expect(remote.priority).toBe('3 high');
    });

    it('adopts the ticket of a dropped create', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'drop-after-commit', times: 1 });
      const issue = await createZammadIssue(dataSource, caller);

      const remote = await dataSource.transaction((manager) => backend.createIssue(issue, manager));

      expect(fake.data.tickets()).toHaveLength(1);
      expect(remote.backendId).toBe('1');
      expect(remote.status).toBe('new');
    });

    it('fails when the create never arrived', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'drop-before-handling', times: 1 });
      const issue = await createZammadIssue(dataSource, caller);

      const result = dataSource.transaction((manager) => backend.createIssue(issue, manager));

      await expect(result).rejects.toMatchObject({ kind: 'network', retryable: true });
      expect(fake.data.tickets()).toHaveLength(0);
    });

    it('finds the ticket of an earlier attempt', async () => {
      fake.faults.add({ method: 'POST', path: '/api/v1/tickets', kind: 'latency', latencyMs: 2_500, times: 1 });
      const issue = await createZammadIssue(dataSource, caller);
      const timedOut = dataSource.transaction((manager) => backend.createIssue(issue, manager));
      await expect(timedOut).rejects.toMatchObject({ kind: 'timeout' });
      await new Promise((resolve) => setTimeout(resolve, 700));

      const found = await backend.findTicketFor(issue);

      expect(found?.id).toBe(1);
      expect(fake.data.tickets()).toHaveLength(1);
    });

    it('does not look up after a rejected create', async () => {
      subject = createZammadBackend(fake, dataSource, { settings: { group: 'Nowhere' } });
      backend = subject.backend;
      const issue = await createZammadIssue(dataSource, caller);

      const result = dataSource.transaction((manager) => backend.createIssue(issue, manager));

      await expect(result).rejects.toMatchObject({ status: 422 });
      expect(fake.requests.list({ path: '/api/v1/tickets/search' })).toHaveLength(0);
    });

    it('fails without settings', async () => {
      subject = createZammadBackend(fake, dataSource, { settings: { apiUrl: '', token: '' } });
      const issue = await createZammadIssue(dataSource, caller);

      const result = dataSource.transaction((manager) => subject.backend.createIssue(issue, manager));

      await expect(result).rejects.toThrow(new FailedDependencyException('Zammad is not configured: set ZAMMAD_API_URL and ZAMMAD_TOKEN.'));
    });

    it('names a rejected token', async () => {
      subject = createZammadBackend(fake, dataSource, { settings: { token: 'expired' } });
      const issue = await createZammadIssue(dataSource, caller);

      const result = dataSource.transaction((manager) => subject.backend.createIssue(issue, manager));

      await expect(result).rejects.toThrow(/Check ZAMMAD_TOKEN/);
    });
  });

  describe('updateIssue and deleteIssue', () => {
    it('sends the new title', async () => {
      const issue = await pushedIssue();
      issue.summary = 'VPN is back';

      await backend.updateIssue(issue);

      expect(requestBody(fake, 'PUT', '/api/v1/tickets/1')).toEqual([{ title: 'VPN is back', priority: '2 normal' }]);
      expect(fake.data.ticket(1)?.title).toBe('VPN is back');
    });

    it('deletes the ticket', async () => {
      const issue = await pushedIssue();

      await backend.deleteIssue(issue);

      expect(fake.data.tickets()).toHaveLength(0);
    });

    it('ignores a ticket deleted already', async () => {
      const issue = await pushedIssue();
      await backend.deleteIssue(issue);

      await expect(backend.deleteIssue(issue)).resolves.toBeUndefined();
    });
  });

  describe('createComment', () => {
    let issue: Issue;
    let author: SupportUser;

    beforeEach(async () => {
      issue = await pushedIssue();
      author = await zammadSupportUser(dataSource, caller);
      fake.requests.clear();
    });

    async function push(comment: Comment): Promise<{ backendId?: string }> {
      return dataSource.transaction((manager) => backend.createComment(comment, issue, manager));
    }

    it('sends a marked article', async () => {
      const comment = await createLocalComment(dataSource, issue, author, { description: 'Please restart <the> router.\nThanks' });

      const remote = await push(comment);

      expect(requestBody(fake, 'POST', '/api/v1/ticket_articles')).toEqual([
        {
          ticket_id: 1,
          body: 'Please restart &lt;the&gt; router.<br>Thanks<br><br>Created by Waldur<br><br>User: Jane Doe',
          content_type: 'text/html',
          type: 'email',
          internal: false,
          to: caller.email,
        },
      ]);
      expect(remote.backendId).toBe(String(fake.data.articles(1).at(-1)!.id));
    });

    it('sends a private comment as internal', async () => {
      const comment = await createLocalComment(dataSource, issue, author, { isPublic: false });

      await push(comment);

      expect((requestBody(fake, 'POST', '/api/v1/ticket_articles')[0] as { internal: boolean }).internal).toBe(true);
      expect(fake.data.articles(1).at(-1)!.internal).toBe(true);
    });

    it('adopts the article of a dropped create', async () => {
      const comment = await createLocalComment(dataSource, issue, author);
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'drop-after-commit', times: 1 });

      const remote = await push(comment);

      const articles = fake.data.articles(1);
      expect(articles).toHaveLength(2);
      expect(remote.backendId).toBe(String(articles[1].id));
    });

    it('skips articles other comments claim', async () => {
      const first = await createLocalComment(dataSource, issue, author);
      const firstRemote = await push(first);
      await dataSource.getRepository('Comment').update({ id: first.id }, { backendId: firstRemote.backendId });
      const second = await createLocalComment(dataSource, issue, author);
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'drop-after-commit', times: 1 });

      const secondRemote = await push(second);

      expect(fake.data.articles(1)).toHaveLength(3);
      expect(secondRemote.backendId).not.toBe(firstRemote.backendId);
    });

    it('fails when the article never arrived', async () => {
      const comment = await createLocalComment(dataSource, issue, author);
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'drop-before-handling', times: 1 });

      await expect(push(comment)).rejects.toBeInstanceOf(ZammadError);
      expect(fake.data.articles(1)).toHaveLength(1);
    });

    it('fails for an issue not in Zammad', async () => {
      const local = await createZammadIssue(dataSource, caller);
      const comment = await createLocalComment(dataSource, local, author);

      const result = dataSource.transaction((manager) => backend.createComment(comment, local, manager));

      await expect(result).rejects.toThrow(/has not reached Zammad yet/);
    });
  });

  describe('deleteComment', () => {
    it('deletes the article', async () => {
      const issue = await pushedIssue();
      const author = await zammadSupportUser(dataSource, caller);
      const comment = await createLocalComment(dataSource, issue, author, { isPublic: false });
      comment.backendId = (await dataSource.transaction((manager) => backend.createComment(comment, issue, manager))).backendId!;

      await backend.deleteComment(comment);

      expect(fake.data.article(Number(comment.backendId))).toBeUndefined();
    });

    it('ignores an article deleted already', async () => {
      const comment = { backendId: '999' } as Comment;

      await expect(backend.deleteComment(comment)).resolves.toBeUndefined();
    });
  });

  describe('attachments', () => {
    const NAME = 'Übersicht – 日本語.txt';
    const CONTENT = Buffer.from('Grüße aus Köln 🚀\nzweite Zeile\r\n\u0000binär', 'utf8');
    let issue: Issue;
    let author: SupportUser;

    beforeEach(async () => {
      issue = await pushedIssue();
      author = await zammadSupportUser(dataSource, caller);
      fake.requests.clear();
    });

    async function localAttachment(): Promise<Attachment> {
      return dataSource.getRepository(Attachment).save({
        issueId: issue.id,
        authorId: author.id,
        fileName: NAME,
        mimeType: 'text/plain',
        fileSize: CONTENT.length,
        backendName: 'zammad',
      });
    }

    it('uploads the bytes as base64', async () => {
      const attachment = await localAttachment();

      const remote = await dataSource.transaction((manager) => backend.createAttachment(attachment, issue, CONTENT, manager));

      expect(requestBody(fake, 'POST', '/api/v1/ticket_articles')).toEqual([
        {
          ticket_id: 1,
          body: `User Jane Doe added file ${NAME}.<br><br>Created by Waldur`,
          content_type: 'text/html',
          type: 'email',
          internal: true,
          to: caller.email,
          attachments: [{ filename: NAME, data: CONTENT.toString('base64'), 'mime-type': 'text/plain' }],
        },
      ]);
      expect(fake.data.attachmentBytes(Number(remote.backendId))?.equals(CONTENT)).toBe(true);
    });

    it('adopts the note of a dropped upload', async () => {
      const attachment = await localAttachment();
      fake.faults.add({ method: 'POST', path: '/api/v1/ticket_articles', kind: 'drop-after-commit', times: 1 });

      const remote = await dataSource.transaction((manager) => backend.createAttachment(attachment, issue, CONTENT, manager));

      expect(fake.data.articles(1)).toHaveLength(2);
      expect(fake.data.attachmentBytes(Number(remote.backendId))?.equals(CONTENT)).toBe(true);
    });

    it('deletes the carrying note', async () => {
      const attachment = await localAttachment();
      const remote = await dataSource.transaction((manager) => backend.createAttachment(attachment, issue, CONTENT, manager));
      attachment.backendId = remote.backendId!;

      await backend.deleteAttachment(attachment, issue);

      expect(fake.data.articles(1)).toHaveLength(1);
      expect(fake.data.attachmentBytes(Number(remote.backendId))).toBeUndefined();
    });

    it('rejects deleting an agent file', async () => {
      const article = fake.agent.attachFile(1, { filename: 'log.txt', text: 'log' }, { internal: true });
      const attachmentId = (fake.data.article(article.id)!.attachments as Array<{ id: number }>)[0].id;
      const attachment = { backendId: String(attachmentId), backendName: 'zammad' } as Attachment;

      await expect(backend.deleteAttachment(attachment, issue)).rejects.toThrow('added in Zammad by someone else');
      expect(fake.data.article(article.id)).toBeDefined();
    });
  });

  describe('availability', () => {
    const now = new Date();
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

    it('allows deleting a comment not yet pushed', () => {
      expect(backend.commentDestroyIsAvailable({ backendId: null, created: minutesAgo(60) } as Comment)).toBe(true);
    });

    it('allows deleting a private comment within the cooldown', () => {
      const comment = { backendId: '5', isPublic: false, originalBody: null, created: minutesAgo(4) } as Comment;
      expect(backend.commentDestroyIsAvailable(comment)).toBe(true);
    });

    it('rejects deleting after the cooldown', () => {
      const comment = { backendId: '5', isPublic: false, originalBody: null, created: minutesAgo(6) } as Comment;
      expect(backend.commentDestroyIsAvailable(comment)).toBe(false);
    });

    it('rejects deleting a public e-mail comment', () => {
      const comment = { backendId: '5', isPublic: true, originalBody: null, created: minutesAgo(1) } as Comment;
      expect(backend.commentDestroyIsAvailable(comment)).toBe(false);
    });

    it('allows deleting a public note', () => {
      const notes = createZammadBackend(fake, dataSource, { settings: { articleType: 'note' } });
      const comment = { backendId: '5', isPublic: true, originalBody: null, created: minutesAgo(1) } as Comment;
      expect(notes.backend.commentDestroyIsAvailable(comment)).toBe(true);
    });

    it('rejects deleting a comment from Zammad', () => {
      const comment = { backendId: '5', isPublic: false, originalBody: 'Hi', created: minutesAgo(1) } as Comment;
      expect(backend.commentDestroyIsAvailable(comment)).toBe(false);
    });

    it('rejects editing comments', () => {
      expect(backend.commentUpdateIsAvailable()).toBe(false);
    });

    it('allows deleting an attachment within the cooldown', () => {
      expect(backend.attachmentDestroyIsAvailable({ backendId: '7', created: minutesAgo(2) } as Attachment)).toBe(true);
    });

    it('rejects deleting a file added in Zammad', () => {
      expect(backend.attachmentDestroyIsAvailable({ backendId: '7', fromBackend: true, created: minutesAgo(2) } as Attachment)).toBe(false);
    });

    it('rejects deleting an old attachment', () => {
      expect(backend.attachmentDestroyIsAvailable({ backendId: '7', created: minutesAgo(10) } as Attachment)).toBe(false);
    });

    it('allows updates of pushed issues', () => {
      expect(backend.updateIsAvailable({ backendId: '1' } as Issue)).toBe(true);
    });
  });

  describe('reference data', () => {
    it('pulls priorities once', async () => {
      await backend.pullPriorities();
      await backend.pullPriorities();

      const priorities = await dataSource.getRepository(Priority).findBy({ backendName: 'zammad' });
      expect(priorities.map((priority) => [priority.backendId, priority.name]).sort()).toEqual([
        ['1', '1 low'],
        ['2', '2 normal'],
        ['3', '3 high'],
      ]);
    });

    it('pulls every active user', async () => {
      await backend.pullSupportUsers();

      const supportUsers = await dataSource.getRepository(SupportUser).findBy({ backendName: 'zammad', isActive: true });
      expect(supportUsers.map((supportUser) => supportUser.backendId).sort()).toEqual(['2', '3', '4', '5']);
      expect(supportUsers.find((supportUser) => supportUser.backendId === '4')?.name).toBe('Nicole Braun');
    });

    it('links our user by e-mail', async () => {
      const { user: emily } = await createUser(dataSource, { email: 'Emily@example.com' });

      await backend.pullSupportUsers();

      expect((await dataSource.getRepository(SupportUser).findOneByOrFail({ backendId: '5' })).userId).toBe(emily.id);
    });

    it('links our user by login', async () => {
      const { user: emma } = await createUser(dataSource, { username: 'emma@example.com' });

      await backend.pullSupportUsers();

      expect((await dataSource.getRepository(SupportUser).findOneByOrFail({ backendId: '3' })).userId).toBe(emma.id);
    });

    it('deactivates users Zammad no longer lists', async () => {
      await dataSource.getRepository(SupportUser).save({ name: 'Gone', backendName: 'zammad', backendId: '77', isActive: true });

      await backend.pullSupportUsers();

      expect((await dataSource.getRepository(SupportUser).findOneByOrFail({ backendId: '77' })).isActive).toBe(false);
    });
  });
});
