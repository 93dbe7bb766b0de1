import { randomUUID } from 'node:crypto';

import { AtlassianBackendProvider } from '../../src/support/backends/atlassian/atlassian-backend.provider';
import { AtlassianOutboxDeliverer } from '../../src/support/backends/atlassian/atlassian-outbox-deliverer';
import { Comment } from '../../src/support/comments/comment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { RequestType } from '../../src/support/request-types/request-type.entity';
import { OutboxDelivery } from '../../src/support/sync/outbox/outbox-deliverer';
import { createUser } from '../support/factories';
import { createJiraIssue } from '../support/jira-backend';
import { createComment, createSupportUser } from '../support/support-factories';
import { createTestApp, TestApp } from '../support/test-app';

// Row locks need two real sessions; embedded PGlite serves every connection from one.
const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describeOnPostgres('Jira adapter in concurrent transactions (PostgreSQL only)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('stores a pushed comment while a pull locks its issue', async () => {
    const dataSource = testApp.dataSource;
    const caller = await createUser(dataSource);
    const issue = await createJiraIssue(dataSource, caller.user, { backendId: '10001', key: 'SUP-1' });
    const author = await createSupportUser(dataSource, { backendName: 'atlassian' });
    const comment = await createComment(dataSource, issue, author, { description: 'Restarted, still broken.' });
    const delivery: OutboxDelivery = {
      uuid: randomUUID(),
      backendName: 'atlassian',
      operation: 'comment.create',
      issueId: issue.id,
      issueUuid: issue.uuid,
      targetType: 'comment',
      targetId: comment.id,
      targetUuid: comment.uuid,
      payload: {},
      attempt: 1,
      idempotencyKey: randomUUID(),
      lastError: null,
      signal: new AbortController().signal,
    };

    // The pull locks the issue first, then links the Jira comment to our row, as it does
    // when a webhook for the pushed comment arrives before the push has stored its id.
    const pull = dataSource.createQueryRunner();
    await pull.connect();
    await pull.startTransaction();
    try {
      await pull.query('SELECT id FROM issues WHERE id = $1 FOR UPDATE', [issue.id]);
      const applied = dataSource.transaction((manager) => testApp.app.get(AtlassianOutboxDeliverer).applyResult(manager, delivery, { remoteId: '10100' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await pull.query('UPDATE comments SET backend_id = $1, backend_name = $2 WHERE id = $3 AND backend_id IS NULL', ['10100', 'atlassian', comment.id]);
      await pull.commitTransaction();

      await expect(applied).resolves.toBeUndefined();
    } finally {
      if (pull.isTransactionActive) await pull.rollbackTransaction();
      await pull.release();
    }

    const stored = await dataSource.getRepository(Comment).findOneByOrFail({ id: comment.id });
    expect(stored.backendId).toBe('10100');
    expect(stored.state).toBe(SyncState.OK);
  });

  it('stores a request type once when two creates race', async () => {
    const dataSource = testApp.dataSource;
    const reference = testApp.app.get(AtlassianBackendProvider).current().reference;
    const records = [{ backendId: 77, name: 'Get IT help', issueTypeId: '10100', issueTypeName: 'Service Request', fields: [] }];

    // Two first creates both find the request type missing and store it.
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await reference.storeRequestTypes(first.manager, records);
      const second = dataSource.transaction((manager) => reference.storeRequestTypes(manager, records));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.commitTransaction();

      await expect(second).resolves.toBeUndefined();
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }

    expect(await dataSource.getRepository(RequestType).countBy({ backendName: 'atlassian', backendId: 77 })).toBe(1);
  });
});
