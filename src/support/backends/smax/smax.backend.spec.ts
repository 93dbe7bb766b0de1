import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { FakeSmax, startFakeSmax } from '../../../../test/fakes/smax/fake-smax';
import { createCustomer, createProject, createUser } from '../../../../test/support/factories';
import {
  callLines,
  callsTo,
  clearSupportTables,
  jsonOf,
  MigratedDatabase,
  openMigratedDatabase,
  pushAttachment,
  pushComment,
  pushIssue,
  saveAttachment,
  saveComment,
  saveIssue,
  smaxOptionsFor,
  supportUserOf,
  waitUntil,
} from '../../../../test/support/smax-setup';
import type { User } from '../../../identity/users/user.entity';
import { Comment } from '../../comments/comment.entity';
import { RequestType } from '../../request-types/request-type.entity';
import { Resource } from '../../resources/resource.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { SmaxBackendOptions } from './smax.config';
import { SmaxBackend } from './smax.backend';
import { SmaxError } from './smax.exception';

describe('SmaxBackend against the fake SMAX', () => {
  let fake: FakeSmax;
  let database: MigratedDatabase;
  let dataSource: DataSource;
  let backend: SmaxBackend;
  /** A user whose email matches the seeded Person 10003 (ExternalId EXT-CUSTOMER-ONE). */
  let customerOne: User;

  function useBackend(overrides: Partial<SmaxBackendOptions> = {}): SmaxBackend {
    backend = new SmaxBackend(smaxOptionsFor(fake, overrides));
    return backend;
  }

  async function failureOf(work: Promise<unknown>): Promise<SmaxError> {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof SmaxError)) throw new Error(`expected a SmaxError, got ${String(error)}`);
    return error;
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
    await clearSupportTables(dataSource);
    customerOne = (await createUser(dataSource, { email: 'customer.one@example.com', firstName: 'Customer', lastName: 'One' })).user;
    useBackend();
  });

  afterEach(async () => {
    await backend.close();
    await clearSupportTables(dataSource);
    await dataSource.query('DELETE FROM users');
  });

  describe('createIssue', () => {
    it('creates a request with the mapped fields', async () => {
      const customer = await createCustomer(dataSource, { name: 'Example Org' });
      const project = await createProject(dataSource, customer, { name: 'Climate Model' });
      const resource = await dataSource.getRepository(Resource).save({ name: 'vm-17', projectId: project.id });
      await dataSource.getRepository(RequestType).save({ name: 'Access', issueTypeName: 'INFORMATIONAL', backendId: 20001, backendName: 'smax' });
      useBackend({
        organisationField: 'OrganisationName_c',
        projectField: 'ProjectName_c',
        affectedResourceField: 'AffectedResource_c',
        creationSourceName: 'Deskbridge',
        requestsOffering: '11234',
      });
      const issue = await saveIssue(dataSource, customerOne, { customerId: customer.id, projectId: project.id, resourceId: resource.id });

      const pushed = await pushIssue(dataSource, backend, issue);

      const [create] = callsTo(fake, 'POST', '/ems/bulk');
      expect(jsonOf(create)).toEqual({
        entities: [
          {
            entity_type: 'Request',
            properties: {
              DisplayLabel: 'VPN not reachable',
              Description: `<p>Connection times out since 09:00.<br>From every office.</p><p>Deskbridge reference: ${issue.uuid.replace(/-/g, '')}</p>`,
              RequestedByPerson: '10003',
              CreationSource: 'CreationSourceExternal',
              Category: '20001',
              RequestsOffering: '11234',
              CreationSourceName_c: 'Deskbridge',
              OrganisationName_c: 'Example Org',
              ProjectName_c: 'Climate Model',
              AffectedResource_c: 'vm-17',
            },
          },
        ],
        operation: 'CREATE',
      });
      expect(pushed).toMatchObject({ backendId: '50001', key: '50001', backendName: 'smax', status: 'Log' });
      expect(fake.getEntity('Request', '50001')).toMatchObject({ DisplayLabel: 'VPN not reachable', OrganisationName_c: 'Example Org' });
    });

    it('makes the exact calls for a known person', async () => {
      await pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));

      expect(callLines(fake)).toEqual([
        'POST /auth/authentication-endpoint/authenticate/login?TENANTID=100000000',
        'GET /rest/100000000/ems/Person?layout=Id,Name,FirstName,LastName,Email,Upn,ExternalId&filter=Email%20%3D%20%27customer.one%40example.com%27&size=2',
        'POST /rest/100000000/ems/bulk',
        'GET /rest/100000000/ems/Request?layout=Id,DisplayLabel,Description,PhaseId,Status,RequestedByPerson,EmsCreationTime,LastUpdateTime,RequestAttachments&filter=Id%20%3D%2050001',
      ]);
    });

    it('stores the found person on the reporter', async () => {
      await pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));

      const reporter = await supportUserOf(dataSource, customerOne);
      expect(reporter.backendId).toBe('10003');
    });

    it('creates a person named after the user', async () => {
      const { user } = await createUser(dataSource, { email: 'ada@example.com', firstName: 'Ada', lastName: 'King Lovelace', fullName: 'Ada King Lovelace' });

      const pushed = await pushIssue(dataSource, backend, await saveIssue(dataSource, user));

      const [personCreate, requestCreate] = callsTo(fake, 'POST', '/ems/bulk').map(jsonOf);
      expect(personCreate).toEqual({
        entities: [{ entity_type: 'Person', properties: { FirstName: 'Ada', LastName: 'King Lovelace', Email: 'ada@example.com' } }],
        operation: 'CREATE',
      });
      expect(requestCreate).toMatchObject({ entities: [{ properties: { RequestedByPerson: '10004' } }] });
      expect(pushed.backendId).toBe('50001');
      expect((await supportUserOf(dataSource, user)).backendId).toBe('10004');
    });

    it('gives a one-word name to the last name', async () => {
      const { user } = await createUser(dataSource, { email: 'plato@example.com', firstName: '', lastName: '', fullName: 'Plato' });

      await pushIssue(dataSource, backend, await saveIssue(dataSource, user));

      expect(jsonOf(callsTo(fake, 'POST', '/ems/bulk')[0])).toMatchObject({ entities: [{ properties: { LastName: 'Plato', Email: 'plato@example.com' } }] });
    });

    it('waits until a new person is visible', async () => {
      fake.configure({ visibilityDelayMs: { Person: 700 } });
      useBackend({ timesToPull: 5, secondsToWait: 1 });
      const { user } = await createUser(dataSource, { email: 'late@example.com', fullName: 'Late Comer' });

      await pushIssue(dataSource, backend, await saveIssue(dataSource, user));

      const personReads = callsTo(fake, 'GET', '/ems/Person').filter((entry) => String(entry.query.filter).startsWith('Id'));
      expect(personReads.length).toBeGreaterThanOrEqual(2);
      expect(fake.listEntities('Person')).toHaveLength(4);
    });

    it('cuts the summary to 140 characters', async () => {
      await pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne, { summary: 'é'.repeat(200) }));

      expect(fake.getEntity('Request', '50001')?.DisplayLabel).toBe('é'.repeat(140));
    });

    it('raises a FAILED bulk response of HTTP 200', async () => {
      fake.addFault({ kind: 'bulk-failed', message: 'RequestsOffering 999 is retired.', times: 1 });
      const issue = await saveIssue(dataSource, customerOne);

      const error = await failureOf(pushIssue(dataSource, backend, issue));

      expect(error.message).toBe('SMAX rejected the CREATE of Request: RequestsOffering 999 is retired.');
      expect(error).toMatchObject({ status: 200, retryable: false });
      expect(fake.listEntities('Request')).toEqual([]);
    });

    it('adopts the request of a create whose response was lost', async () => {
      fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });
      const issue = await saveIssue(dataSource, customerOne);

      const pushed = await pushIssue(dataSource, backend, issue);

      expect(pushed.backendId).toBe('50001');
      expect(fake.listEntities('Request')).toHaveLength(1);
      expect(callsTo(fake, 'POST', '/ems/bulk')).toHaveLength(1);
    });

    it('finds the request of an earlier attempt', async () => {
      const issue = await saveIssue(dataSource, customerOne);
      await pushIssue(dataSource, backend, issue);

      const found = await dataSource.transaction((manager) => backend.findCreatedIssue(issue, manager));

      expect(found).toEqual({ backendId: '50001', key: '50001', backendName: 'smax', status: 'Log' });
    });

    it('finds nothing for an issue never sent', async () => {
      const issue = await saveIssue(dataSource, customerOne);

      const found = await dataSource.transaction((manager) => backend.findCreatedIssue(issue, manager));

      expect(found).toBeUndefined();
    });
  });

  describe('comments', () => {
    async function openIssue() {
      return pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));
    }

    it('adds a comment with privacy and submitter', async () => {
      const issue = await openIssue();
      const comment = await saveComment(dataSource, issue, customerOne, { description: 'Hello\nthere', isPublic: false });

      const pushed = await pushComment(dataSource, backend, issue, comment);

      const [post] = callsTo(fake, 'POST', '/collaboration/comments/Request/50001');
      expect(post.url).toBe('/rest/100000000/collaboration/comments/Request/50001');
      expect(jsonOf(post)).toEqual({
        IsSystem: false,
        Body: '<p>Hello<br>there</p>',
        PrivacyType: 'INTERNAL',
        ActualInterface: 'API',
        CommentFrom: 'User',
        FunctionalPurpose: 'EndUserComment',
        Submitter: { UserId: '10003' },
      });
      expect(pushed.backendId).toBe(fake.getComments('50001')[0].Id);
    });

    it('survives a token that expires between two writes', async () => {
      const issue = await openIssue();
      fake.addFault({ kind: 'expire-token', times: 1 });

      const pushed = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));

      expect(pushed.backendId).toBe(fake.getComments('50001')[0].Id);
      expect(callsTo(fake, 'POST', '/collaboration/comments/Request/50001').map((entry) => entry.status)).toEqual([401, 200]);
      expect(fake.getComments('50001')).toHaveLength(1);
    });

    it('replaces a comment with the whole comment', async () => {
      const issue = await openIssue();
      const comment = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));
      comment.description = 'Checked: it works.';
      comment.isPublic = false;

      await dataSource.transaction((manager) => backend.updateComment(comment, issue, manager));

      const [put] = callsTo(fake, 'PUT', `/collaboration/comments/Request/50001/${comment.backendId}`);
      expect(jsonOf(put)).toEqual({
        IsSystem: false,
        Body: '<p>Checked: it works.</p>',
        PrivacyType: 'INTERNAL',
        ActualInterface: 'API',
        CommentFrom: 'User',
        FunctionalPurpose: 'EndUserComment',
        Submitter: { UserId: '10003' },
      });
      expect(fake.getComments('50001')[0]).toMatchObject({ Body: '<p>Checked: it works.</p>', PrivacyType: 'INTERNAL' });
    });

    it('deletes a comment', async () => {
      const issue = await openIssue();
      const comment = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));

      await dataSource.transaction((manager) => backend.deleteComment(comment, issue, manager));

      expect(fake.getComments('50001')).toEqual([]);
    });

    it('treats a comment already gone as deleted', async () => {
      const issue = await openIssue();
      const comment = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));
      await dataSource.transaction((manager) => backend.deleteComment(comment, issue, manager));

      await expect(dataSource.transaction((manager) => backend.deleteComment(comment, issue, manager))).resolves.toBeUndefined();
    });

    it('adopts a comment whose response was lost', async () => {
      const issue = await openIssue();
      fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 });

      const pushed = await pushComment(dataSource, backend, issue, await saveComment(dataSource, issue, customerOne));

      expect(fake.getComments('50001')).toHaveLength(1);
      expect(pushed.backendId).toBe(fake.getComments('50001')[0].Id);
    });

    it('sends the integration user for an author without a user', async () => {
      const issue = await openIssue();
      const agent = await dataSource.getRepository(SupportUser).save({ name: 'Imported agent', backendName: 'smax', backendId: null, userId: null });
      const comment = await dataSource.getRepository(Comment).save({ issueId: issue.id, authorId: agent.id, description: 'From nobody', backendName: 'smax' });

      await pushComment(dataSource, backend, issue, comment);

      expect(jsonOf(callsTo(fake, 'POST', '/collaboration/comments/Request/50001')[0])).not.toHaveProperty('Submitter');
      expect(fake.getComments('50001')[0].Submitter).toEqual({ UserId: '10001' });
    });
  });

  describe('attachments', () => {
    async function openIssue() {
      return pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));
    }

    function attachmentEntries(): Array<Record<string, unknown>> {
      const value = fake.getEntity('Request', '50001')?.RequestAttachments;
      if (typeof value !== 'string') return [];
      return (JSON.parse(value) as { complexTypeProperties: Array<{ properties: Record<string, unknown> }> }).complexTypeProperties.map(
        (entry) => entry.properties,
      );
    }

    it('uploads a Unicode file name byte-exact', async () => {
      const issue = await openIssue();
      const name = 'Отчёт — 日本語 ✓ naïve.pdf';
      const content = Buffer.from('%PDF-1.4 test');
      const attachment = await saveAttachment(dataSource, issue, customerOne, content, { fileName: name, mimeType: 'application/pdf' });

      const pushed = await pushAttachment(dataSource, backend, issue, attachment, content);

      const [upload] = callsTo(fake, 'POST', '/ces/attachment');
      expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload.body.includes(Buffer.from(`name="files[]"; filename="${name}"`, 'utf8'))).toBe(true);
      expect(upload.body.includes(Buffer.from('Content-Type: application/pdf', 'utf8'))).toBe(true);
      const stored = fake.getFile(pushed.backendId);
      expect(Buffer.from(stored!.name, 'utf8').equals(Buffer.from(name, 'utf8'))).toBe(true);
      expect(stored!.content.equals(content)).toBe(true);
    });

    it('links the file with the entry Waldur writes', async () => {
      const issue = await openIssue();
      const content = Buffer.from('hello');
      const pushed = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, content), content);

      expect(attachmentEntries()).toEqual([
        {
          id: pushed.backendId,
          file_name: 'report.txt',
          file_extension: 'txt',
          size: 5,
          mime_type: 'text/plain',
          Creator: 'EXT-CUSTOMER-ONE',
          LastUpdateTime: fake.getFile(pushed.backendId)!.lastModified,
        },
      ]);
      const [link] = callsTo(fake, 'POST', '/ems/bulk').slice(-1).map(jsonOf);
      expect(link).toMatchObject({ entities: [{ entity_type: 'Request', properties: { Id: '50001' } }], operation: 'UPDATE' });
    });

    it('downloads the stored bytes', async () => {
      const issue = await openIssue();
      const content = Buffer.from([0, 1, 2, 250, 251, 252]);
      const pushed = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, content), content);

      const downloaded = await backend.downloadAttachment(pushed);

      expect(downloaded.content.equals(content)).toBe(true);
      expect(downloaded.contentType).toBe('text/plain');
    });

    it('links concurrent uploads to one request', async () => {
      const issue = await openIssue();
      const contents = ['one', 'two', 'three'].map((text) => Buffer.from(text));
      const attachments = await Promise.all(
        contents.map((content, index) => saveAttachment(dataSource, issue, customerOne, content, { fileName: `file-${index}.txt` })),
      );

      const pushed = await Promise.all(
        attachments.map((attachment, index) => backend.createAttachment(attachment, issue, contents[index], dataSource.manager)),
      );

      expect(attachmentEntries().map((entry) => entry.id).sort()).toEqual(pushed.map((remote) => remote.backendId).sort());
      expect(new Set(pushed.map((remote) => remote.backendId)).size).toBe(3);
    });

    it('links again when another writer dropped the entry', async () => {
      const issue = await openIssue();
      const content = Buffer.from('again');
      const attachment = await saveAttachment(dataSource, issue, customerOne, content);
      fake.addFault({ kind: 'latency', ms: 400, method: 'GET', path: '*/ems/Request', skip: 1, times: 1 });

      const push = pushAttachment(dataSource, backend, issue, attachment, content);
      await waitUntil(() => callsTo(fake, 'GET', '/ems/Request').some((entry) => entry.status === undefined));
      fake.agent.updateRequest('50001', { RequestAttachments: JSON.stringify({ complexTypeProperties: [] }) });
      const pushed = await push;

      expect(attachmentEntries().map((entry) => entry.id)).toEqual([pushed.backendId]);
      expect(callsTo(fake, 'POST', '/ems/bulk').filter((entry) => (jsonOf(entry) as { operation: string }).operation === 'UPDATE')).toHaveLength(2);
    });

    it('unlinks a deleted attachment and keeps the others', async () => {
      const issue = await openIssue();
      const first = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, Buffer.from('1'), { fileName: 'a.txt' }), Buffer.from('1'));
      const second = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, Buffer.from('2'), { fileName: 'b.txt' }), Buffer.from('2'));

      await dataSource.transaction((manager) => backend.deleteAttachment(first, issue, manager));

      expect(attachmentEntries().map((entry) => entry.id)).toEqual([second.backendId]);
    });

    it('does not send an empty file', async () => {
      const issue = await openIssue();
      const empty = Buffer.alloc(0);

      const pushed = await pushAttachment(dataSource, backend, issue, await saveAttachment(dataSource, issue, customerOne, empty), empty);

      expect(pushed.backendId).toBe('');
      expect(callsTo(fake, 'POST', '/ces/attachment')).toEqual([]);
    });
  });

  describe('availability', () => {
    it('allows comments and attachments only while open', async () => {
      const issue = await pushIssue(dataSource, backend, await saveIssue(dataSource, customerOne));
      const comment = new Comment();
      const closed = { ...issue, resolutionDate: new Date() };

      expect(backend.commentCreateIsAvailable(issue)).toBe(true);
      expect(backend.commentCreateIsAvailable(closed)).toBe(false);
      expect(backend.commentUpdateIsAvailable(comment, closed)).toBe(false);
      expect(backend.commentDestroyIsAvailable(comment, closed)).toBe(false);
      expect(backend.attachmentCreateIsAvailable(closed)).toBe(false);
      expect(backend.updateIsAvailable(issue)).toBe(false);
      expect(backend.destroyIsAvailable(issue)).toBe(false);
    });

    it('keeps HTML and the 140-character summary', () => {
      expect(backend.messageFormat).toBe('html');
      expect(backend.summaryMaxLength).toBe(140);
      expect(backend.name).toBe('smax');
    });
  });
});
