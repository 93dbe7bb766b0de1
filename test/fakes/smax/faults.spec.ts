import { FakeSmax, startFakeSmax } from './fake-smax';
import { bulk, callSmax, createRequest, loginAs } from './smax-test-client';
import { WebhookReceiver } from './webhook-receiver';

describe('fake SMAX fault injection', () => {
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

  const personQuery = '/ems/Person?layout=Id';

  function createBody(label = 'Faulted') {
    return {
      operation: 'CREATE',
      entities: [{ entity_type: 'Request', properties: { DisplayLabel: label, RequestedByPerson: '10003' } }],
    };
  }

  describe('status', () => {
    it('returns the status once', async () => {
      fake.addFault({ kind: 'status', status: 503, path: '*/ems/Person', times: 1, retryAfterSeconds: 7 });

      const faulted = await callSmax(fake, personQuery, { token });
      const normal = await callSmax(fake, personQuery, { token });

      expect(faulted.status).toBe(503);
      expect(faulted.headers.get('retry-after')).toBe('7');
      expect(((await faulted.json()) as { message: string }).message).toBe('Injected fault: HTTP 503 Service Unavailable');
      expect(normal.status).toBe(200);
      expect(fake.listFaults()).toEqual([]);
    });

    it('sends 429 without Retry-After by default', async () => {
      fake.addFault({ kind: 'status', status: 429, times: 1 });

      const response = await callSmax(fake, personQuery, { token });

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBeNull();
    });

    it('sends an HTML error page', async () => {
      fake.addFault({ kind: 'status', status: 502, html: true, times: 1 });

      const response = await callSmax(fake, personQuery, { token });

      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
    });

    it('sends a custom body', async () => {
      fake.addFault({ kind: 'status', status: 500, body: 'Internal error', contentType: 'text/plain', times: 1 });

      const response = await callSmax(fake, personQuery, { token });

      expect(await response.text()).toBe('Internal error');
    });

    it('does not run the route', async () => {
      fake.addFault({ kind: 'status', status: 500, method: 'POST', path: '*/ems/bulk', times: 1 });

      const response = await callSmax(fake, '/ems/bulk', { method: 'POST', token, json: createBody() });

      expect(response.status).toBe(500);
      expect(fake.listEntities('Request')).toEqual([]);
    });

    it('faults every match without times', async () => {
      fake.addFault({ kind: 'status', status: 500, path: '*/ems/Person' });

      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await callSmax(fake, personQuery, { token })).status);
      }

      expect(statuses).toEqual([500, 500, 500]);
    });

    it('lets skipped requests through first', async () => {
      fake.addFault({ kind: 'status', status: 500, skip: 1, times: 1 });

      const first = await callSmax(fake, personQuery, { token });
      const second = await callSmax(fake, personQuery, { token });

      expect([first.status, second.status]).toEqual([200, 500]);
    });

    it('matches by method', async () => {
      fake.addFault({ kind: 'status', status: 500, method: 'WRITE' });

      const read = await callSmax(fake, personQuery, { token });
      const write = await callSmax(fake, '/ems/bulk', { method: 'POST', token, json: createBody() });

      expect(read.status).toBe(200);
      expect(write.status).toBe(500);
    });

    it('faults the login route', async () => {
      fake.addFault({ kind: 'status', status: 503, path: '/auth/*', times: 1 });

      await expect(loginAs(fake)).rejects.toThrow('Login as smax-bot failed with 503');
    });

    it('removes a rule by id', async () => {
      const rule = fake.addFault({ kind: 'status', status: 500 });

      expect(fake.removeFault(rule.id)).toBe(true);
      expect((await callSmax(fake, personQuery, { token })).status).toBe(200);
    });
  });

  it('delays a request by the latency', async () => {
    fake.addFault({ kind: 'latency', ms: 300, times: 1 });

    const started = Date.now();
    const response = await callSmax(fake, personQuery, { token });
    const elapsed = Date.now() - started;

    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it('drops the connection before the write', async () => {
    fake.addFault({ kind: 'drop', method: 'POST', path: '*/ems/bulk', times: 1 });

    await expect(callSmax(fake, '/ems/bulk', { method: 'POST', token, json: createBody() })).rejects.toThrow();

    expect(fake.listEntities('Request')).toEqual([]);
  });

  it('drops the connection after committing the write', async () => {
    fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });

    await expect(callSmax(fake, '/ems/bulk', { method: 'POST', token, json: createBody('Committed') })).rejects.toThrow();
    const retry = await bulk(fake, token, createBody('Committed'));

    expect(retry.entity_result_list[0].completion_status).toBe('OK');
    expect(fake.listEntities('Request').map((request) => request.DisplayLabel)).toEqual(['Committed', 'Committed']);
    const dropped = fake.requestLog().find((entry) => entry.fault === 'drop-after-commit');
    expect(dropped?.status).toBeUndefined();
  });

  it('drops a comment after committing it', async () => {
    const id = await createRequest(fake, token);
    fake.addFault({ kind: 'drop-after-commit', path: '*/collaboration/comments/*', times: 1 });

    const call = callSmax(fake, `/collaboration/comments/Request/${id}/`, { method: 'POST', token, json: { Body: 'x', PrivacyType: 'PUBLIC' } });

    await expect(call).rejects.toThrow();
    expect(fake.getComments(id)).toHaveLength(1);
  });

  describe('expire-token', () => {
    it('expires the token on the next write only', async () => {
      fake.addFault({ kind: 'expire-token', times: 1 });

      const read = await callSmax(fake, personQuery, { token });
      const write = await callSmax(fake, '/ems/bulk', { method: 'POST', token, json: createBody() });
      const readAfter = await callSmax(fake, personQuery, { token });
      const fresh = await loginAs(fake);
      const retry = await callSmax(fake, '/ems/bulk', { method: 'POST', token: fresh, json: createBody() });

      expect(read.status).toBe(200);
      expect(write.status).toBe(401);
      expect(readAfter.status).toBe(401);
      expect(retry.status).toBe(200);
      expect(fake.listEntities('Request')).toHaveLength(1);
    });

    it('waits for a request with a valid token', async () => {
      fake.addFault({ kind: 'expire-token', times: 1 });

      const anonymous = await callSmax(fake, '/ems/bulk', { method: 'POST', json: createBody() });

      expect(anonymous.status).toBe(401);
      expect(fake.listFaults()).toHaveLength(1);
    });
  });

  describe('bulk-failed', () => {
    it('fails the next bulk with HTTP 200', async () => {
      fake.addFault({ kind: 'bulk-failed', times: 1, message: 'Business rule: offering is retired.' });

      const failed = await bulk(fake, token, createBody());
      const next = await bulk(fake, token, createBody());

      expect(failed.meta.completion_status).toBe('FAILED');
      expect(failed.entity_result_list[0].completion_status).toBe('FAILED');
      expect(failed.entity_result_list[0].errorDetails?.message).toBe('Business rule: offering is retired.');
      expect(next.entity_result_list[0].completion_status).toBe('OK');
      expect(fake.listEntities('Request')).toHaveLength(1);
    });

    it('sends no webhook for a failed bulk', async () => {
      const receiver = await WebhookReceiver.start();
      try {
        fake.addWebhookTarget({ url: receiver.url });
        fake.addFault({ kind: 'bulk-failed', times: 1 });

        await bulk(fake, token, createBody());
        await fake.waitForWebhooks();

        expect(receiver.received).toEqual([]);
      } finally {
        await receiver.close();
      }
    });
  });

  it('logs the fault of a request', async () => {
    fake.addFault({ kind: 'status', status: 500, times: 1 });
    fake.clearRequestLog();

    await callSmax(fake, personQuery, { token });

    const [entry] = fake.requestLog();
    expect(entry.fault).toBe('status');
    expect(entry.status).toBe(500);
  });

  it.each([
    [{ kind: 'explode' }, 'Fault "kind" must be one of'],
    [{ kind: 'status' }, 'needs "status"'],
    [{ kind: 'latency' }, 'needs "ms"'],
    [{ kind: 'status', status: 700 }, '"status" must be an integer from 100 to 599'],
    [{ kind: 'drop', times: 0 }, '"times" must be an integer from 1'],
  ])('rejects invalid rule %j', (rule, message) => {
    expect(() => fake.addFault(rule as never)).toThrow(message);
  });
});
