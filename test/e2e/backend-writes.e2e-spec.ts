import { EntityManager } from 'typeorm';

import { parseUuid } from '../../src/common/http/uuid';
import { SupportBackend } from '../../src/support/backends/support-backend';
import { SupportBackendProvider } from '../../src/support/backends/support-backend.provider';
import { Comment } from '../../src/support/comments/comment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { Issue } from '../../src/support/issues/issue.entity';
import { RemoteError } from '../../src/support/sync/common/remote-error';
import { DeliveryResult, OutboxDeliverer, OutboxDelivery, OutboxDelivererRegistry } from '../../src/support/sync/outbox/outbox-deliverer';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { OutboxWorker } from '../../src/support/sync/outbox/outbox-worker.service';
import { createStaff, UserWithToken } from '../support/factories';
import { createSyncTestApp, makeEverythingDue, SyncTestApp } from '../support/sync-test-app';

/** A remote backend whose every write must arrive through the outbox, never directly. */
class OutboxOnlyBackend extends SupportBackend {
  readonly name = 'zammad' as const;

  private direct(): never {
    throw new Error('A remote backend must not be called inside the request transaction');
  }

  createIssue = () => this.direct();
  updateIssue = () => this.direct();
  deleteIssue = () => this.direct();
  syncIssue = () => this.direct();
  createComment = () => this.direct();
  updateComment = () => this.direct();
  deleteComment = () => this.direct();
  createAttachment = () => this.direct();
  deleteAttachment = () => this.direct();
  createFeedback = () => this.direct();
  pullSupportUsers = async () => undefined;
  pullPriorities = async () => undefined;
  pullRequestTypes = async () => undefined;
}

/** Records deliveries and plays a remote that assigns keys; can be told to fail. */
class RecordingDeliverer extends OutboxDeliverer {
  readonly backendName = 'zammad';
  readonly delivered: OutboxDelivery[] = [];
  failures = 0;

  async findDelivered(): Promise<DeliveryResult | undefined> {
    return undefined;
  }

  async deliver(delivery: OutboxDelivery): Promise<DeliveryResult> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new RemoteError('Service unavailable', { retryable: true, status: 503 });
    }
    this.delivered.push(delivery);
    return { remoteId: `R-${this.delivered.length}` };
  }

  override async applyResult(manager: EntityManager, delivery: OutboxDelivery, result: DeliveryResult): Promise<void> {
    if (delivery.operation === 'issue.create' && delivery.issueId) {
      await manager.update(Issue, { id: delivery.issueId }, { key: result.remoteId, backendId: result.remoteId, state: SyncState.OK });
    }
    if (delivery.operation === 'comment.create' && delivery.targetId) {
      await manager.update(Comment, { id: delivery.targetId }, { backendId: result.remoteId, state: SyncState.OK });
    }
  }
}

describe('backend writes through the outbox', () => {
  let testApp: SyncTestApp;
  let staff: UserWithToken;
  let deliverer: RecordingDeliverer;

  beforeAll(async () => {
    testApp = await createSyncTestApp();
    const backend = new OutboxOnlyBackend();
    jest.spyOn(testApp.app.get(SupportBackendProvider), 'current').mockReturnValue(backend);
    deliverer = new RecordingDeliverer();
    testApp.app.get(OutboxDelivererRegistry).add(deliverer);
    staff = await createStaff(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function createIssue() {
    return testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', staff.auth)
      .send({ summary: 'Disk full', type: 'Incident', is_reported_manually: true });
  }

  it('answers a create with the remote key', async () => {
    const response = await createIssue().expect(201);

    expect(response.body.key).toMatch(/^R-\d+$/);
    expect(deliverer.delivered.at(-1)?.operation).toBe('issue.create');
  });

  it('records the outbox row as done', async () => {
    const response = await createIssue().expect(201);
    const rows = await testApp.dataSource.getRepository(OutboxEntry).findBy({ issueUuid: parseUuid(response.body.uuid) });

    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('done');
  });

  it('queues a comment while the backend is down and delivers it once', async () => {
    const issue = (await createIssue().expect(201)).body;
    const before = deliverer.delivered.length;
    deliverer.failures = 1;

    const comment = await testApp
      .http()
      .post(`/api/support-issues/${issue.uuid}/comment/`)
      .set('Authorization', staff.auth)
      .send({ description: 'Cleaned /tmp' })
      .expect(201);
    const queued = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ description: 'Cleaned /tmp' });
    expect(queued.state).toBe(SyncState.CREATION_SCHEDULED);

    await makeEverythingDue(testApp);
    await testApp.app.get(OutboxWorker).drainUntilIdle();

    const delivered = deliverer.delivered.slice(before).filter((delivery) => delivery.operation === 'comment.create');
    expect(delivered).toHaveLength(1);
    expect(delivered[0].targetUuid?.replace(/-/g, '')).toBe(comment.body.uuid);
    const stored = await testApp.dataSource.getRepository(Comment).findOneByOrFail({ id: queued.id });
    expect(stored.state).toBe(SyncState.OK);
    expect(stored.backendId).toMatch(/^R-\d+$/);
  });
});
