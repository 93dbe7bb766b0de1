import { createHmac, randomUUID } from 'node:crypto';

import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';

import { contentHash } from '../../src/support/sync/common/content-hash';
import { RemoteError } from '../../src/support/sync/common/remote-error';
import { EchoGuard } from '../../src/support/sync/echo/echo-guard.service';
import { InboxEntry } from '../../src/support/sync/inbox/inbox-entry.entity';
import { InboxDelivery, InboxOutcome, InboxProcessor, InboxProcessorRegistry } from '../../src/support/sync/inbox/inbox-processor';
import { InboxWorker } from '../../src/support/sync/inbox/inbox-worker.service';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { acceptIfNewer } from '../../src/support/sync/inbox/remote-versions';
import { captureRawBody, RawBody } from '../../src/support/sync/inbox/raw-body';
import { verifyHmacSignature } from '../../src/support/sync/inbox/webhook-signature';
import { OutboxEntry } from '../../src/support/sync/outbox/outbox-entry.entity';
import { OutboxService } from '../../src/support/sync/outbox/outbox.service';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { RemoteDoubleEvent, RemoteDoubleProcessor } from '../support/sync-remote-double';
import { createSyncTestApp, makeEverythingDue, SyncTestApp } from '../support/sync-test-app';

describe('sync inbox', () => {
  let testApp: SyncTestApp;
  let inbox: InboxService;
  let sweeper: InboxWorker;
  let processor: RemoteDoubleProcessor;
  let staff: UserWithToken;
  let source: string;
  let testNumber = 0;

  beforeAll(async () => {
    testApp = await createSyncTestApp();
    inbox = testApp.app.get(InboxService);
    sweeper = testApp.app.get(InboxWorker);
    staff = await createStaff(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(() => {
    testNumber += 1;
    source = `double-${testNumber}`;
    processor = new RemoteDoubleProcessor(source, testApp.dataSource, testApp.app.get(EchoGuard), testApp.app.get(OutboxService));
    testApp.app.get(InboxProcessorRegistry).add(processor);
  });

  function body(event: Partial<RemoteDoubleEvent> = {}): Buffer {
    return Buffer.from(JSON.stringify({ type: 'issue', id: 'R-1', version: 1, fields: { summary: 'Printer' }, ...event }));
  }

  async function receive(payload: Buffer, deliveryId?: string, headers: Record<string, string> = {}) {
    const result = await inbox.receive(source, payload, { 'content-type': 'application/json', ...headers }, 'not_required', deliveryId);
    await inbox.whenIdle();
    return result;
  }

  async function stored(uuid: string): Promise<InboxEntry> {
    return testApp.dataSource.getRepository(InboxEntry).findOneByOrFail({ uuid });
  }

  describe('receive', () => {
    it('stores the exact bytes and processes them', async () => {
      const payload = Buffer.from('{"type":"issue",  "id":"R-1","version":1,"fields":{"summary":"Printer"}}');
      const result = await receive(payload, 'delivery-1');

      const entry = await stored(result.uuid);
      expect(result.duplicate).toBe(false);
      expect(entry.body.equals(payload)).toBe(true);
      expect(entry.status).toBe('processed');
      expect(entry.attempts).toBe(1);
      expect(entry.processedAt).toBeInstanceOf(Date);
      expect(entry.remoteObjectType).toBe('issue');
      expect(entry.remoteObjectId).toBe('R-1');
      expect(entry.remoteVersion).toBe('1');
      expect(processor.local.get('R-1')).toEqual({ version: 1, fields: { summary: 'Printer' } });
    });

    it('processes a repeated delivery id once', async () => {
      const first = await receive(body(), 'delivery-1');
      const second = await receive(body({ version: 2 }), 'delivery-1');

      expect(second.duplicate).toBe(true);
      expect(second.uuid).toBe(first.uuid);
      expect(processor.seen).toEqual(['delivery-1']);
      expect(await testApp.dataSource.getRepository(InboxEntry).countBy({ source })).toBe(1);
    });

    it('keeps the same delivery id of another source apart', async () => {
      await receive(body(), 'delivery-1');
      const other = await inbox.receive(`${source}-other`, body(), {}, 'not_required', 'delivery-1');
      expect(other.duplicate).toBe(false);
    });

    it('derives an id for deliveries without one', async () => {
      const first = await receive(body());
      const second = await receive(body());
      const third = await receive(body({ version: 2 }));

      expect(second.duplicate).toBe(true);
      expect(third.duplicate).toBe(false);
      expect((await stored(first.uuid)).deliveryId).toMatch(/^sha256:[0-9a-f]{64}:\d+$/);
    });

    it('rejects an invalid signature without storing', async () => {
      await expect(inbox.receive(source, body(), {}, 'invalid', 'delivery-1')).rejects.toThrow('Webhook signature is invalid.');
      await expect(inbox.receive(source, body(), {}, 'missing', 'delivery-1')).rejects.toThrow('Webhook signature is missing.');
      expect(await testApp.dataSource.getRepository(InboxEntry).countBy({ source })).toBe(0);

      const accepted = await receive(body(), 'delivery-1');
      expect(accepted.duplicate).toBe(false);
    });

    it('stores headers without credentials', async () => {
      const result = await inbox.receive(
        source,
        body(),
        {
          'content-type': 'application/json',
          'X-Atlassian-Webhook-Identifier': 'abc',
          authorization: 'Basic c2VjcmV0',
          cookie: 'session=1',
          'x-smax-secret': 'hunter2',
          'x-custom-key': 'shared',
          'x-hub-signature': 'sha256=00',
        },
        'valid',
        'delivery-1',
        { secretHeaders: ['X-Custom-Key'] },
      );
      const entry = await stored(result.uuid);
      expect(entry.headers).toEqual({
        'content-type': 'application/json',
        'x-atlassian-webhook-identifier': 'abc',
        'x-hub-signature': 'sha256=00',
      });
      expect(entry.signatureVerdict).toBe('valid');
    });
  });

  describe('versions and echoes', () => {
    it('refuses an older version', async () => {
      await receive(body({ version: 3, fields: { summary: 'New' } }), 'delivery-3');
      const late = await receive(body({ version: 2, fields: { summary: 'Old' } }), 'delivery-2');

      const entry = await stored(late.uuid);
      expect(entry.status).toBe('ignored');
      expect(entry.lastError).toBe('Version 2 is not newer than the applied one');
      expect(processor.local.get('R-1')?.fields).toEqual({ summary: 'New' });
    });

    it('refuses the same version twice', async () => {
      await receive(body({ version: 5 }), 'delivery-a');
      const again = await receive(body({ version: 5 }), 'delivery-b');
      expect((await stored(again.uuid)).status).toBe('ignored');
    });

    it('accepts versions given as dates', async () => {
      const manager = testApp.dataSource.manager;
      expect(await acceptIfNewer(manager, source, 'issue', 'R-9', new Date('2024-01-31T10:20:30.000Z'))).toBe(true);
      expect(await acceptIfNewer(manager, source, 'issue', 'R-9', new Date('2024-01-31T10:20:29.999Z'))).toBe(false);
      expect(await acceptIfNewer(manager, source, 'issue', 'R-9', new Date('2024-01-31T10:20:30.001Z'))).toBe(true);
    });

    it('ignores the echo of our own push', async () => {
      await testApp.dataSource.transaction((manager) =>
        testApp.app.get(EchoGuard).record(manager, source, [{ objectType: 'issue', remoteId: 'R-1', contentHash: contentHash({ summary: 'Ours' }) }]),
      );
      const echo = await receive(body({ fields: { summary: 'Ours' } }), 'delivery-echo');
      const change = await receive(body({ fields: { summary: 'Theirs' } }), 'delivery-change');

      expect((await stored(echo.uuid)).status).toBe('ignored');
      expect((await stored(echo.uuid)).lastError).toBe('Echo of our own push');
      expect((await stored(change.uuid)).status).toBe('processed');
    });

    it('never pushes a change applied from a webhook', async () => {
      await receive(body(), 'delivery-1');
      expect(processor.enqueueResults).toEqual([null]);
      expect(await testApp.dataSource.getRepository(OutboxEntry).countBy({ backendName: source })).toBe(0);
    });
  });

  describe('retries', () => {
    it('retries a failed delivery from the sweeper', async () => {
      processor.failNext = 1;
      const result = await receive(body(), 'delivery-1');
      const failed = await stored(result.uuid);
      expect(failed.status).toBe('failed');
      expect(failed.lastError).toBe('Remote API is unavailable');

      await makeEverythingDue(testApp);
      await sweeper.drainUntilIdle();

      const entry = await stored(result.uuid);
      expect(entry.status).toBe('processed');
      expect(entry.attempts).toBe(2);
      expect(processor.seen).toEqual(['delivery-1', 'delivery-1']);
    });

    it('stops retrying after a non-retryable error', async () => {
      const failing = new (class extends InboxProcessor {
        readonly source = `${source}-broken`;
        async process(): Promise<InboxOutcome> {
          throw new RemoteError('Issue was deleted', { retryable: false, status: 404 });
        }
      })();
      testApp.app.get(InboxProcessorRegistry).add(failing);
      const result = await inbox.receive(failing.source, body(), {}, 'not_required', 'delivery-1');
      await inbox.whenIdle();
      await makeEverythingDue(testApp);

      expect(await sweeper.drainUntilIdle()).toBe(0);
      const entry = await stored(result.uuid);
      expect(entry.status).toBe('failed');
      expect(entry.attempts).toBe(testApp.syncConfig.inbox.maxAttempts);
    });

    it('keeps deliveries of a source without a processor pending', async () => {
      const unplugged = `${source}-later`;
      const result = await inbox.receive(unplugged, body(), {}, 'not_required', 'delivery-1');
      await inbox.whenIdle();
      expect((await stored(result.uuid)).status).toBe('pending');

      const late = new RemoteDoubleProcessor(unplugged, testApp.dataSource, testApp.app.get(EchoGuard), testApp.app.get(OutboxService));
      testApp.app.get(InboxProcessorRegistry).add(late);
      await sweeper.drainUntilIdle();

      expect((await stored(result.uuid)).status).toBe('processed');
      expect(late.seen).toEqual(['delivery-1']);
    });

    it('hands the processor its delivery', async () => {
      const deliveries: InboxDelivery[] = [];
      const recorder = new (class extends InboxProcessor {
        readonly source = `${source}-recorder`;
        async process(delivery: InboxDelivery): Promise<InboxOutcome> {
          deliveries.push(delivery);
          return { status: 'ignored', reason: 'Nothing to apply' };
        }
      })();
      testApp.app.get(InboxProcessorRegistry).add(recorder);
      await inbox.receive(recorder.source, body(), { 'X-Event': 'created' }, 'valid', 'delivery-7');
      await inbox.whenIdle();

      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toEqual(
        expect.objectContaining({ source: recorder.source, deliveryId: 'delivery-7', signatureVerdict: 'valid', attempt: 1 }),
      );
      expect(deliveries[0].headers).toEqual({ 'x-event': 'created' });
      expect(deliveries[0].body.equals(body())).toBe(true);
    });
  });

  describe('endpoints', () => {
    it('replays one delivery', async () => {
      const result = await receive(body(), 'delivery-1');

      const response = await testApp
        .http()
        .post(`/api/support-sync-deliveries/${result.uuid.replace(/-/g, '')}/replay/`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(response.body.status).toBe('pending');
      await inbox.whenIdle();

      const entry = await stored(result.uuid);
      expect(processor.seen).toEqual(['delivery-1', 'delivery-1']);
      // The replay saw the same version again, so the version guard left the object as it was.
      expect(entry.status).toBe('ignored');
      expect(entry.attempts).toBe(1);
    });

    it('replays a failed delivery to success', async () => {
      testApp.syncConfig.inbox.maxAttempts = 1;
      processor.failNext = 1;
      const result = await receive(body(), 'delivery-1');
      await makeEverythingDue(testApp);
      expect(await sweeper.drainUntilIdle()).toBe(0);

      await testApp.http().post(`/api/support-sync-deliveries/${result.uuid}/replay/`).set('Authorization', staff.auth).expect(200);
      await inbox.whenIdle();

      expect((await stored(result.uuid)).status).toBe('processed');
      testApp.syncConfig.inbox.maxAttempts = 5;
    });

    it('replays deliveries of a time range', async () => {
      const before = new Date(Date.now() - 1000);
      await receive(body({ id: 'R-1' }), 'delivery-1');
      await receive(body({ id: 'R-2' }), 'delivery-2');
      await inbox.receive(`${source}-elsewhere`, body(), {}, 'not_required', 'delivery-3');
      const after = new Date(Date.now() + 1000);

      const response = await testApp
        .http()
        .post('/api/support-sync-deliveries/replay/')
        .set('Authorization', staff.auth)
        .send({ source, received_after: before.toISOString(), received_before: after.toISOString() })
        .expect(200);
      expect(response.body).toEqual({ replayed: 2 });

      await sweeper.drainUntilIdle();
      expect(processor.seen).toEqual(['delivery-1', 'delivery-2', 'delivery-1', 'delivery-2']);
    });

    it('validates the replay range', async () => {
      const missing = await testApp.http().post('/api/support-sync-deliveries/replay/').set('Authorization', staff.auth).send({}).expect(400);
      expect(missing.body.received_after).toEqual(['This field is required.']);

      const reversed = await testApp
        .http()
        .post('/api/support-sync-deliveries/replay/')
        .set('Authorization', staff.auth)
        .send({ received_after: '2024-02-01T00:00:00Z', received_before: '2024-01-01T00:00:00Z' })
        .expect(400);
      expect(reversed.body.received_before).toEqual(['Must be later than received_after.']);
    });

    it('lists deliveries with filters', async () => {
      await receive(body(), 'delivery-1');
      processor.failNext = 1;
      await receive(body({ id: 'R-2' }), 'delivery-2');

      const all = await testApp.http().get(`/api/support-sync-deliveries/?source=${source}`).set('Authorization', staff.auth).expect(200);
      expect(all.headers['x-result-count']).toBe('2');
      expect(all.body[0].delivery_id).toBe('delivery-2');
      expect(all.body[0].body).toBe(body({ id: 'R-2' }).toString('utf8'));

      const failed = await testApp
        .http()
        .get(`/api/support-sync-deliveries/?source=${source}&status=failed`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(failed.body.map((entry: { delivery_id: string }) => entry.delivery_id)).toEqual(['delivery-2']);

      const future = new Date(Date.now() + 60_000).toISOString();
      const none = await testApp
        .http()
        .get(`/api/support-sync-deliveries/?source=${source}&received_after=${encodeURIComponent(future)}`)
        .set('Authorization', staff.auth)
        .expect(200);
      expect(none.body).toEqual([]);
    });

    it('reports the inbox backlog', async () => {
      processor.failNext = 1;
      await receive(body(), 'delivery-1');
      const response = await testApp.http().get('/api/support-sync-status/').set('Authorization', staff.auth).expect(200);
      const status = response.body.backends.find((entry: { backend_name: string }) => entry.backend_name === source);
      expect(status.inbox).toEqual(expect.objectContaining({ pending: 0, failed: 1, backlog: 1 }));
      expect(status.processor_registered).toBe(true);
    });

    it('is for staff only', async () => {
      const user = await createUser(testApp.dataSource, { isSupport: true });
      await testApp.http().get('/api/support-sync-deliveries/').set('Authorization', user.auth).expect(403);
      await testApp.http().post(`/api/support-sync-deliveries/${randomUUID()}/replay/`).set('Authorization', user.auth).expect(403);
      await testApp.http().post(`/api/support-sync-deliveries/${randomUUID()}/replay/`).set('Authorization', staff.auth).expect(404);
    });

    it('rejects non-staff before checking the body', async () => {
      const user = await createUser(testApp.dataSource, { isSupport: true });

      const response = await testApp.http().post('/api/support-sync-deliveries/replay/').set('Authorization', user.auth).send({}).expect(403);

      expect(response.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });
  });
});

@Controller('hooks')
class SignedHookController {
  @Post()
  @HttpCode(200)
  receive(@RawBody() rawBody: Buffer, @Headers('x-hub-signature') signature: string | undefined) {
    return { verdict: verifyHmacSignature('sha256', 'hook-secret', rawBody, signature), size: rawBody.length };
  }
}

describe('raw body capture', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [SignedHookController] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    app.useBodyParser('json', { verify: captureRawBody });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('checks the signature over the bytes sent', async () => {
    // Whitespace that JSON.stringify would not reproduce: a re-serialized body fails the check.
    const payload = '{ "webhookEvent" :  "jira:issue_updated" }';
    const signature = `sha256=${createHmac('sha256', 'hook-secret').update(payload).digest('hex')}`;
    const response = await request(app.getHttpServer())
      .post('/hooks')
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature', signature)
      .send(payload)
      .expect(200);
    expect(response.body).toEqual({ verdict: 'valid', size: Buffer.byteLength(payload) });
  });

  it('rejects a body changed in transit', async () => {
    const signature = `sha256=${createHmac('sha256', 'hook-secret').update('{"a":1}').digest('hex')}`;
    const response = await request(app.getHttpServer())
      .post('/hooks')
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature', signature)
      .send('{"a":2}')
      .expect(200);
    expect(response.body.verdict).toBe('invalid');
  });
});
