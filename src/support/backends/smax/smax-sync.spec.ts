import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { FakeSmax, startFakeSmax } from '../../../../test/fakes/smax/fake-smax';
import { FaultRuleInput } from '../../../../test/fakes/smax/faults';
import { AGENT_USER } from '../../../../test/fakes/smax/seed';
import { callSmax, loginAs } from '../../../../test/fakes/smax/smax-test-client';
import { createUser } from '../../../../test/support/factories';
import {
  clearSupportTables,
  MigratedDatabase,
  openMigratedDatabase,
  pushAttachment,
  pushComment,
  pushIssue,
  saveAttachment,
  saveComment,
  saveIssue,
  smaxOptionsFor,
  syncIssue,
} from '../../../../test/support/smax-setup';
import type { User } from '../../../identity/users/user.entity';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { Issue } from '../../issues/issue.entity';
import { IssueStatus, IssueStatusType } from '../../statuses/issue-status.entity';
import { SmaxBackend } from './smax.backend';

describe('SmaxBackend pull against the fake SMAX', () => {
  let fake: FakeSmax;
  let database: MigratedDatabase;
  let dataSource: DataSource;
  let backend: SmaxBackend;
  let customerOne: User;
  let issue: Issue;

  function commentsOf(target: Issue): Promise<Comment[]> {
    return dataSource.getRepository(Comment).find({ where: { issueId: target.id }, relations: { author: true }, order: { id: 'ASC' } });
  }

  function attachmentsOf(target: Issue): Promise<Attachment[]> {
    return dataSource.getRepository(Attachment).find({ where: { issueId: target.id }, relations: { author: true }, order: { id: 'ASC' } });
  }

  async function statusType(name: string): Promise<IssueStatusType | undefined> {
    return (await dataSource.getRepository(IssueStatus).findOneBy({ name }))?.type;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    fake = await startFakeSmax();
    database = await openMigratedDatabase();
    dataSource = database.dataSource;
  });

  afterAll(async () => {
    await database.close();
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    backend = new SmaxBackend(smaxOptionsFor(fake));
    customerOne = (await createUser(dataSource, { email: 'customer.one@example.com', firstName: 'Customer', lastName: 'One' })).user;
    issue = await pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));
  });

  afterEach(async () => {
    await backend.close();
    await clearSupportTables(dataSource);
    await dataSource.query('DELETE FROM users');
  });

  describe('issue fields', () => {
    it('resolves the issue on phase Close', async () => {
      fake.agent.setPhase('50001', 'Close', { CompletionCode: 'CompletionCodeFulfilled' });

      const synced = await syncIssue(dataSource, backend, issue);

      expect(synced.status).toBe('Close');
      expect(await statusType(synced.status)).toBe(IssueStatusType.RESOLVED);
      expect(synced.resolutionDate).toBeInstanceOf(Date);
    });

    it('cancels the issue on phase Abandon', async () => {
      fake.agent.setPhase('50001', 'Abandon');

      const synced = await syncIssue(dataSource, backend, issue);

      expect(synced.status).toBe('Abandon');
      expect(await statusType(synced.status)).toBe(IssueStatusType.CANCELED);
      expect(synced.resolutionDate).toBeInstanceOf(Date);
    });

    it('keeps an open phase unresolved', async () => {
      fake.agent.setPhase('50001', 'Fulfill');

      const synced = await syncIssue(dataSource, backend, issue);

      expect(synced.status).toBe('Fulfill');
      expect(await statusType(synced.status)).toBeUndefined();
      expect(synced.resolutionDate).toBeNull();
    });

    it('takes summary and description an agent changed', async () => {
      fake.agent.updateRequest('50001', { DisplayLabel: 'VPN down in Tartu', Description: '<p>Only <b>Tartu</b> is affected.</p>' });

      const synced = await syncIssue(dataSource, backend, issue);

      expect(synced.summary).toBe('VPN down in Tartu');
      expect(synced.description).toBe('Only Tartu is affected.');
    });

    it('changes nothing on a repeat of an HTML description', async () => {
      fake.agent.updateRequest('50001', { Description: '<p>See <a href="https://status.example.com/">the status page</a>.</p>' });
      await syncIssue(dataSource, backend, issue);
      const first = await dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });

      const synced = await syncIssue(dataSource, backend, issue);

      expect(first.description).toBe('See the status page (https://status.example.com/).');
      expect(synced.modified).toEqual(first.modified);
    });

    it('keeps our text when SMAX holds its HTML form', async () => {
      const synced = await syncIssue(dataSource, backend, issue);

      expect(synced.description).toBe('Connection times out since 09:00.\nFrom every office.');
      expect(synced.modified).toEqual(issue.modified);
    });

    it('reports a request SMAX does not show', async () => {
      await dataSource.getRepository(Issue).update(issue.id, { backendId: '59999' });

      await expect(syncIssue(dataSource, backend, issue)).rejects.toThrow('SMAX Request 59999 of issue');
    });
  });

  describe('comments', () => {
    it('copies an agent comment to our issue', async () => {
      const remote = fake.agent.comment('50001', { body: '<p>Restarted the gateway.</p>' });

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      expect(comment).toMatchObject({
        description: 'Restarted the gateway.',
        originalBody: '<p>Restarted the gateway.</p>',
        originalFormat: 'html',
        isPublic: true,
        backendId: remote.Id,
        backendName: 'smax',
      });
      expect(comment.author).toMatchObject({ name: 'Agent One', backendId: '10002', backendName: 'smax', userId: null });
      expect(comment.created).toEqual(new Date(remote.CreateTime));
    });

    it('serves a comment with a script as plain text', async () => {
      fake.agent.comment('50001', { body: '<p>Hi</p><script>alert(1)</script>' });

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      expect(comment.description).toBe('Hi');
      expect(comment.originalBody).toBe('<p>Hi</p><script>alert(1)</script>');
    });

    it('turns a comment stored as HTML into text', async () => {
      const remote = fake.agent.comment('50001', { body: '<p>Stored <i>raw</i>.</p>' });
      await syncIssue(dataSource, backend, issue);
      await dataSource.getRepository(Comment).update({ backendId: remote.Id }, { description: '<p>Stored <i>raw</i>.</p>', originalBody: null, originalFormat: null });

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      expect(comment).toMatchObject({ description: 'Stored raw.', originalBody: '<p>Stored <i>raw</i>.</p>' });
    });

    it('keeps an internal agent comment private', async () => {
      fake.agent.comment('50001', { body: '<p>Customer is on the old client.</p>', privacy: 'INTERNAL' });

      await syncIssue(dataSource, backend, issue);

      expect((await commentsOf(issue))[0].isPublic).toBe(false);
    });

    it('keeps an AGENTPUBLIC comment private', async () => {
      fake.agent.comment('50001', { body: '<p>For agents.</p>', privacy: 'AGENTPUBLIC' });

      await syncIssue(dataSource, backend, issue);

      expect((await commentsOf(issue))[0].isPublic).toBe(false);
    });

    it('changes nothing on a repeated sync', async () => {
      fake.agent.comment('50001', { body: '<p>Once.</p>' });
      await syncIssue(dataSource, backend, issue);
      const before = await commentsOf(issue);

      await syncIssue(dataSource, backend, issue);

      expect(await commentsOf(issue)).toEqual(before);
    });

    it('applies a comment an agent edited', async () => {
      const remote = fake.agent.comment('50001', { body: '<p>Draft.</p>' });
      await syncIssue(dataSource, backend, issue);
      const token = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);
      await callSmax(fake, `/collaboration/comments/Request/50001/${remote.Id}`, {
        method: 'PUT',
        token,
        json: { Body: '<p>Final.</p>', PrivacyType: 'INTERNAL', Submitter: { UserId: AGENT_USER.personId } },
      });

      await syncIssue(dataSource, backend, issue);

      const comments = await commentsOf(issue);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({ description: 'Final.', originalBody: '<p>Final.</p>', isPublic: false });
    });

    it('removes a comment deleted in SMAX', async () => {
      const ours = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));
      await dataSource.transaction((manager) => backend.deleteComment(ours, issue, manager));

      await syncIssue(dataSource, backend, issue);

      expect(await commentsOf(issue)).toEqual([]);
    });

    it('keeps a comment not pushed yet', async () => {
      const pending = await saveComment(dataSource, issue, customerOne, { description: 'Not sent yet' });

      await syncIssue(dataSource, backend, issue);

      expect((await commentsOf(issue)).map((comment) => comment.id)).toEqual([pending.id]);
    });

    it('does not copy our own pushed comment', async () => {
      const ours = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne, { description: 'Line one\nLine two' }));

      await syncIssue(dataSource, backend, issue);

      const comments = await commentsOf(issue);
      expect(comments.map((comment) => comment.id)).toEqual([ours.id]);
      expect(comments[0].description).toBe('Line one\nLine two');
    });

    it('falls back to the embedded comments', async () => {
      const remote = fake.agent.comment('50001', { body: '<p>Fish & chips</p>', privacy: 'INTERNAL' });
      fake.addFault({ kind: 'status', status: 404, method: 'GET', path: '*/collaboration/comments/*' });

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      expect(comment).toMatchObject({ backendId: remote.Id, description: 'Fish & chips', isPublic: false });
      expect(comment.author.backendId).toBe('10002');
    });

    it('leaves comments alone when they cannot be read', async () => {
      const ours = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));
      fake.addFault({ kind: 'status', status: 500, method: 'GET', path: '*/collaboration/comments/*' });

      await expect(syncIssue(dataSource, backend, issue)).rejects.toThrow('HTTP 500');

      expect((await commentsOf(issue)).map((comment) => comment.id)).toEqual([ours.id]);
    });
  });

  describe('attachments', () => {
    it('lists an agent attachment without its bytes', async () => {
      const content = Buffer.from('log line\n');
      const { file } = fake.agent.attach('50001', { fileName: 'gateway.log', contentType: 'text/plain', content });

      await syncIssue(dataSource, backend, issue);

      const [attachment] = await attachmentsOf(issue);
      expect(attachment).toMatchObject({ fileName: 'gateway.log', mimeType: 'text/plain', fileSize: content.length, backendId: file.guid, storageKey: null, fromBackend: true });
      expect(attachment.author).toMatchObject({ name: 'Agent One', backendId: '10002' });
      expect((await backend.downloadAttachment(attachment)).content.equals(content)).toBe(true);
    });

    it('removes an attachment unlinked in SMAX', async () => {
      fake.agent.attach('50001', { fileName: 'old.txt', content: Buffer.from('old') });
      await syncIssue(dataSource, backend, issue);
      fake.agent.updateRequest('50001', { RequestAttachments: JSON.stringify({ complexTypeProperties: [] }) });

      await syncIssue(dataSource, backend, issue);

      expect(await attachmentsOf(issue)).toEqual([]);
    });

    it('does not copy our own pushed attachment', async () => {
      const content = Buffer.from('ours');
      const ours = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, content), content);

      await syncIssue(dataSource, backend, issue);

      expect((await attachmentsOf(issue)).map((attachment) => attachment.id)).toEqual([ours.id]);
    });

    /** Posts a comment as the SMAX agent through the collaboration API, with the files it carries. */
    async function commentWithFiles(privacy: 'PUBLIC' | 'INTERNAL', attachmentIds: string[]): Promise<string> {
      const token = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);
      const response = await callSmax(fake, '/collaboration/comments/Request/50001/', {
        method: 'POST',
        token,
        json: { Body: '<p>See the file.</p>', PrivacyType: privacy, Submitter: { UserId: AGENT_USER.personId }, AttachmentIds: attachmentIds },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { Id: string }).Id;
    }

    it('links a file to the comment listing it', async () => {
      const { file } = fake.agent.attach('50001', { fileName: 'dump.log', content: Buffer.from('dump') });
      await commentWithFiles('INTERNAL', [file.guid]);

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      const [attachment] = await attachmentsOf(issue);
      expect(comment.isPublic).toBe(false);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('links a file copied before its comment', async () => {
      const { file } = fake.agent.attach('50001', { fileName: 'dump.log', content: Buffer.from('dump') });
      await syncIssue(dataSource, backend, issue);
      await commentWithFiles('INTERNAL', [file.guid]);

      await syncIssue(dataSource, backend, issue);

      const [comment] = await commentsOf(issue);
      const [attachment] = await attachmentsOf(issue);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('links a file to the earliest comment listing it', async () => {
      const { file } = fake.agent.attach('50001', { fileName: 'dump.log', content: Buffer.from('dump') });
      const first = await commentWithFiles('INTERNAL', [file.guid]);
      await commentWithFiles('PUBLIC', [file.guid]);

      await syncIssue(dataSource, backend, issue);

      const comments = await commentsOf(issue);
      const [attachment] = await attachmentsOf(issue);
      expect(attachment.commentId).toBe(comments.find((comment) => comment.backendId === first)!.id);
    });

    it('keeps the link of a deleted comment', async () => {
      const { file } = fake.agent.attach('50001', { fileName: 'dump.log', content: Buffer.from('dump') });
      const commentId = await commentWithFiles('INTERNAL', [file.guid]);
      await syncIssue(dataSource, backend, issue);
      const [comment] = await commentsOf(issue);
      const token = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);
      await callSmax(fake, `/collaboration/comments/Request/50001/${commentId}`, { method: 'DELETE', token });

      await syncIssue(dataSource, backend, issue);

      const [attachment] = await attachmentsOf(issue);
      expect(await commentsOf(issue)).toEqual([]);
      expect(attachment.commentId).toBe(comment.id);
    });

    it('leaves attachments alone when the list is unreadable', async () => {
      fake.agent.attach('50001', { fileName: 'kept.txt', content: Buffer.from('kept') });
      await syncIssue(dataSource, backend, issue);
      const [request] = (await backend.listChangedRequests(null, 0, 10)).requests;

      await dataSource.transaction((manager) => backend.syncIssueFrom(issue, { ...request, attachments: undefined }, manager));

      expect((await attachmentsOf(issue)).map((attachment) => attachment.fileName)).toEqual(['kept.txt']);
    });
  });

  describe('faults end with one copy of each comment', () => {
    const faults: Array<[string, FaultRuleInput]> = [
      ['dropped after commit', { kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 }],
      ['dropped before commit', { kind: 'drop', method: 'POST', path: '*/collaboration/comments/*', times: 1 }],
      ['server error', { kind: 'status', status: 503, method: 'POST', path: '*/collaboration/comments/*', times: 1 }],
      ['throttled', { kind: 'status', status: 429, retryAfterSeconds: 1, method: 'POST', path: '*/collaboration/comments/*', times: 1 }],
      ['expired token', { kind: 'expire-token', times: 1 }],
      ['lost response and failed search', { kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 }],
    ];

    it.each(faults)('%s', async (name, fault) => {
      fake.addFault(fault);
      if (name === 'lost response and failed search') {
        fake.addFault({ kind: 'status', status: 502, method: 'GET', path: '*/collaboration/comments/*', times: 3 });
      }
      const comment = await saveComment(dataSource, issue, customerOne, { description: `After a fault: ${name}` });

      // One push, then what the outbox does on a failure: look for the earlier result, else push again.
      const first = await pushComment(dataSource, backend, issue, comment).catch(() => undefined);
      if (!first?.backendId) {
        const found = await dataSource.transaction((manager) => backend.findCreatedComment(comment, issue, manager));
        if (found) await dataSource.getRepository(Comment).update(comment.id, { backendId: found.backendId });
        else await pushComment(dataSource, backend, issue, comment);
      }
      fake.agent.comment('50001', { body: '<p>Agent reply.</p>' });
      await syncIssue(dataSource, backend, issue);
      await syncIssue(dataSource, backend, issue);

      const remote = fake.getComments('50001');
      const local = await commentsOf(issue);
      expect(remote).toHaveLength(2);
      expect(local).toHaveLength(2);
      expect(local.map((row) => row.backendId).sort()).toEqual(remote.map((row) => row.Id).sort());
    });

    it('links a pushed comment found only by the pull', async () => {
      fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 });
      fake.addFault({ kind: 'status', status: 502, method: 'GET', path: '*/collaboration/comments/*', times: 3 });
      const comment = await saveComment(dataSource, issue, customerOne, { description: 'Lost on the way back' });
      await expect(pushComment(dataSource, backend, issue, comment)).rejects.toThrow();

      await syncIssue(dataSource, backend, issue);

      const [local] = await commentsOf(issue);
      expect(local.id).toBe(comment.id);
      expect(local.backendId).toBe(fake.getComments('50001')[0].Id);
      expect(await commentsOf(issue)).toHaveLength(1);
    });

    it('links a pushed attachment found only by the pull', async () => {
      const content = Buffer.from('lost link response');
      fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });
      const attachment = await saveAttachment(dataSource, issue, customerOne, content, { fileName: 'lost.txt' });
      await expect(pushAttachment(dataSource, backend, issue, attachment, content)).rejects.toThrow();

      await syncIssue(dataSource, backend, issue);

      const attachments = await attachmentsOf(issue);
      expect(attachments.map((row) => row.id)).toEqual([attachment.id]);
      expect(attachments[0].backendId).toBe(fake.listFiles()[0].guid);
    });
  });

  describe('listChangedRequests', () => {
    it('lists requests changed since a time, oldest first', async () => {
      const second = fake.agent.createRequest({ DisplayLabel: 'Printer jam', RequestedByPerson: '10003' });
      const since = new Date(Number(second.LastUpdateTime));
      fake.agent.setPhase('50001', 'Review');

      const page = await backend.listChangedRequests(since, 0, 10);

      expect(page.requests.map((request) => request.id)).toEqual(['50002', '50001']);
      expect(page.nextSkip).toBeUndefined();
      expect(page.queryTime!.getTime()).toBeGreaterThanOrEqual(since.getTime());
    });

    it('pages with size and skip', async () => {
      fake.agent.createRequest({ DisplayLabel: 'Printer jam', RequestedByPerson: '10003' });
      fake.agent.createRequest({ DisplayLabel: 'Mail bounce', RequestedByPerson: '10003' });

      const first = await backend.listChangedRequests(null, 0, 2);
      const second = await backend.listChangedRequests(null, first.nextSkip!, 2);

      expect(first.requests.map((request) => request.id)).toEqual(['50001', '50002']);
      expect(first.nextSkip).toBe(2);
      expect(second.requests.map((request) => request.id)).toEqual(['50003']);
      expect(second.nextSkip).toBeUndefined();
    });

    it('sends layout, filter, order and paging', async () => {
      fake.clearRequestLog();

      await backend.listChangedRequests(new Date(1706696430000), 20, 10);

      expect(fake.requestLog()[0].query).toEqual({
        layout: 'Id,DisplayLabel,Description,PhaseId,Status,RequestedByPerson,EmsCreationTime,LastUpdateTime,RequestAttachments',
        filter: 'LastUpdateTime >= 1706696430000',
        order: 'LastUpdateTime asc,Id asc',
        size: '10',
        skip: '20',
        meta: 'totalCount',
      });
    });

    it('syncs a listed request without reading it again', async () => {
      fake.agent.setPhase('50001', 'Close');
      const [request] = (await backend.listChangedRequests(null, 0, 10)).requests;
      fake.clearRequestLog();

      await dataSource.transaction((manager) => backend.syncIssueFrom(issue, request, manager));

      expect(fake.requestLog().map((entry) => entry.path)).toEqual(['/rest/100000000/collaboration/comments/Request/50001']);
      expect((await dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id })).status).toBe('Close');
    });
  });
});
