import { FakeSmax, startFakeSmax } from './fake-smax';
import { callSmax, createRequest, loginAs } from './smax-test-client';
import { WebhookReceiver } from './webhook-receiver';

describe('fake SMAX control API', () => {
  let fake: FakeSmax;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeSmax();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    token = await loginAs(fake);
  });

  // The body is `any` so each test can read the members it checks without a type per route.
  async function control(method: string, path: string, json?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${fake.url}/__fake${path}`, {
      method,
      headers: json === undefined ? {} : { 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  describe('config', () => {
    it('reads and patches knobs', async () => {
      const patched = await control('PATCH', '/config', { cookieName: 'SMAX_AUTH_TOKEN', phases: ['Log', 'Close'] });
      const read = await control('GET', '/config');

      expect(patched.status).toBe(200);
      expect(read.body.cookieName).toBe('SMAX_AUTH_TOKEN');
      expect(read.body.phases).toEqual(['Log', 'Close']);
    });

    it('rejects invalid knobs and keeps the config', async () => {
      const response = await control('PATCH', '/config', { cookieName: '', nope: 1 });

      expect(response.status).toBe(400);
      expect(response.body.error).toContain('"cookieName" must be a non-empty string');
      expect(response.body.error).toContain('unknown key "nope"');
      expect(fake.getConfig().cookieName).toBe('LWSSO_COOKIE_KEY');
    });

    it('rejects malformed JSON', async () => {
      const response = await fetch(`${fake.url}/__fake/config`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: '{',
      });

      expect(response.status).toBe(400);
    });
  });

  it('resets records, sessions and config', async () => {
    await createRequest(fake, token);
    fake.configure({ maxPageSize: 1 });

    const response = await control('POST', '/reset');

    expect(response.status).toBe(204);
    expect(fake.listEntities('Request')).toEqual([]);
    expect(fake.getConfig().maxPageSize).toBe(500);
    expect((await callSmax(fake, '/ems/Person?layout=Id', { token })).status).toBe(401);
    expect(await createRequest(fake, await loginAs(fake))).toBe('50001');
  });

  it('advances the clock', async () => {
    const before = (await control('GET', '/clock')).body.now as number;

    const after = (await control('POST', '/clock/advance', { ms: 3_600_000 })).body.now as number;

    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    expect((await control('POST', '/clock/advance', { ms: -1 })).status).toBe(400);
  });

  it('expires tokens of one login', async () => {
    const response = await control('POST', '/tokens/expire', { login: 'smax-bot' });

    expect(response.body).toEqual({ expired: 1 });
    expect((await callSmax(fake, '/ems/Person?layout=Id', { token })).status).toBe(401);
  });

  it('reads and clears the request log', async () => {
    fake.clearRequestLog();
    await callSmax(fake, "/ems/Person?layout=Id&filter=Upn='smax-bot'", { token });

    const log = await control('GET', '/log');
    await control('DELETE', '/log');

    expect(log.body).toHaveLength(1);
    expect(log.body[0]).toMatchObject({
      method: 'GET',
      url: `/rest/${fake.tenantId}/ems/Person?layout=Id&filter=Upn=%27smax-bot%27`,
      path: `/rest/${fake.tenantId}/ems/Person`,
      query: { layout: 'Id', filter: "Upn='smax-bot'" },
      status: 200,
      login: 'smax-bot',
      body: '',
    });
    expect(fake.requestLog()).toEqual([]);
  });

  it('logs the raw body of a write', async () => {
    fake.clearRequestLog();

    await createRequest(fake, token);

    const [entry] = (await control('GET', '/log')).body;
    expect(JSON.parse(entry.body).operation).toBe('CREATE');
    expect(Buffer.from(entry.bodyBase64, 'base64').toString('utf8')).toBe(entry.body);
  });

  it('logs a collapsed path for double slashes', async () => {
    fake.clearRequestLog();

    const response = await fetch(`${fake.restUrl}//ems/Person?layout=Id`, { headers: { Cookie: `LWSSO_COOKIE_KEY=${token}` } });

    const [entry] = fake.requestLog();
    expect(response.status).toBe(200);
    expect(entry.url).toBe(`/rest/${fake.tenantId}//ems/Person?layout=Id`);
    expect(entry.path).toBe(`/rest/${fake.tenantId}/ems/Person`);
  });

  it('adds, lists and removes faults', async () => {
    const added = await control('POST', '/faults', { kind: 'status', status: 503, path: '*/ems/Person', times: 2 });
    const listed = await control('GET', '/faults');
    const faulted = await callSmax(fake, '/ems/Person?layout=Id', { token });
    const removed = await control('DELETE', `/faults/${added.body.id}`);
    const missing = await control('DELETE', `/faults/${added.body.id}`);

    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'status', status: 503, method: '*', remaining: 2 });
    expect(listed.body).toHaveLength(1);
    expect(faulted.status).toBe(503);
    expect(removed.status).toBe(204);
    expect(missing.status).toBe(404);
  });

  it('rejects an invalid fault', async () => {
    const response = await control('POST', '/faults', { kind: 'status' });

    expect(response.status).toBe(400);
    expect(response.body.error).toContain('needs "status"');
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
    });

    afterAll(async () => {
      await receiver.close();
    });

    beforeEach(() => {
      receiver.reset();
    });

    it('registers a target and sends on demand', async () => {
      const id = await createRequest(fake, token);
      const target = await control('POST', '/webhooks/targets', { url: receiver.url, secret: 'abc', secretHeader: 'X-Secret' });

      const sent = await control('POST', '/webhooks/send', { requestId: id });
      await control('POST', '/webhooks/wait', { timeoutMs: 5000 });
      const deliveries = await control('GET', '/webhooks/deliveries');

      expect(target.status).toBe(201);
      expect(target.body).toMatchObject({ url: receiver.url, secretHeader: 'X-Secret' });
      expect(sent.body).toHaveLength(1);
      expect(receiver.received[0].headers['x-secret']).toBe('abc');
      expect(deliveries.body[0]).toMatchObject({ requestId: id, state: 'delivered', body: JSON.stringify({ id }) });
    });

    it('holds and releases deliveries in reverse', async () => {
      await control('POST', '/webhooks/targets', { url: receiver.url });
      await control('POST', '/webhooks/faults', { kind: 'hold' });
      const ids = [await createRequest(fake, token), await createRequest(fake, token)];

      const released = await control('POST', '/webhooks/release', { order: 'reverse' });
      await control('POST', '/webhooks/wait');

      expect(released.body).toEqual({ released: 2 });
      expect(receiver.ids()).toEqual([ids[1], ids[0]]);
    });

    it('duplicates through the control API', async () => {
      await control('POST', '/webhooks/targets', { url: receiver.url });
      await control('POST', '/webhooks/faults', { kind: 'duplicate', times: 1 });

      const id = await createRequest(fake, token);
      await control('POST', '/webhooks/wait');

      expect(receiver.ids()).toEqual([id, id]);
    });

    it('clears targets', async () => {
      await control('POST', '/webhooks/targets', { url: receiver.url });

      await control('DELETE', '/webhooks/targets');
      await createRequest(fake, token);
      await control('POST', '/webhooks/wait');

      expect((await control('GET', '/webhooks/targets')).body).toEqual([]);
      expect(receiver.received).toEqual([]);
    });

    it('rejects a target off loopback', async () => {
      const response = await control('POST', '/webhooks/targets', { url: 'http://192.0.2.1/hook' });

      expect(response.status).toBe(400);
    });
  });

  describe('agent', () => {
    let requestId: string;

    beforeEach(async () => {
      requestId = await createRequest(fake, token);
    });

    it('comments as the agent', async () => {
      const response = await control('POST', `/agent/requests/${requestId}/comments`, { body: '<p>Checked</p>', privacy: 'INTERNAL' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ Body: '<p>Checked</p>', PrivacyType: 'INTERNAL', Submitter: { UserId: '10002' } });
      expect((await control('GET', `/comments/${requestId}`)).body).toHaveLength(1);
    });

    it('comments for another submitter', async () => {
      const response = await control('POST', `/agent/requests/${requestId}/comments`, {
        body: '<p>By phone</p>',
        submitterPersonId: '10003',
        functionalPurpose: 'ProvideInformation',
      });

      expect(response.body).toMatchObject({ PrivacyType: 'PUBLIC', Submitter: { UserId: '10003' }, FunctionalPurpose: 'ProvideInformation' });
    });

    it('moves the request to a phase', async () => {
      const response = await control('POST', `/agent/requests/${requestId}/phase`, {
        phaseId: 'Close',
        properties: { CompletionCode: 'CompletionCodeFulfilled', Solution: '<p>Done</p>' },
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ PhaseId: 'Close', CompletionCode: 'CompletionCodeFulfilled' });
    });

    it('returns 422 when SMAX would reject the change', async () => {
      await control('POST', `/agent/requests/${requestId}/phase`, { phaseId: 'Abandon' });

      const phase = await control('POST', `/agent/requests/${requestId}/phase`, { phaseId: 'Log' });
      const comment = await control('POST', `/agent/requests/${requestId}/comments`, { body: 'late' });

      expect(phase.status).toBe(422);
      expect(phase.body.error).toContain('is closed');
      expect(comment.status).toBe(422);
    });

    it('attaches a file as the agent', async () => {
      const content = Buffer.from([0, 1, 2, 255]);

      const response = await control('POST', `/agent/requests/${requestId}/attachments`, {
        fileName: 'dump.bin',
        contentType: 'application/octet-stream',
        contentBase64: content.toString('base64'),
      });
      const file = await control('GET', `/files/${response.body.file.guid}`);

      expect(response.status).toBe(201);
      expect(JSON.parse(response.body.request.RequestAttachments).complexTypeProperties[0].properties.file_name).toBe('dump.bin');
      expect(Buffer.from(file.body.contentBase64, 'base64').equals(content)).toBe(true);
      expect((await control('GET', '/files')).body).toHaveLength(1);
    });

    it('creates and updates a request', async () => {
      const created = await control('POST', '/agent/requests', { properties: { DisplayLabel: 'Phoned in', RequestedByPerson: '10003' } });
      const updated = await control('PATCH', `/agent/requests/${created.body.Id}`, { properties: { Urgency: 'High' } });

      expect(created.status).toBe(201);
      expect(updated.body).toMatchObject({ DisplayLabel: 'Phoned in', Urgency: 'High' });
    });

    it('rejects an attachment without content', async () => {
      const response = await control('POST', `/agent/requests/${requestId}/attachments`, { fileName: 'a.txt' });

      expect(response.status).toBe(400);
    });
  });

  describe('stored records', () => {
    it('reads entities directly', async () => {
      const id = await createRequest(fake, token);

      const list = await control('GET', '/entities/Request');
      const one = await control('GET', `/entities/Request/${id}`);
      const persons = await control('GET', '/entities/Person');

      expect(list.body.map((request: { Id: string }) => request.Id)).toEqual([id]);
      expect(one.body).toMatchObject({ Id: id, PhaseId: 'Log' });
      expect(persons.body.map((person: { Upn: string }) => person.Upn)).toEqual(['smax-bot', 'smax-agent', 'customer.one']);
    });

    it('reads records that queries do not see yet', async () => {
      fake.configure({ visibilityDelayMs: { Request: 60_000 } });
      const id = await createRequest(fake, token);

      const direct = await control('GET', `/entities/Request/${id}`);
      const viaApi = await callSmax(fake, `/ems/Request/${id}?layout=Id`, { token });

      expect(direct.status).toBe(200);
      expect(viaApi.status).toBe(404);
    });

    it.each([
      ['/entities/Widget', 400],
      ['/entities/Request/99999', 404],
      ['/files/nope', 404],
      ['/nothing', 404],
    ])('rejects %s', async (path, status) => {
      expect((await control('GET', path)).status).toBe(status);
    });

    it('lists relationships', async () => {
      expect((await control('GET', '/relationships')).body).toEqual([]);
    });
  });

  it('does not log control calls', async () => {
    fake.clearRequestLog();

    await control('GET', '/config');

    expect(fake.requestLog()).toEqual([]);
  });
});
