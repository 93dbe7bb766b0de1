import { randomUUID } from 'node:crypto';

import { formatUuid } from '../../src/common/http/uuid';
import { LOCAL_CHANGE, remoteChange, runWithChangeContext } from '../../src/support/sync/common/change-origin';
import { contentHash } from '../../src/support/sync/common/content-hash';
import { RemoteError } from '../../src/support/sync/common/remote-error';
import { EchoGuard } from '../../src/support/sync/echo/echo-guard.service';
import { OutboxDelivererRegistry } from '../../src/support/sync/outbox/outbox-deliverer';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { OutboxWorker } from '../../src/support/sync/outbox/outbox-worker.service';
import { OutboxEnqueueInput, OutboxService } from '../../src/support/sync/outbox/outbox.service';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { RemoteDouble, RemoteDoubleDeliverer } from '../support/sync-remote-double';
import { createSyncTestApp, makeEverythingDue, SyncTestApp } from '../support/sync-test-app';


describe('sync outbox', () => {
  let testApp: SyncTestApp;
  let outbox: OutboxService;
  let worker: OutboxWorker;
  let remote: RemoteDouble;
  let deliverer: RemoteDoubleDeliverer;
  let staff: UserWithToken;
  let nextIssueId = 1;
  let testNumber = 0;
  // Each test gets a backend name of its own, because circuit breakers live per process
  // and per backend: a circuit one test opened must not hold back the next.
  let backend: string;

  beforeAll(async () => {
    testApp = await createSyncTestApp();
    outbox = testApp.app.get(OutboxService);
    worker = testApp.app.get(OutboxWorker);
    staff = await createStaff(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(async () => {
    // A fresh remote and deliverer per test, and an empty outbox, so rows of one test never
    // hold back another's.
    await testApp.dataSource.query(`DELETE FROM sync_outbox`);
    testNumber += 1;
    backend = `double-${testNumber}`;
    remote = new RemoteDouble();
    deliverer = new RemoteDoubleDeliverer(backend, remote);
    testApp.app.get(OutboxDelivererRegistry).add(deliverer);
    const defaults = createSyncTestAppDefaults();
    Object.assign(testApp.syncConfig.outbox, defaults.outbox);
    Object.assign(testApp.syncConfig.circuit, defaults.circuit);
    testApp.syncConfig.random = () => 0.5;
  });

  function newIssue(): { id: number; uuid: string } {
    return { id: nextIssueId++, uuid: randomUUID() };
  }

  async function enqueue(inputs: Partial<OutboxEnqueueInput>[]): Promise<OutboxEntry[]> {
    return testApp.dataSource.transaction(async (manager) => {
      const rows: OutboxEntry[] = [];
      for (const input of inputs) {
        const row = await outbox.enqueue(manager, { backendName: backend, operation: 'comment.create', ...input }, LOCAL_CHANGE);
        rows.push(row!);
      }
      return rows;
    });
  }

  async function reload(row: OutboxEntry): Promise<OutboxEntry> {
    return testApp.dataSource.getRepository(OutboxEntry).findOneByOrFail({ id: row.id });
  }

  /** Milliseconds between the last failed attempt and the next one, as stored. */
  async function storedDelayMs(row: OutboxEntry): Promise<number> {
    const [{ delay }] = await testApp.dataSource.query(
      `SELECT extract(epoch FROM next_attempt_at - modified) * 1000 AS delay FROM sync_outbox WHERE id = $1`,
      [row.id],
    );
    return Math.round(Number(delay));
  }

  describe('enqueue', () => {
    it('writes in the caller transaction', async () => {
      const issue = newIssue();
      await expect(
        testApp.dataSource.transaction(async (manager) => {
          await outbox.enqueue(manager, { backendName: backend, operation: 'issue.create', issue }, LOCAL_CHANGE);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const count = await testApp.dataSource.getRepository(OutboxEntry).countBy({ issueUuid: issue.uuid });
      expect(count).toBe(0);
    });

    it('stores the row with its marker', async () => {
      const issue = newIssue();
      const target = { type: 'comment' as const, id: 7, uuid: randomUUID() };
      const [row] = await enqueue([{ issue, target, payload: { text: 'hello' } }]);
      const stored = await reload(row);
      expect(stored.status).toBe('pending');
      expect(stored.issueUuid).toBe(issue.uuid);
      expect(stored.targetUuid).toBe(target.uuid);
      expect(stored.payload).toEqual({ text: 'hello' });
      expect(stored.idempotencyKey).toBe(stored.uuid);
    });

    it('skips remote changes given explicitly', async () => {
      const row = await testApp.dataSource.transaction((manager) =>
        outbox.enqueue(manager, { backendName: backend, operation: 'issue.update' }, remoteChange(backend)),
      );
      expect(row).toBeNull();
    });

    it('skips remote changes from the ambient context', async () => {
      const row = await runWithChangeContext(remoteChange(backend), () =>
        testApp.dataSource.transaction((manager) => outbox.enqueue(manager, { backendName: backend, operation: 'issue.update' })),
      );
      expect(row).toBeNull();
      expect(await testApp.dataSource.getRepository(OutboxEntry).count()).toBe(0);
    });

    it('rejects an unknown operation', async () => {
      await expect(
        testApp.dataSource.transaction((manager) =>
          outbox.enqueue(manager, { backendName: backend, operation: 'issue.explode' as never }, LOCAL_CHANGE),
        ),
      ).rejects.toThrow('Unknown outbox operation "issue.explode"');
    });
  });

  describe('delivery order', () => {
    it('delivers rows of one issue in order', async () => {
      remote.latencyMs = 5;
      const first = newIssue();
      const second = newIssue();
      const inputs: Partial<OutboxEnqueueInput>[] = [];
      for (let index = 0; index < 5; index++) {
        inputs.push({ issue: first, payload: { index } }, { issue: second, payload: { index } });
      }
      const rows = await enqueue(inputs);

      await worker.drainUntilIdle();

      for (const issue of [first, second]) {
        const delivered = remote.calls.filter((call) => call.issueUuid === issue.uuid).map((call) => call.rowUuid);
        const expected = rows.filter((row) => row.issueUuid === issue.uuid).map((row) => row.uuid);
        expect(delivered).toEqual(expected);
      }
      expect(remote.maxInFlightPerIssue).toBe(1);
    });

    it('delivers rows of different issues in one batch', async () => {
      remote.latencyMs = 20;
      await enqueue([{ issue: newIssue() }, { issue: newIssue() }, { issue: newIssue() }]);
      const attempted = await worker.pollOnce();
      expect(attempted).toBe(3);
    });

    it('holds later rows behind a dead row', async () => {
      const blocked = newIssue();
      const other = newIssue();
      remote.failNext(1, () => new RemoteError('Field summary is required', { retryable: false, status: 400 }));
      const [dead, later] = await enqueue([{ issue: blocked }, { issue: blocked }]);
      const [free] = await enqueue([{ issue: other }]);

      await worker.drainUntilIdle();

      expect((await reload(dead)).status).toBe('dead');
      expect((await reload(dead)).lastError).toBe('HTTP 400: Field summary is required');
      expect((await reload(later)).status).toBe('pending');
      expect((await reload(free)).status).toBe('done');
      expect(deliverer.dead.map((entry) => entry.rowUuid)).toEqual([dead.uuid]);
    });

    it('replays a dead row once, then the rows behind it', async () => {
      const issue = newIssue();
      remote.failNext(1, () => new RemoteError('Bad request', { retryable: false, status: 400 }));
      const [dead, later] = await enqueue([{ issue, operation: 'issue.create' }, { issue }]);
      await worker.drainUntilIdle();

      const response = await testApp
        .http()
        .post(`/api/support-sync-outbox/${dead.uuid.replace(/-/g, '')}/replay/`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(response.body.status).toBe('pending');
      expect(response.body.attempts).toBe(0);

      await worker.drainUntilIdle();

      expect((await reload(dead)).status).toBe('done');
      expect((await reload(later)).status).toBe('done');
      const creates = remote.calls.filter((call) => call.rowUuid === dead.uuid && call.outcome === 'ok');
      expect(creates).toHaveLength(1);
      expect([...remote.objects.values()].filter((object) => object.marker === dead.idempotencyKey)).toHaveLength(1);
    });

    it('releases later rows when a dead row is discarded', async () => {
      const issue = newIssue();
      remote.failNext(1, () => new RemoteError('Bad request', { retryable: false, status: 400 }));
      const [dead, later] = await enqueue([{ issue }, { issue }]);
      await worker.drainUntilIdle();

      await testApp
        .http()
        .post(`/api/support-sync-outbox/${dead.uuid}/discard/`)
        .set('Authorization', staff.auth)
        .expect(200);
      await worker.drainUntilIdle();

      expect((await reload(dead)).status).toBe('discarded');
      expect((await reload(later)).status).toBe('done');
      expect(remote.calls.filter((call) => call.rowUuid === dead.uuid)).toHaveLength(1);
    });
  });

  describe('retries', () => {
    it('grows the back-off with each failure', async () => {
      testApp.syncConfig.random = () => 0.999;
      testApp.syncConfig.circuit.failureThreshold = 100;
      remote.failNext(3, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      const [row] = await enqueue([{ issue: newIssue() }]);

      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        await worker.pollOnce();
        delays.push(await storedDelayMs(row));
        await makeEverythingDue(testApp);
      }
      await worker.drainUntilIdle();

      // retryBaseMs is 100, so the ceilings are 100, 200 and 400 ms; the jitter picks 99.9% of each.
      expect(delays[0]).toBeGreaterThanOrEqual(95);
      expect(delays[0]).toBeLessThanOrEqual(100);
      expect(delays[1]).toBeGreaterThanOrEqual(195);
      expect(delays[1]).toBeLessThanOrEqual(200);
      expect(delays[2]).toBeGreaterThanOrEqual(395);
      expect(delays[2]).toBeLessThanOrEqual(400);
      expect((await reload(row)).status).toBe('done');
      expect((await reload(row)).attempts).toBe(4);
    });

    it('keeps the back-off under the cap', async () => {
      testApp.syncConfig.random = () => 0.999;
      testApp.syncConfig.outbox.retryCapMs = 150;
      remote.failNext(3, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      const [row] = await enqueue([{ issue: newIssue() }]);
      for (let attempt = 1; attempt <= 3; attempt++) {
        await worker.pollOnce();
        expect(await storedDelayMs(row)).toBeLessThanOrEqual(150);
        await makeEverythingDue(testApp);
      }
    });

    it('waits at least Retry-After', async () => {
      testApp.syncConfig.random = () => 0;
      remote.failNext(1, () => RemoteError.fromStatus(429, 'Too Many Requests', 120));
      const [row] = await enqueue([{ issue: newIssue() }]);

      await worker.pollOnce();

      const stored = await reload(row);
      expect(stored.status).toBe('pending');
      expect(stored.lastError).toBe('HTTP 429: Too Many Requests');
      expect(await storedDelayMs(row)).toBe(120_000);
      expect(await worker.pollOnce()).toBe(0);
    });

    it('parks a row as dead after the last attempt', async () => {
      testApp.syncConfig.outbox.maxAttempts = 3;
      testApp.syncConfig.circuit.failureThreshold = 100;
      remote.failNext(10, () => new RemoteError('Bad Gateway', { retryable: true, status: 502 }));
      const [row] = await enqueue([{ issue: newIssue() }]);

      for (let attempt = 1; attempt <= 3; attempt++) {
        await worker.pollOnce();
        await makeEverythingDue(testApp);
      }

      const stored = await reload(row);
      expect(stored.status).toBe('dead');
      expect(stored.attempts).toBe(3);
      expect(stored.lastError).toBe('HTTP 502: Bad Gateway');
      expect(await worker.pollOnce()).toBe(0);
    });

    it('times out a hanging delivery and retries it', async () => {
      testApp.syncConfig.outbox.deliveryTimeoutMs = 50;
      // The push keeps its row claimed for ten delivery timeouts, 500 ms here.
      remote.latencyMs = 800;
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.update', payload: { remoteId: 'R-missing' } }]);

      await worker.pollOnce();
      await waitFor(async () => (await reload(row)).status !== 'in_progress');

      const stored = await reload(row);
      expect(stored.status).toBe('pending');
      expect(stored.lastError).toBe('Delivery timed out after 50 ms');
    });

    it('creates once when a push outlives the timeout', async () => {
      testApp.syncConfig.outbox.deliveryTimeoutMs = 50;
      remote.latencyMs = 300;
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);

      await worker.pollOnce();
      await waitFor(async () => (await reload(row)).status !== 'in_progress');
      await makeEverythingDue(testApp);
      await worker.drainUntilIdle();

      expect((await reload(row)).status).toBe('done');
      expect((await reload(row)).attempts).toBe(1);
      expect(remote.objects.size).toBe(1);
      expect(remote.calls).toHaveLength(1);
    });

    it('keeps the claim of a slow push past its lease', async () => {
      testApp.syncConfig.outbox.deliveryTimeoutMs = 50;
      testApp.syncConfig.outbox.leaseMs = 150;
      remote.latencyMs = 400;
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);

      await worker.pollOnce();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await worker.pollOnce()).toBe(0);
      await waitFor(async () => (await reload(row)).status !== 'in_progress');

      expect((await reload(row)).status).toBe('done');
      expect(remote.calls).toHaveLength(1);
    });

    it('records the late failure of a slow push', async () => {
      testApp.syncConfig.outbox.deliveryTimeoutMs = 50;
      remote.latencyMs = 300;
      remote.failNext(1, () => new RemoteError('Bad Gateway', { retryable: true, status: 502 }));
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);

      await worker.pollOnce();
      await waitFor(async () => (await reload(row)).status !== 'in_progress');

      const stored = await reload(row);
      expect(stored.status).toBe('pending');
      expect(stored.lastError).toBe('HTTP 502: Bad Gateway');
    });
  });

  describe('circuit breaker', () => {
    async function circuitState(): Promise<string> {
      const response = await testApp.http().get('/api/support-sync-status/').set('Authorization', staff.auth).expect(200);
      return response.body.backends.find((entry: { backend_name: string }) => entry.backend_name === backend).circuit.state;
    }

    it('opens after consecutive failures and half-opens after the cool-down', async () => {
      remote.failNext(3, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      await enqueue([{ issue: newIssue() }, { issue: newIssue() }, { issue: newIssue() }]);
      await worker.pollOnce();
      expect(await circuitState()).toBe('open');

      await makeEverythingDue(testApp);
      expect(await worker.pollOnce()).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, testApp.syncConfig.circuit.coolDownMs + 50));
      expect(await worker.pollOnce()).toBe(1);
      expect(await circuitState()).toBe('closed');
      expect(await worker.pollOnce()).toBe(2);
    });

    it('opens again when the half-open trial fails', async () => {
      remote.failNext(4, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      await enqueue([{ issue: newIssue() }, { issue: newIssue() }, { issue: newIssue() }]);
      await worker.pollOnce();
      await makeEverythingDue(testApp);
      await new Promise((resolve) => setTimeout(resolve, testApp.syncConfig.circuit.coolDownMs + 50));

      expect(await worker.pollOnce()).toBe(1);
      expect(await circuitState()).toBe('open');
      await makeEverythingDue(testApp);
      expect(await worker.pollOnce()).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, testApp.syncConfig.circuit.coolDownMs + 50));
      await worker.drainUntilIdle();
      expect(await circuitState()).toBe('closed');
    });

    it('ignores non-retryable refusals', async () => {
      remote.failNext(5, () => new RemoteError('Bad request', { retryable: false, status: 400 }));
      await enqueue([1, 2, 3, 4, 5].map(() => ({ issue: newIssue() })));
      await worker.pollOnce();
      expect(await circuitState()).toBe('closed');
    });
  });

  describe('claims', () => {
    it('redelivers a row whose lease expired', async () => {
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);
      await testApp.dataSource.query(
        `UPDATE sync_outbox SET status = 'in_progress', attempts = 1, claimed_by = 'dead-replica',
           claimed_until = now() - interval '1 second' WHERE id = $1`,
        [row.id],
      );

      await worker.drainUntilIdle();

      const stored = await reload(row);
      expect(stored.status).toBe('done');
      expect(stored.attempts).toBe(2);
      expect(deliverer.searches).toEqual([{ rowUuid: row.uuid, attempt: 2, marker: row.idempotencyKey }]);
      expect(remote.objects.size).toBe(1);
    });

    it('leaves a row under a live lease alone', async () => {
      const [row] = await enqueue([{ issue: newIssue() }]);
      await testApp.dataSource.query(
        `UPDATE sync_outbox SET status = 'in_progress', attempts = 1, claimed_by = 'other-replica',
           claimed_until = now() + interval '1 minute' WHERE id = $1`,
        [row.id],
      );

      expect(await worker.drainUntilIdle()).toBe(0);
      expect((await reload(row)).claimedBy).toBe('other-replica');
    });

    it('adopts a create whose answer was lost', async () => {
      remote.dropAfterCommitNext();
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create', payload: { summary: 'Printer' } }]);

      await worker.pollOnce();
      const afterDrop = await reload(row);
      expect(afterDrop.status).toBe('pending');
      expect(afterDrop.lastError).toBe('socket hang up');
      expect(remote.objects.size).toBe(1);

      await makeEverythingDue(testApp);
      await worker.drainUntilIdle();

      const stored = await reload(row);
      const [object] = [...remote.objects.values()];
      expect(remote.objects.size).toBe(1);
      expect(stored.status).toBe('done');
      expect(stored.remoteId).toBe(object.id);
      expect(deliverer.applied).toEqual([{ rowUuid: row.uuid, operation: 'issue.create', remoteId: object.id, adopted: true }]);
      expect(remote.calls.filter((call) => call.rowUuid === row.uuid)).toHaveLength(1);

      const metrics = await testApp.http().get('/metrics').expect(200);
      expect(metrics.text).toContain(`deskbridge_sync_outbox_attempts_total{backend="${backend}",operation="issue.create",outcome="adopted"} 1`);
    });

    it('creates anew on retry when nothing was made', async () => {
      remote.failNext(1, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      const [row] = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);
      await worker.pollOnce();
      await makeEverythingDue(testApp);
      await worker.drainUntilIdle();

      expect((await reload(row)).status).toBe('done');
      expect(deliverer.searches).toHaveLength(1);
      expect(deliverer.applied[0].adopted).toBe(false);
      expect(remote.objects.size).toBe(1);
    });

    it('leaves rows of backends without a deliverer pending', async () => {
      const [row] = await enqueue([{ backendName: 'unplugged', issue: newIssue() }]);
      expect(await worker.drainUntilIdle()).toBe(0);
      expect((await reload(row)).status).toBe('pending');
    });
  });

  describe('deliverSoon', () => {
    it('returns true once the rows are delivered', async () => {
      const rows = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);
      expect(await outbox.deliverSoon(rows)).toBe(true);
      expect((await reload(rows[0])).status).toBe('done');
    });

    it('returns false after the wait and finishes later', async () => {
      remote.latencyMs = 300;
      const rows = await enqueue([{ issue: newIssue(), operation: 'issue.create' }]);

      expect(await outbox.deliverSoon(rows, { waitMs: 20 })).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await reload(rows[0])).status).toBe('done');
    });

    it('returns false for a row held behind an earlier one', async () => {
      const issue = newIssue();
      const [, second] = await enqueue([{ issue }, { issue }]);
      expect(await outbox.deliverSoon([second])).toBe(false);
      expect((await reload(second)).status).toBe('pending');
    });

    it('returns false when the delivery fails', async () => {
      remote.failNext(1, () => new RemoteError('Service Unavailable', { retryable: true, status: 503 }));
      const rows = await enqueue([{ issue: newIssue() }]);
      expect(await outbox.deliverSoon(rows)).toBe(false);
      expect((await reload(rows[0])).status).toBe('pending');
    });

    it('treats an empty list as done', async () => {
      expect(await outbox.deliverSoon([null])).toBe(true);
    });
  });

  describe('echo records', () => {
    it('records the pushed content', async () => {
      const rows = await enqueue([{ issue: newIssue(), operation: 'issue.create', payload: { summary: 'Disk full' } }]);
      await outbox.deliverSoon(rows);

      const echo = testApp.app.get(EchoGuard);
      const remoteId = (await reload(rows[0])).remoteId!;
      const hash = contentHash({ summary: 'Disk full' });
      const other = contentHash({ summary: 'Disk fine' });
      expect(await echo.isEcho(testApp.dataSource.manager, backend, 'issue', remoteId, hash)).toBe(true);
      expect(await echo.isEcho(testApp.dataSource.manager, backend, 'issue', remoteId, other)).toBe(false);
    });
  });

  describe('worker loop', () => {
    it('delivers without being driven', async () => {
      const rows = await enqueue([{ issue: newIssue() }, { issue: newIssue() }]);
      worker.start();
      try {
        await waitFor(async () => (await testApp.dataSource.getRepository(OutboxEntry).countBy({ status: 'done' })) === 2);
      } finally {
        await worker.beforeApplicationShutdown();
      }
      expect((await reload(rows[1])).status).toBe('done');
    });
  });

  describe('endpoints', () => {
    it('lists rows with filters', async () => {
      const issue = newIssue();
      await enqueue([{ issue }, { issue }, { issue: newIssue() }, { backendName: 'other', issue: newIssue() }]);

      const byIssue = await testApp
        .http()
        .get(`/api/support-sync-outbox/?issue_uuid=${issue.uuid.replace(/-/g, '')}`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(byIssue.headers['x-result-count']).toBe('2');
      expect(byIssue.body[0].issue_uuid).toBe(issue.uuid.replace(/-/g, ''));

      const byBackend = await testApp.http().get('/api/support-sync-outbox/?backend=other').set('Authorization', staff.auth).expect(200);
      expect(byBackend.body).toHaveLength(1);

      const byStatus = await testApp.http().get('/api/support-sync-outbox/?status=done').set('Authorization', staff.auth).expect(200);
      expect(byStatus.body).toHaveLength(0);
    });

    it('rejects an unknown status filter', async () => {
      const response = await testApp.http().get('/api/support-sync-outbox/?status=lost').set('Authorization', staff.auth).expect(400);
      expect(response.body.status).toBeDefined();
    });

    it('shows one row', async () => {
      const [row] = await enqueue([{ issue: newIssue() }]);
      const response = await testApp
        .http()
        .get(`/api/support-sync-outbox/${row.uuid}/`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(response.body.uuid).toBe(row.uuid.replace(/-/g, ''));
      expect(response.body.url).toMatch(/\/api\/support-sync-outbox\/[0-9a-f]{32}\/$/);
    });

    it('answers 404 for an unknown row', async () => {
      await testApp.http().get(`/api/support-sync-outbox/${randomUUID()}/`).set('Authorization', staff.auth).expect(404);
      await testApp.http().get('/api/support-sync-outbox/not-a-uuid/').set('Authorization', staff.auth).expect(404);
    });

    it('refuses to replay a pending row', async () => {
      const [row] = await enqueue([{ issue: newIssue() }]);
      const response = await testApp
        .http()
        .post(`/api/support-sync-outbox/${row.uuid}/replay/`)
        .set('Authorization', staff.auth)
        .expect(409);
      expect(response.body.detail).toBe('Only dead or discarded outbox rows can be replayed; this row is pending.');
    });

    it('refuses to discard a delivered row', async () => {
      const rows = await enqueue([{ issue: newIssue() }]);
      await outbox.deliverSoon(rows);
      await testApp.http().post(`/api/support-sync-outbox/${rows[0].uuid}/discard/`).set('Authorization', staff.auth).expect(409);
    });

    it('is for staff only', async () => {
      const user = await createUser(testApp.dataSource, { isSupport: true });
      await testApp.http().get('/api/support-sync-outbox/').set('Authorization', user.auth).expect(403);
      await testApp.http().get('/api/support-sync-status/').set('Authorization', user.auth).expect(403);
      await testApp.http().get('/api/support-sync-outbox/').expect(401);
    });

    it('reports depth, age and dead rows', async () => {
      remote.failNext(1, () => new RemoteError('Bad request', { retryable: false, status: 400 }));
      // Only one issue's rows are due during the poll, so the injected failure cannot land
      // on another issue's row, which the worker may deliver in any order.
      const issue = newIssue();
      await enqueue([{ issue }, { issue }]);
      await worker.pollOnce();
      await enqueue([{ issue: newIssue() }]);

      const response = await testApp.http().get('/api/support-sync-status/').set('Authorization', staff.auth).expect(200);
      const status = response.body.backends.find((entry: { backend_name: string }) => entry.backend_name === backend);
      expect(status.deliverer_registered).toBe(true);
      expect(status.outbox).toEqual(
        expect.objectContaining({ pending: 2, in_progress: 0, dead: 1, depth: 2, oldest_pending_age_seconds: expect.any(Number) }),
      );
      expect(response.body.replica_id).toBe('test-replica');
      const [dead] = await testApp.dataSource.getRepository(OutboxEntry).findBy({ backendName: backend, status: 'dead' });
      expect(status.outbox.dead_rows).toEqual([
        {
          url: expect.stringMatching(new RegExp(`/api/support-sync-outbox/${formatUuid(dead.uuid)}/$`)),
          uuid: formatUuid(dead.uuid),
          issue_uuid: formatUuid(dead.issueUuid!),
          operation: dead.operation,
          attempts: 1,
          last_error: 'HTTP 400: Bad request',
          modified: dead.modified.toISOString(),
        },
      ]);

      // The gauges reuse a status snapshot for up to a second, so a scrape may still show an
      // earlier test's snapshot. Scrape until the gauges list this test's backend, because the
      // attempt counter lists it at once.
      let metrics = '';
      await waitFor(async () => {
        metrics = (await testApp.http().get('/metrics').expect(200)).text;
        return metrics.includes(`deskbridge_sync_outbox_rows{backend="${backend}"`);
      });
      expect(metrics).toContain(`deskbridge_sync_outbox_rows{backend="${backend}",status="dead"} 1`);
      expect(metrics).toContain(`deskbridge_sync_circuit_state{backend="${backend}"} 0`);
    });
  });
});

function createSyncTestAppDefaults() {
  return {
    outbox: { maxAttempts: 5, retryBaseMs: 100, retryCapMs: 10_000, deliveryTimeoutMs: 2_000, leaseMs: 5_000, batchSize: 20 },
    circuit: { failureThreshold: 3, coolDownMs: 300 },
  };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
