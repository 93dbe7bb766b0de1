import { LOCAL_CHANGE, currentChangeContext } from '../../src/support/sync/common/change-origin';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { RemotePullerRegistry } from '../../src/support/sync/pull/remote-puller';
import { SyncWatermark } from '../../src/support/sync/pull/sync-watermark.entity';
import { createStaff, UserWithToken } from '../support/factories';
import { RemoteDouble, RemoteDoublePuller } from '../support/sync-remote-double';
import { createSyncTestApp, SyncTestApp } from '../support/sync-test-app';

describe('sync pull', () => {
  let testApp: SyncTestApp;
  let runner: PullRunner;
  let registry: RemotePullerRegistry;
  let remote: RemoteDouble;
  let puller: RemoteDoublePuller;
  let staff: UserWithToken;
  let testNumber = 0;

  beforeAll(async () => {
    testApp = await createSyncTestApp();
    runner = testApp.app.get(PullRunner);
    registry = testApp.app.get(RemotePullerRegistry);
    staff = await createStaff(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    testNumber += 1;
    remote = new RemoteDouble();
    puller = new RemoteDoublePuller(`double-${testNumber}`, remote);
    registry.add(puller);
    testApp.syncConfig.pull.reconcileGraceMs = 0;
    testApp.syncConfig.pull.reconcileMaxGoneRatio = 0.5;
  });

  afterEach(() => {
    registry.unregister(`${puller.backendName}:${puller.scope}`, puller);
  });

  function at(minute: number): Date {
    return new Date(Date.UTC(2024, 0, 31, 10, minute));
  }

  async function watermark(): Promise<SyncWatermark | null> {
    return testApp.dataSource.getRepository(SyncWatermark).findOneBy({ backendName: puller.backendName, scope: 'issues' });
  }

  it('pulls everything first and sets the watermark', async () => {
    remote.create('issue', { summary: 'A' }, null, at(1));
    remote.create('issue', { summary: 'B' }, null, at(2));

    const counts = await runner.pull(puller);

    expect(counts).toEqual({ pages: 1, applied: 2, skipped: 0, failed: 0 });
    expect(puller.pulls[0]).toEqual({ since: null, overlapMs: 120_000, cursor: undefined });
    const stored = await watermark();
    expect(stored?.watermark).toEqual(at(2));
    expect(stored?.lastSuccessAt).toBeInstanceOf(Date);
    expect(stored?.lastError).toBeNull();
  });

  it('pulls again from the watermark with overlap', async () => {
    remote.create('issue', { summary: 'A' }, null, at(1));
    // Within the two-minute overlap before the watermark, so it is read again and skipped.
    remote.create('issue', { summary: 'Recent' }, null, at(9));
    const second = remote.create('issue', { summary: 'B' }, null, at(10));
    await runner.pull(puller);
    remote.update(second.id, { summary: 'B2' }, at(11));
    remote.create('issue', { summary: 'C' }, null, at(20));

    const counts = await runner.pull(puller);

    expect(puller.pulls[1].since).toEqual(at(10));
    expect(counts).toEqual({ pages: 1, applied: 2, skipped: 1, failed: 0 });
    expect((await watermark())?.watermark).toEqual(at(20));
    expect(puller.local.get(second.id)?.fields).toEqual({ summary: 'B2' });
  });

  it('keeps the watermark when an object fails', async () => {
    remote.create('issue', { summary: 'A' }, null, at(1));
    await runner.pull(puller);
    const broken = remote.create('issue', { summary: 'B' }, null, at(5));
    remote.create('issue', { summary: 'C' }, null, at(6));
    puller.failOn.add(broken.id);

    const counts = await runner.pull(puller);

    expect(counts.failed).toBe(1);
    const stored = await watermark();
    expect(stored?.watermark).toEqual(at(1));
    expect(stored?.lastError).toBe(`Applying 1 of 3 objects failed: ${broken.id}`);

    puller.failOn.clear();
    await runner.pull(puller);
    expect((await watermark())?.watermark).toEqual(at(6));
    expect((await watermark())?.lastError).toBeNull();
    expect(puller.local.has(broken.id)).toBe(true);
  });

  it('keeps the watermark when the remote fails', async () => {
    remote.create('issue', { summary: 'A' }, null, at(1));
    await runner.pull(puller);
    remote.create('issue', { summary: 'B' }, null, at(2));
    puller.failPulls = true;

    await expect(runner.pull(puller)).rejects.toThrow('Service Unavailable');

    const stored = await watermark();
    expect(stored?.watermark).toEqual(at(1));
    expect(stored?.lastError).toBe('Service Unavailable');
  });

  it('moves the watermark page by page', async () => {
    puller.pageSize = 2;
    for (let minute = 1; minute <= 5; minute++) remote.create('issue', { minute }, null, at(minute));
    const fourth = [...remote.objects.values()][3];
    puller.failOn.add(fourth.id);

    const counts = await runner.pull(puller);

    expect(counts.pages).toBe(2);
    expect((await watermark())?.watermark).toEqual(at(2));

    puller.failOn.clear();
    expect((await runner.pull(puller)).pages).toBe(3);
    expect((await watermark())?.watermark).toEqual(at(5));
  });

  it('applies objects as remote changes', async () => {
    remote.create('issue', { summary: 'A' }, null, at(1));
    const origins: string[] = [];
    puller.onApply = async () => {
      origins.push(currentChangeContext().origin);
    };

    await runner.pull(puller);

    expect(origins).toEqual(['remote']);
    expect(currentChangeContext()).toBe(LOCAL_CHANGE);
  });

  it('counts failing pullers without stopping the others', async () => {
    const broken = new RemoteDoublePuller(`${puller.backendName}-broken`, new RemoteDouble());
    broken.failPulls = true;
    registry.add(broken);
    remote.create('issue', { summary: 'A' }, null, at(1));
    try {
      const counts = await runner.pullAll();
      expect(counts.failed).toBe(1);
      expect(puller.local.size).toBe(1);
    } finally {
      registry.unregister(`${broken.backendName}:issues`, broken);
    }
  });

  describe('reconciliation', () => {
    it('reports objects gone remotely', async () => {
      const kept = remote.create('issue', { summary: 'A' }, null, at(1));
      const deleted = remote.create('issue', { summary: 'B' }, null, at(2));
      remote.create('issue', { summary: 'C' }, null, at(3));
      await runner.pull(puller);
      remote.objects.delete(deleted.id);

      const counts = await runner.reconcile(puller);

      expect(counts).toEqual({ remote: 2, local: 3, gone: 1, refused: 0 });
      expect(puller.gone).toEqual([[deleted.id]]);
      expect(puller.local.has(deleted.id)).toBe(false);
      expect(puller.local.has(kept.id)).toBe(true);
      expect((await watermark())?.lastReconciledAt).toBeInstanceOf(Date);
    });

    it('refuses when too many objects look gone', async () => {
      remote.create('issue', { summary: 'A' }, null, at(1));
      remote.create('issue', { summary: 'B' }, null, at(2));
      await runner.pull(puller);
      remote.objects.clear();

      const counts = await runner.reconcile(puller);

      expect(counts).toEqual({ remote: 0, local: 2, gone: 2, refused: 1 });
      expect(puller.gone).toEqual([]);
      expect(puller.local.size).toBe(2);
      expect((await watermark())?.lastError).toContain('Reconciliation refused: 2 of 2 local objects are missing remotely');
    });

    it('leaves out objects younger than the grace period', async () => {
      testApp.syncConfig.pull.reconcileGraceMs = 600_000;
      const before = Date.now();
      await runner.reconcile(puller);
      const createdBefore = puller.localListings[0].getTime();
      expect(createdBefore).toBeGreaterThanOrEqual(before - 600_000);
      expect(createdBefore).toBeLessThanOrEqual(Date.now() - 600_000);
    });
  });

  it('shows pulls in the status', async () => {
    remote.create('issue', { summary: 'A' }, null, at(7));
    await runner.pull(puller);

    const response = await testApp.http().get('/api/support-sync-status/').set('Authorization', staff.auth).expect(200);
    const status = response.body.backends.find((entry: { backend_name: string }) => entry.backend_name === puller.backendName);
    expect(status.pulls).toEqual([expect.objectContaining({ scope: 'issues', watermark: at(7).toISOString(), last_error: null })]);
    expect(status.last_successful_pull_at).toEqual(expect.any(String));

    const metrics = await testApp.http().get('/metrics').expect(200);
    expect(metrics.text).toContain(
      `deskbridge_sync_pull_watermark_timestamp_seconds{backend="${puller.backendName}",scope="issues"} ${at(7).getTime() / 1000}`,
    );
  });
});
