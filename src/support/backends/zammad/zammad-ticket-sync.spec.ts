import { createHash } from 'node:crypto';

import { DataSource, In } from 'typeorm';

import { FakeZammad, startFakeZammad } from '../../../../test/fakes/zammad';
import { createUser } from '../../../../test/support/factories';
import { createTestDataSource, TestDataSource } from '../../../../test/support/test-data-source';
import {
  clearSupportTables,
  createLocalComment,
  createZammadBackend,
  createZammadIssue,
  ZammadBackendUnderTest,
  zammadSupportUser,
} from '../../../../test/support/zammad-backend';
import type { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { IssueStatus, IssueStatusType } from '../../statuses/issue-status.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { ZammadBackend } from './zammad.backend';
import { ZammadClient } from './zammad.client';
import type { ZammadSyncResult } from './zammad-ticket-sync';
import type { ZammadArticle } from './zammad.types';

describe('ZammadBackend pulls', () => {
  let fake: FakeZammad;
  let database: TestDataSource;
  let dataSource: DataSource;
  let subject: ZammadBackendUnderTest;
  let backend: ZammadBackend;
  let caller: User;
  let issue: Issue;
  let ticketId: number;

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
    subject = createZammadBackend(fake, dataSource, { feedbackEnabled: true });
    backend = subject.backend;
    ({ user: caller } = await createUser(dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' }));
    issue = await createZammadIssue(dataSource, caller);
    Object.assign(issue, await dataSource.transaction((manager) => backend.createIssue(issue, manager)));
    await dataSource.getRepository(Issue).save(issue);
    ticketId = Number(issue.backendId);
  });

  afterEach(async () => {
    await subject.client.close();
  });

  function sync(target: Issue = issue, using: ZammadBackend = backend): Promise<ZammadSyncResult> {
    return using.pullTicket(target);
  }

  function comments(): Promise<Comment[]> {
    return dataSource.getRepository(Comment).find({ where: { issueId: issue.id }, order: { id: 'ASC' }, relations: { author: true } });
  }

  function attachments(): Promise<Attachment[]> {
    return dataSource.getRepository(Attachment).find({ where: { issueId: issue.id }, order: { id: 'ASC' } });
  }

  function reloadIssue(): Promise<Issue> {
    return dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
  }

  describe('articles', () => {
    it('adds an agent reply as a public comment', async () => {
      fake.agent.reply(ticketId, { body: 'Hi Jane,<br><br>please <b>restart</b> the router.<br>' });

      const result = await sync();

      const [comment] = await comments();
      expect(result.commentsCreated).toBe(1);
      expect(comment.description).toBe('Hi Jane,\n\nplease restart the router.');
      expect(comment.originalBody).toBe('Hi Jane,<br><br>please <b>restart</b> the router.<br>');
      expect(comment.originalFormat).toBe('html');
      expect(comment.isPublic).toBe(true);
      expect(comment.state).toBe(SyncState.OK);
      expect(comment.author.name).toBe('Emma Taylor');
    });

    it('adds an internal note as a private comment', async () => {
      fake.agent.note(ticketId, { body: 'Customer is on the old firmware.' });

      await sync();

      const [comment] = await comments();
      expect(comment.isPublic).toBe(false);
      expect(comment.description).toBe('Customer is on the old firmware.');
    });

    it('links a customer reply to our user', async () => {
      fake.agent.customerReply(ticketId, { body: 'It works again, thanks!', as: caller.email });

      await sync();

      const [comment] = await comments();
      expect(comment.author.userId).toBe(caller.id);
      expect(comment.isPublic).toBe(true);
    });

    it('keeps the time of the article', async () => {
      const article = fake.agent.reply(ticketId, { body: 'Done.' });

      await sync();

      const [comment] = await comments();
      expect(comment.created.toISOString()).toBe(article.created_at);
    });

    it('skips the description and system articles', async () => {
      fake.agent.addSystemArticle(ticketId, { body: 'Your request was received.' });

      const result = await sync();

      expect(result.commentsCreated).toBe(0);
      expect(await comments()).toHaveLength(0);
    });

    it('skips our own comments', async () => {
      const author = await zammadSupportUser(dataSource, caller);
      const comment = await createLocalComment(dataSource, issue, author);
      const remote = await dataSource.transaction((manager) => backend.createComment(comment, issue, manager));
      await dataSource.getRepository(Comment).update({ id: comment.id }, { backendId: remote.backendId });

      const result = await sync();

      expect(result.commentsCreated).toBe(0);
      expect(await comments()).toHaveLength(1);
    });

    it('imports an agent reply that quotes our marker', async () => {
      fake.agent.reply(ticketId, { body: 'Noted.<br><blockquote>Please restart.<br><br>Created by Waldur</blockquote>' });

      await sync();

      expect(await comments()).toHaveLength(1);
    });

    it('adds each article once', async () => {
      fake.agent.reply(ticketId, { body: 'First' });
      await sync();
      fake.agent.note(ticketId, { body: 'Second' });

      const second = await sync();
      const third = await sync();

      expect(second.commentsCreated).toBe(1);
      expect(third.commentsCreated).toBe(0);
      expect((await comments()).map((comment) => comment.description)).toEqual(['First', 'Second']);
    });

    it('adds each article once in concurrent pulls', async () => {
      fake.agent.reply(ticketId, { body: 'Only once' });
      fake.agent.attachFile(ticketId, { filename: 'once.txt', text: 'once' });

      await Promise.all([sync(), sync(), sync()]);

      expect(await comments()).toHaveLength(2);
      expect(await attachments()).toHaveLength(1);
      expect(subject.store.files.size).toBe(1);
    });

    it('follows a changed internal flag', async () => {
      const note = fake.agent.note(ticketId, { body: 'Internal first' });
      await sync();
      await fetch(`${fake.url}/api/v1/ticket_articles/${note.id}`, {
        method: 'PUT',
        headers: { Authorization: `Token token=${fake.tokens.agent}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ internal: false }),
      });

      const result = await sync();

      expect(result.commentsUpdated).toBe(1);
      expect((await comments())[0].isPublic).toBe(true);
    });
  });

  describe('deletions', () => {
    async function deleteAsAgent(articleId: number): Promise<void> {
      const response = await fetch(`${fake.url}/api/v1/ticket_articles/${articleId}`, {
        method: 'DELETE',
        headers: { Authorization: `Token token=${fake.tokens.agent}` },
      });
      expect(response.status).toBe(200);
    }

    it('removes a comment deleted in Zammad', async () => {
      const note = fake.agent.note(ticketId, { body: 'Posted by mistake' });
      await sync();
      await deleteAsAgent(note.id);

      const result = await sync();

      expect(result.commentsDeleted).toBe(1);
      expect(await comments()).toHaveLength(0);
    });

    it('removes a file and its bytes', async () => {
      const note = fake.agent.attachFile(ticketId, { filename: 'wrong.txt', text: 'wrong' }, { internal: true });
      await sync();
      await deleteAsAgent(note.id);

      const result = await sync();

      expect(result.attachmentsDeleted).toBe(1);
      expect(await attachments()).toHaveLength(0);
      expect(subject.store.files.size).toBe(0);
    });

    it('keeps comments not yet pushed', async () => {
      const author = await zammadSupportUser(dataSource, caller);
      await createLocalComment(dataSource, issue, author);

      await sync();

      expect(await comments()).toHaveLength(1);
    });

    it('keeps a comment pushed during the pull', async () => {
      const author = await zammadSupportUser(dataSource, caller);
      const comment = await createLocalComment(dataSource, issue, author);
      const staleClient = new StaleArticlesClient(fake);
      const stale = createZammadBackend(fake, dataSource, { client: staleClient });
      staleClient.stale = await staleClient.listArticles(ticketId);
      const remote = await dataSource.transaction((manager) => backend.createComment(comment, issue, manager));
      await dataSource.getRepository(Comment).update({ id: comment.id }, { backendId: remote.backendId });

      const result = await sync(issue, stale.backend);
      await staleClient.close();

      expect(result.commentsDeleted).toBe(0);
      expect(await comments()).toHaveLength(1);
    });
  });

  describe('attachments', () => {
    const NAME = 'Protokoll – Ärger 日本.log';
    const CONTENT = Buffer.concat([Buffer.from('Zeile 1 äöü 🚀\r\n', 'utf8'), Buffer.from([0, 1, 2, 254, 255])]);

    it('stores a file from Zammad byte for byte', async () => {
      fake.agent.attachFile(ticketId, { filename: NAME, data: CONTENT.toString('base64'), mimeType: 'text/plain' });

      const result = await sync();

      const [attachment] = await attachments();
      expect(result.attachmentsCreated).toBe(1);
      expect(attachment.fileName).toBe(NAME);
      expect(attachment.mimeType).toBe('text/plain');
      expect(attachment.fileSize).toBe(CONTENT.length);
      expect(attachment.sha256).toBe(createHash('sha256').update(CONTENT).digest('hex'));
      expect(subject.store.read(attachment.storageKey!).equals(CONTENT)).toBe(true);
    });

    it('round-trips an uploaded file', async () => {
      const author = await zammadSupportUser(dataSource, caller);
      const local = await dataSource.getRepository(Attachment).save({
        issueId: issue.id,
        authorId: author.id,
        fileName: NAME,
        mimeType: 'application/octet-stream',
        fileSize: CONTENT.length,
        backendName: 'zammad',
      });
      const remote = await dataSource.transaction((manager) => backend.createAttachment(local, issue, CONTENT, manager));
      await dataSource.getRepository(Attachment).update({ id: local.id }, { backendId: remote.backendId });
      const article = fake.data.articles(ticketId).at(-1)!;
      const [file] = article.attachments as Array<{ id: number }>;

      const downloaded = await subject.client.downloadAttachment(ticketId, article.id as number, file.id);
      const result = await sync();

      expect(downloaded.equals(CONTENT)).toBe(true);
      expect(result.attachmentsCreated).toBe(0);
      expect(await attachments()).toHaveLength(1);
    });

    it('keeps nothing when a download fails', async () => {
      fake.agent.reply(ticketId, { body: 'See the log', attachments: [{ filename: 'a.log', text: 'a' }] });
      fake.faults.add({ path: '/api/v1/ticket_attachment/**', kind: 'error', status: 500 });

      await expect(sync()).rejects.toMatchObject({ status: 500 });

      expect(await comments()).toHaveLength(0);
      expect(await attachments()).toHaveLength(0);
      expect(subject.store.files.size).toBe(0);
    });

    it('imports everything after a failed pull', async () => {
      fake.agent.reply(ticketId, { body: 'See the log', attachments: [{ filename: 'a.log', text: 'a' }] });
      fake.faults.add({ path: '/api/v1/ticket_attachment/**', kind: 'error', status: 500, times: 3 });
      await expect(sync()).rejects.toMatchObject({ status: 500 });

      await sync();

      expect(await comments()).toHaveLength(1);
      expect(await attachments()).toHaveLength(1);
      expect(subject.store.files.size).toBe(1);
    });

    it('records metadata without a store', async () => {
      const storeless = createZammadBackend(fake, dataSource, { withoutStore: true });
      fake.agent.attachFile(ticketId, { filename: NAME, data: CONTENT.toString('base64') });

      await sync(issue, storeless.backend);
      const [attachment] = await attachments();
      const downloaded = await storeless.backend.downloadAttachment(attachment, issue);
      await storeless.client.close();

      expect(attachment.storageKey).toBeNull();
      expect(attachment.fileSize).toBe(CONTENT.length);
      expect(downloaded.equals(CONTENT)).toBe(true);
    });

    it('adds a bare file without a comment', async () => {
      fake.agent.reply(ticketId, { body: '', attachments: [{ filename: 'only.txt', text: 'only' }] });

      await sync();

      expect(await comments()).toHaveLength(0);
      expect(await attachments()).toHaveLength(1);
    });
  });

  describe('comment links', () => {
    async function setInternalAsAgent(articleId: number, internal: boolean): Promise<void> {
      const response = await fetch(`${fake.url}/api/v1/ticket_articles/${articleId}`, {
        method: 'PUT',
        headers: { Authorization: `Token token=${fake.tokens.agent}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ internal }),
      });
      expect(response.status).toBe(200);
    }

    it('links a note file to its comment', async () => {
      fake.agent.note(ticketId, { body: 'Dump attached', attachments: [{ filename: 'dump.log', text: 'secret' }] });

      await sync();

      const [comment] = await comments();
      const [attachment] = await attachments();
      expect(comment.isPublic).toBe(false);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('links a reply file to its comment', async () => {
      fake.agent.reply(ticketId, { body: 'Manual attached', attachments: [{ filename: 'manual.pdf', text: 'manual' }] });

      await sync();

      const [comment] = await comments();
      const [attachment] = await attachments();
      expect(comment.isPublic).toBe(true);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('gives a bare internal file a comment', async () => {
      fake.agent.attachFile(ticketId, { filename: 'bare.txt', text: 'bare' }, { internal: true, body: '' });

      await sync();

      const [comment] = await comments();
      const [attachment] = await attachments();
      expect(comment).toMatchObject({ description: '', isPublic: false });
      expect(attachment.commentId).toBe(comment.id);
    });

    it('leaves a bare public file unlinked', async () => {
      fake.agent.attachFile(ticketId, { filename: 'bare.txt', text: 'bare' }, { internal: false, body: '' });

      await sync();

      const [attachment] = await attachments();
      expect(attachment.commentId).toBeNull();
    });

    it('links a bare file made internal later', async () => {
      const article = fake.agent.attachFile(ticketId, { filename: 'bare.txt', text: 'bare' }, { internal: false, body: '' });
      await sync();
      await setInternalAsAgent(article.id, true);

      const result = await sync();

      const [comment] = await comments();
      const [attachment] = await attachments();
      expect(result.attachmentsLinkedToComments).toBe(1);
      expect(comment.isPublic).toBe(false);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('links a file stored before its link existed', async () => {
      fake.agent.note(ticketId, { body: 'Dump attached', attachments: [{ filename: 'dump.log', text: 'secret' }] });
      await sync();
      await dataSource.getRepository(Attachment).update({ issueId: issue.id }, { commentId: null });

      const result = await sync();

      const [comment] = await comments();
      const [attachment] = await attachments();
      expect(result.attachmentsLinkedToComments).toBe(1);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('links nothing twice', async () => {
      fake.agent.note(ticketId, { body: 'Dump attached', attachments: [{ filename: 'dump.log', text: 'secret' }] });
      await sync();

      const result = await sync();

      expect(result.attachmentsLinkedToComments).toBe(0);
    });
  });

  describe('ticket fields', () => {
    it('maps terminal states out of the box', async () => {
      const statuses = await dataSource.getRepository(IssueStatus).findBy({ name: In(['closed', 'merged', 'removed', 'open']) });

      expect(new Map(statuses.map((status) => [status.name, status.type]))).toEqual(
        new Map([
          ['closed', IssueStatusType.RESOLVED],
          ['merged', IssueStatusType.CANCELED],
          ['removed', IssueStatusType.CANCELED],
        ]),
      );
    });

    it('resolves the issue on a resolved state', async () => {
      fake.agent.setState(ticketId, 'closed');

      const result = await sync();

      const stored = await reloadIssue();
      expect(result.issueChanged).toBe(true);
      expect(stored.status).toBe('closed');
      expect(stored.resolutionDate?.toISOString()).toBe(fake.data.ticket(ticketId)!.close_at);
      expect(stored.feedbackRequestedAt).not.toBeNull();
    });

    it('cancels the issue without feedback', async () => {
      fake.agent.setState(ticketId, 'merged');

      await sync();

      const stored = await reloadIssue();
      expect(stored.status).toBe('merged');
      expect(stored.resolutionDate).not.toBeNull();
      expect(stored.feedbackRequestedAt).toBeNull();
    });

    it('clears the resolution on reopening', async () => {
      fake.agent.setState(ticketId, 'closed');
      await sync();
      fake.agent.setState(ticketId, 'open');

      await sync();

      const stored = await reloadIssue();
      expect(stored.status).toBe('open');
      expect(stored.resolutionDate).toBeNull();
    });

    it('stores an unmapped state by name', async () => {
      fake.agent.setState(ticketId, 'pending reminder');

      await sync();

      const stored = await reloadIssue();
      expect(stored.status).toBe('pending reminder');
      expect(stored.resolutionDate).toBeNull();
    });

    it('follows title and priority', async () => {
      await subject.client.updateTicket(ticketId, { title: 'VPN down in Berlin', priority: '3 high' });

      await sync();

      const stored = await reloadIssue();
      expect(stored.summary).toBe('VPN down in Berlin');
      expect(stored.priority).toBe('3 high');
    });

    it('changes nothing when nothing changed', async () => {
      const result = await sync();

      expect(result).toEqual({
        issueChanged: false,
        commentsCreated: 0,
        commentsUpdated: 0,
        commentsDeleted: 0,
        attachmentsCreated: 0,
        attachmentsLinkedToComments: 0,
        attachmentsDeleted: 0,
      });
    });

    it('fails for a deleted ticket', async () => {
      await subject.client.deleteTicket(ticketId);

      await expect(sync()).rejects.toMatchObject({ status: 404 });
    });

    it('fails for an issue not in Zammad', async () => {
      const local = await createZammadIssue(dataSource, caller);

      await expect(sync(local)).rejects.toThrow(/has not reached Zammad yet/);
    });
  });

  describe('syncIssue', () => {
    it('pulls inside the caller transaction', async () => {
      fake.agent.reply(ticketId, { body: 'Inside' });
      fake.agent.attachFile(ticketId, { filename: 'inside.txt', text: 'inside' });

      await dataSource.transaction((manager) => backend.syncIssue(issue, manager));

      expect((await comments()).map((comment) => comment.description)).toEqual(['Inside', 'inside.txt']);
      expect(await attachments()).toHaveLength(1);
    });

    it('keeps no rows of a rolled back pull', async () => {
      fake.agent.attachFile(ticketId, { filename: 'rolled.txt', text: 'back' });

      const failing = dataSource.transaction(async (manager) => {
        await backend.syncIssue(issue, manager);
        throw new Error('caller failed');
      });

      await expect(failing).rejects.toThrow('caller failed');
      expect(await attachments()).toHaveLength(0);
    });
  });

  describe('authors', () => {
    it('creates one support user per agent', async () => {
      fake.agent.reply(ticketId, { body: 'One' });
      fake.agent.reply(ticketId, { body: 'Two' });

      await sync();

      const agents = await dataSource.getRepository(SupportUser).findBy({ backendName: 'zammad', backendId: '3' });
      expect(agents).toHaveLength(1);
    });
  });
});

/** A client whose article list is an old copy while `stale` is set, as if read before a push finished. */
class StaleArticlesClient extends ZammadClient {
  stale: ZammadArticle[] | undefined;

  constructor(fake: FakeZammad) {
    super({ baseUrl: fake.url, token: fake.tokens.integration, timeoutMs: 2_000 });
  }

  override async listArticles(ticketId: number | string): Promise<ZammadArticle[]> {
    const stale = this.stale;
    this.stale = undefined;
    return stale ?? super.listArticles(ticketId);
  }
}
