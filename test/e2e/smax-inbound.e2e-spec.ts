import { parseUuid } from '../../src/common/http/uuid';
import { SettingsService } from '../../src/settings/settings.service';
import { SMAX_BACKEND_NAME } from '../../src/support/backends/smax/smax-request-applier';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { Issue } from '../../src/support/issues/issue.entity';
import { InboxEntry } from '../../src/support/sync/inbox/inbox-entry.entity';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { RemotePuller, RemotePullerRegistry } from '../../src/support/sync/pull/remote-puller';
import { INTEGRATION_USER } from '../fakes/smax/seed';
import { createStaff, UserWithToken } from '../support/factories';
import {
  commentsOf,
  createSmaxTestApp,
  drainOutbox,
  findIssue,
  resetFakeSmax,
  settleWebhooks,
  SmaxTestApp,
} from '../support/smax-app';

const WEBHOOK_PATH = '/api/support-smax-webhook/';

describe('SMAX changes coming in', () => {
  let testApp: SmaxTestApp;
  let staff: UserWithToken;
  let runner: PullRunner;
  let puller: RemotePuller;

  beforeAll(async () => {
    testApp = await createSmaxTestApp();
    staff = await createStaff(testApp.dataSource, { email: 'customer.one@example.com', firstName: 'Customer', lastName: 'One' });
    runner = testApp.app.get(PullRunner);
    puller = testApp.app.get(RemotePullerRegistry).get(`${SMAX_BACKEND_NAME}:issues`);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    resetFakeSmax(testApp.fake);
  });

  function useWebhook(secret?: string): void {
    testApp.fake.addWebhookTarget({ url: `${testApp.url}${WEBHOOK_PATH}`, secret });
  }

  /** Creates an issue through the API and lets the notification of its create settle. */
  async function createIssue(): Promise<{ uuid: string; key: string; issue: Issue }> {
    const response = await testApp
      .http()
      .post('/api/support-issues/')
      .set('Authorization', staff.auth)
      .send({ summary: 'VPN not reachable', description: 'Times out.', type: 'Incident', is_reported_manually: true })
      .expect(201);
    await settleWebhooks(testApp);
    return { uuid: response.body.uuid, key: response.body.key, issue: await findIssue(testApp, parseUuid(response.body.uuid)!) };
  }

  function readIssue(uuid: string) {
    return testApp.http().get(`/api/support-issues/${uuid}/`).set('Authorization', staff.auth).expect(200);
  }

  async function deliveriesAbout(requestId: string): Promise<InboxEntry[]> {
    return testApp.dataSource.getRepository(InboxEntry).find({ where: { source: SMAX_BACKEND_NAME, remoteObjectId: requestId }, order: { id: 'ASC' } });
  }

  function outboxRowOf(targetUuid: string): Promise<OutboxEntry> {
    return testApp.dataSource.getRepository(OutboxEntry).findOneByOrFail({ targetUuid });
  }

  describe('by webhook', () => {
    it('adds an agent comment to our issue', async () => {
      useWebhook();
      const { key, issue } = await createIssue();

      testApp.fake.agent.comment(key, { body: '<p>Rebooted the gateway.</p>' });
      await settleWebhooks(testApp);

      const comments = await commentsOf(testApp, issue);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({
        description: 'Rebooted the gateway.',
        originalBody: '<p>Rebooted the gateway.</p>',
        isPublic: true,
        backendName: 'smax',
        state: SyncState.OK,
      });
      expect(comments[0].author).toMatchObject({ backendName: 'smax', backendId: '10002', name: 'Agent One' });
    });

    it('serves agent HTML as plain text', async () => {
      useWebhook();
      const { uuid, key } = await createIssue();
      testApp.fake.agent.updateRequest(key, { Description: '<p>Disk <b>full</b></p><img src=x onerror="alert(1)">' });
      testApp.fake.agent.comment(key, { body: '<p>Hi</p><script>alert(1)</script>' });
      await settleWebhooks(testApp);

      const issue = await readIssue(uuid);
      const comments = await testApp
        .http()
        .get(`/api/support-comments/?issue=${encodeURIComponent(issue.body.url)}`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(issue.body.description).toBe('Disk full');
      expect(comments.body.map((comment: { description: string }) => comment.description)).toEqual(['Hi']);
    });

    it('resolves the issue on phase Close', async () => {
      useWebhook();
      const { uuid, key } = await createIssue();

      testApp.fake.agent.setPhase(key, 'Close', { CompletionCode: 'CompletionCodeFulfilled' });
      await settleWebhooks(testApp);

      const response = await readIssue(uuid);
      expect(response.body).toMatchObject({ status: 'Close', resolved: true });
      const stored = await findIssue(testApp, parseUuid(uuid)!);
      expect(stored.resolutionDate).toBeInstanceOf(Date);
      expect(stored.feedbackRequestedAt).toBeInstanceOf(Date);
      expect(response.body.add_comment_is_available).toBe(false);
    });

    it('cancels the issue on phase Abandon', async () => {
      useWebhook();
      const { uuid, key } = await createIssue();

      testApp.fake.agent.setPhase(key, 'Abandon');
      await settleWebhooks(testApp);

      expect((await readIssue(uuid)).body).toMatchObject({ status: 'Abandon', resolved: false });
      const stored = await findIssue(testApp, parseUuid(uuid)!);
      expect(stored.resolutionDate).toBeInstanceOf(Date);
      expect(stored.feedbackRequestedAt).toBeNull();
    });

    it('requests no feedback while feedback is disabled', async () => {
      const settings = testApp.app.get(SettingsService);
      await settings.update({ ISSUE_FEEDBACK_ENABLE: false });
      try {
        useWebhook();
        const { uuid, key } = await createIssue();

        testApp.fake.agent.setPhase(key, 'Close');
        await settleWebhooks(testApp);

        const stored = await findIssue(testApp, parseUuid(uuid)!);
        expect(stored.status).toBe('Close');
        expect(stored.resolutionDate).toBeInstanceOf(Date);
        expect(stored.feedbackRequestedAt).toBeNull();
      } finally {
        await settings.update({ ISSUE_FEEDBACK_ENABLE: true });
      }
    });

    it('changes nothing on duplicate deliveries', async () => {
      useWebhook();
      const { key, issue } = await createIssue();
      const before = (await deliveriesAbout(key)).length;
      testApp.fake.addWebhookFault({ kind: 'duplicate', times: 1 });

      testApp.fake.agent.comment(key, { body: '<p>Looking into it.</p>' });
      await settleWebhooks(testApp);

      expect((await commentsOf(testApp, issue)).map((comment) => comment.description)).toEqual(['Looking into it.']);
      const statuses = (await deliveriesAbout(key)).slice(before).map((entry) => entry.status);
      expect(statuses.sort()).toEqual(['ignored', 'processed']);
    });

    it('ends in the newest state after out-of-order deliveries', async () => {
      useWebhook();
      const { uuid, key, issue } = await createIssue();
      testApp.fake.addWebhookFault({ kind: 'hold' });
      testApp.fake.agent.comment(key, { body: '<p>Fixed.</p>' });
      testApp.fake.agent.setPhase(key, 'Close');

      testApp.fake.releaseWebhooks('reverse');
      await settleWebhooks(testApp);

      expect((await readIssue(uuid)).body).toMatchObject({ status: 'Close', resolved: true });
      expect((await commentsOf(testApp, issue)).map((comment) => comment.description)).toEqual(['Fixed.']);
    });

    it('does not copy our own comment back', async () => {
      useWebhook();
      const { uuid, key, issue } = await createIssue();

      await testApp.http().post(`/api/support-issues/${uuid}/comment/`).set('Authorization', staff.auth).send({ description: 'Any news?' }).expect(201);
      await settleWebhooks(testApp);

      const comments = await commentsOf(testApp, issue);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({ description: 'Any news?', backendId: testApp.fake.getComments(key)[0].Id, state: SyncState.OK });
      expect((await deliveriesAbout(key)).every((entry) => entry.status !== 'failed')).toBe(true);
    });

    it('ignores Requests that are not ours', async () => {
      const foreign = testApp.fake.agent.createRequest({ DisplayLabel: 'Printer jam', RequestedByPerson: '10003' });
      const issuesBefore = await testApp.dataSource.getRepository(Issue).count();

      await testApp.http().post(WEBHOOK_PATH).send({ id: String(foreign.Id) }).expect(200, {});
      await testApp.http().post(WEBHOOK_PATH).send({ id: '99999999' }).expect(200, {});
      await testApp.app.get(InboxService).whenIdle();

      const [foreignDelivery] = await deliveriesAbout(String(foreign.Id));
      expect(foreignDelivery).toMatchObject({ status: 'ignored', lastError: `SMAX Request ${String(foreign.Id)} belongs to no issue of ours.` });
      const [unknownDelivery] = await deliveriesAbout('99999999');
      expect(unknownDelivery).toMatchObject({ status: 'ignored', lastError: 'SMAX Request 99999999 was not found.' });
      expect(await testApp.dataSource.getRepository(Issue).count()).toBe(issuesBefore);
    });

    it('records a delivery that names a Request with a NUL character', async () => {
      await testApp.http().post(WEBHOOK_PATH).send({ id: '99999997\u0000' }).expect(200, {});
      await testApp.app.get(InboxService).whenIdle();

      const [delivery] = await deliveriesAbout('99999997');
      expect(delivery).toMatchObject({ status: 'ignored', lastError: 'SMAX Request 99999997 was not found.' });
    });

    it('rejects deliveries without the shared secret', async () => {
      const settings = testApp.app.get(SettingsService);
      await settings.update({ SMAX_WEBHOOK_SECRET: 'shared-s3cret' });
      try {
        await testApp.http().post(WEBHOOK_PATH).send({ id: '50001' }).expect(403);
        await testApp.http().post(WEBHOOK_PATH).set('X-Smax-Webhook-Secret', 'guess').send({ id: '50001' }).expect(403);

        useWebhook('shared-s3cret');
        const { key, issue } = await createIssue();
        testApp.fake.agent.comment(key, { body: '<p>Signed change.</p>' });
        await settleWebhooks(testApp);

        expect((await commentsOf(testApp, issue)).map((comment) => comment.description)).toEqual(['Signed change.']);
        const [stored] = await deliveriesAbout(key);
        expect(stored.signatureVerdict).toBe('valid');
        expect(Object.keys(stored.headers)).not.toContain('x-smax-webhook-secret');
      } finally {
        await settings.update({ SMAX_WEBHOOK_SECRET: null });
      }
    });

    it('accepts a body sent as plain text', async () => {
      useWebhook();
      const { key, issue } = await createIssue();
      testApp.fake.clearWebhookTargets();
      testApp.fake.agent.comment(key, { body: '<p>Plain body.</p>' });

      await testApp.http().post(WEBHOOK_PATH).set('Content-Type', 'text/plain').send(JSON.stringify({ id: key })).expect(200, {});
      await testApp.app.get(InboxService).whenIdle();

      expect((await commentsOf(testApp, issue)).map((comment) => comment.description)).toEqual(['Plain body.']);
    });
  });

  describe('while another backend is active', () => {
    it('keeps bringing SMAX changes in', async () => {
      const settings = testApp.app.get(SettingsService);
      useWebhook();
      const { uuid, key, issue } = await createIssue();
      await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic' });
      try {
        testApp.fake.agent.comment(key, { body: '<p>Answered after the switch.</p>' });
        await settleWebhooks(testApp);
        testApp.fake.clearWebhookTargets();
        testApp.fake.agent.setPhase(key, 'Close');

        const counts = await runner.pull(puller);

        expect(counts.failed).toBe(0);
        expect((await commentsOf(testApp, issue)).map((comment) => comment.description)).toEqual(['Answered after the switch.']);
        expect((await deliveriesAbout(key)).map((entry) => entry.status)).not.toContain('failed');
        expect((await readIssue(uuid)).body).toMatchObject({ status: 'Close', resolved: true });
      } finally {
        await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'smax' });
      }
    });

    it('keeps waiting deliveries while SMAX settings are missing', async () => {
      const settings = testApp.app.get(SettingsService);
      const { key } = await createIssue();
      await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic', SMAX_LOGIN: null });
      try {
        await testApp.http().post(WEBHOOK_PATH).send({ id: key }).expect(200, {});
        await testApp.app.get(InboxService).whenIdle();

        const delivery = await testApp.dataSource.getRepository(InboxEntry).findOneOrFail({ where: { source: SMAX_BACKEND_NAME }, order: { id: 'DESC' } });
        expect(delivery.status).toBe('failed');
        expect(delivery.lastError).toContain('SMAX is not configured: set SMAX_LOGIN.');
      } finally {
        await settings.update({ WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'smax', SMAX_LOGIN: INTEGRATION_USER.login });
      }
    });
  });

  describe('by pull', () => {
    it('adds an agent comment without any webhook', async () => {
      const { key, issue } = await createIssue();
      testApp.fake.agent.comment(key, { body: '<p>Seen by the pull.</p>', privacy: 'INTERNAL' });

      const counts = await runner.pull(puller);

      expect(counts.failed).toBe(0);
      expect(counts.applied).toBeGreaterThanOrEqual(1);
      const comments = await commentsOf(testApp, issue);
      expect(comments.map((comment) => [comment.description, comment.isPublic])).toEqual([['Seen by the pull.', false]]);
    });

    it('copies text with NUL characters', async () => {
      const { key, issue } = await createIssue();
      testApp.fake.agent.comment(key, { body: '<p>Null\u0000 byte.</p>' });
      testApp.fake.agent.attach(key, { fileName: 'trace\u0000.log', content: Buffer.from('trace') });
      testApp.fake.agent.updateRequest(key, { DisplayLabel: 'VPN\u0000 down' });

      const counts = await runner.pull(puller);

      expect(counts.failed).toBe(0);
      expect((await commentsOf(testApp, issue)).map((comment) => comment.originalBody)).toEqual(['<p>Null byte.</p>']);
      const files = await testApp.dataSource.getRepository(Attachment).findBy({ issueId: issue.id });
      expect(files.map((file) => file.fileName)).toEqual(['trace.log']);
      expect((await findIssue(testApp, issue.uuid)).summary).toBe('VPN down');
    });

    it('skips Requests it applied before', async () => {
      const { key } = await createIssue();
      testApp.fake.agent.setPhase(key, 'Close');
      await runner.pull(puller);

      const counts = await runner.pull(puller);

      expect(counts).toMatchObject({ applied: 0, failed: 0 });
    });

    it('links our comment when it sees it before the push result', async () => {
      const { uuid, key, issue } = await createIssue();
      testApp.fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/collaboration/comments/*', times: 1 });
      testApp.fake.addFault({ kind: 'status', status: 503, method: 'GET', path: '*/collaboration/comments/*', times: 3 });

      await testApp.http().post(`/api/support-issues/${uuid}/comment/`).set('Authorization', staff.auth).send({ description: 'Gateway logs attached.' }).expect(201);
      const [pushed] = await commentsOf(testApp, issue);
      expect(pushed.backendId).toBeNull();
      const remote = testApp.fake.getComments(key);
      expect(remote).toHaveLength(1);

      await runner.pull(puller);
      const [pulled] = await commentsOf(testApp, issue);
      expect(pulled).toMatchObject({ id: pushed.id, backendId: remote[0].Id });
      expect((await outboxRowOf(pushed.uuid)).status).toBe('pending');
      await drainOutbox(testApp);

      expect(testApp.fake.getComments(key)).toHaveLength(1);
      const comments = await commentsOf(testApp, issue);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({ id: pushed.id, backendId: remote[0].Id, state: SyncState.OK });
      expect(await outboxRowOf(pushed.uuid)).toMatchObject({ status: 'done', remoteId: remote[0].Id });
    });

    it('marks an issue whose Request is gone as ERRED', async () => {
      const { issue } = await createIssue();
      await testApp.dataSource.getRepository(Issue).update(issue.id, { backendId: '99999998', key: '99999998' });
      const ratio = testApp.syncConfig.pull.reconcileMaxGoneRatio;
      testApp.syncConfig.pull.reconcileMaxGoneRatio = 1;
      try {
        const counts = await runner.reconcile(puller);

        expect(counts?.gone).toBe(1);
        const stored = await findIssue(testApp, issue.uuid);
        expect(stored.state).toBe(SyncState.ERRED);
      } finally {
        testApp.syncConfig.pull.reconcileMaxGoneRatio = ratio;
      }
    });
  });
});
