import { Logger } from '@nestjs/common';

import { FakeSmax, startFakeSmax } from '../../../../test/fakes/smax/fake-smax';
import { callLines, callsTo, jsonOf, smaxOptionsFor } from '../../../../test/support/smax-setup';
import { encodeQuery, SmaxHttpClient } from './smax-http.client';
import { SmaxClient } from './smax.client';
import { SmaxConnectionOptions } from './smax.config';
import { SmaxError } from './smax.exception';

describe('SmaxHttpClient against the fake SMAX', () => {
  let fake: FakeSmax;
  let http: SmaxHttpClient;

  const tenantCall = { method: 'GET' as const, path: 'ems/Person', query: { layout: 'Id,Name', filter: "Upn = 'smax-bot'" } };

  function clientWith(overrides: Partial<SmaxConnectionOptions> = {}): SmaxHttpClient {
    http = new SmaxHttpClient(smaxOptionsFor(fake, overrides));
    return http;
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
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  afterEach(async () => {
    await http?.close();
  });

  describe('login', () => {
    it('logs in with the tenant id before the first call', async () => {
      await clientWith().send(tenantCall);

      const [login] = fake.requestLog();
      expect(login.method).toBe('POST');
      expect(login.url).toBe(`/auth/authentication-endpoint/authenticate/login?TENANTID=${fake.tenantId}`);
      expect(login.headers['content-type']).toBe('application/json');
      expect(jsonOf(login)).toEqual({ login: 'smax-bot', password: 'fake-smax-password' });
    });

    it('sends the token as the session cookie with TENANTID', async () => {
      await clientWith().send(tenantCall);

      const call = fake.requestLog()[1];
      expect(call.headers.cookie).toMatch(new RegExp(`^LWSSO_COOKIE_KEY=[^;]+; TENANTID=${fake.tenantId}$`));
      expect(call.login).toBe('smax-bot');
    });

    it('uses the configured cookie name of newer servers', async () => {
      fake.configure({ cookieName: 'SMAX_AUTH_TOKEN' });

      const response = await clientWith({ authCookieName: 'SMAX_AUTH_TOKEN' }).send(tenantCall);

      expect(response.status).toBe(200);
      expect(fake.requestLog()[1].headers.cookie).toMatch(/^SMAX_AUTH_TOKEN=/);
    });

    it('strips double quotes around the token', async () => {
      fake.configure({ quoteLoginToken: true });

      const response = await clientWith().send(tenantCall);

      expect(response.status).toBe(200);
      expect(fake.requestLog()[1].headers.cookie).not.toContain('"');
    });

    it('shares one login among concurrent calls', async () => {
      const client = clientWith();

      await Promise.all([client.send(tenantCall), client.send(tenantCall), client.send(tenantCall)]);

      expect(callsTo(fake, 'POST', '/authenticate/login')).toHaveLength(1);
    });

    it('reports bad credentials naming the login', async () => {
      const error = await failureOf(clientWith({ password: 'wrong' }).send(tenantCall));

      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('SMAX login as "smax-bot" to tenant 100000000 failed with HTTP 401');
      expect(error.message).toContain('invalid login or password');
      expect(error.message).not.toContain('wrong');
    });
  });

  describe('expired sessions', () => {
    it('logs in again when a read gets 401', async () => {
      const client = clientWith();
      await client.send(tenantCall);
      fake.expireTokens();

      const response = await client.send(tenantCall);

      expect(response.status).toBe(200);
      expect(callLines(fake).map((line) => line.split('?')[0])).toEqual([
        'POST /auth/authentication-endpoint/authenticate/login',
        'GET /rest/100000000/ems/Person',
        'GET /rest/100000000/ems/Person',
        'POST /auth/authentication-endpoint/authenticate/login',
        'GET /rest/100000000/ems/Person',
      ]);
    });

    it('does not fail a write after the token expired', async () => {
      const client = new SmaxClient(clientWith());
      const first = await client.createEntity('Person', { LastName: 'First', Email: 'first@example.com' });
      fake.addFault({ kind: 'expire-token', times: 1 });

      const second = await client.createEntity('Person', { LastName: 'Second', Email: 'second@example.com' });

      expect([first, second]).toEqual(['10004', '10005']);
      expect(callsTo(fake, 'POST', '/ems/bulk').map((entry) => entry.status)).toEqual([200, 401, 200]);
      expect(callsTo(fake, 'POST', '/authenticate/login')).toHaveLength(2);
      expect(fake.listEntities('Person').filter((person) => person.LastName === 'Second')).toHaveLength(1);
    });

    it('gives up after one fresh login', async () => {
      fake.addFault({ kind: 'status', status: 401, method: 'GET', path: '*/ems/Person' });

      const error = await failureOf(clientWith().send(tenantCall));

      expect(error.status).toBe(401);
      expect(error.message).toContain('for the integration login "smax-bot" with HTTP 401');
      expect(callsTo(fake, 'POST', '/authenticate/login')).toHaveLength(2);
    });
  });

  describe('errors', () => {
    it('names the login on 403', async () => {
      fake.addFault({ kind: 'status', status: 403, method: 'GET', path: '*/ems/Person', body: '{"message":"Access denied to Person"}' });

      const error = await failureOf(clientWith().send(tenantCall));

      expect(error.status).toBe(403);
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(
        'SMAX refused GET ems/Person for the integration login "smax-bot" with HTTP 403: Access denied to Person. ' +
          'Check SMAX_LOGIN, SMAX_PASSWORD and the roles of that user in SMAX.',
      );
    });

    it('quotes SMAX errorDetails of a failed query', async () => {
      const error = await failureOf(clientWith().send({ method: 'GET', path: 'ems/Request', query: { layout: 'NoSuchProperty' } }));

      expect(error.status).toBe(400);
      expect(error.message).toBe('SMAX returned HTTP 400 for GET ems/Request: Property "NoSuchProperty" does not exist on entity type Request.');
    });

    it('reduces an HTML error page to its text', async () => {
      fake.addFault({ kind: 'status', status: 502, html: true, method: 'POST', path: '*/ems/bulk' });

      const error = await failureOf(clientWith().send({ method: 'POST', path: 'ems/bulk', body: { bytes: Buffer.from('{}'), contentType: 'application/json' } }));

      expect(error.message).toBe('SMAX returned HTTP 502 for POST ems/bulk: 502 Bad Gateway Bad Gateway');
      expect(error.retryable).toBe(true);
    });

    it('repeats a read after 429 with Retry-After', async () => {
      fake.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, method: 'GET', path: '*/ems/Person', times: 1 });

      const response = await clientWith().send(tenantCall);

      expect(response.status).toBe(200);
      expect(callsTo(fake, 'GET', '/ems/Person').map((entry) => entry.status)).toEqual([429, 200]);
    });

    it('repeats a read after a 503', async () => {
      fake.addFault({ kind: 'status', status: 503, method: 'GET', path: '*/ems/Person', times: 2 });

      const response = await clientWith().send(tenantCall);

      expect(response.status).toBe(200);
      expect(callsTo(fake, 'GET', '/ems/Person')).toHaveLength(3);
    });

    it('stops repeating a read after the configured attempts', async () => {
      fake.addFault({ kind: 'status', status: 503, method: 'GET', path: '*/ems/Person' });

      const error = await failureOf(clientWith({ readRetries: 1 }).send(tenantCall));

      expect(error.status).toBe(503);
      expect(callsTo(fake, 'GET', '/ems/Person')).toHaveLength(2);
    });

    it('does not wait out a long Retry-After', async () => {
      fake.addFault({ kind: 'status', status: 429, retryAfterSeconds: 120, method: 'GET', path: '*/ems/Person' });

      const error = await failureOf(clientWith().send(tenantCall));

      expect(error.retryAfterSeconds).toBe(120);
      expect(callsTo(fake, 'GET', '/ems/Person')).toHaveLength(1);
    });

    it('hands a throttled write back with its Retry-After', async () => {
      fake.addFault({ kind: 'status', status: 429, retryAfterSeconds: 7, method: 'POST', path: '*/ems/bulk' });

      const error = await failureOf(clientWith().send({ method: 'POST', path: 'ems/bulk', body: { bytes: Buffer.from('{}'), contentType: 'application/json' } }));

      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 7, outcomeUnknown: false });
      expect(callsTo(fake, 'POST', '/ems/bulk')).toHaveLength(1);
    });

    it('times out a slow call as retryable', async () => {
      fake.addFault({ kind: 'latency', ms: 600, method: 'POST', path: '*/ems/bulk' });

      const error = await failureOf(
        clientWith({ timeoutMs: 200 }).send({ method: 'POST', path: 'ems/bulk', body: { bytes: Buffer.from('{}'), contentType: 'application/json' } }),
      );

      expect(error.message).toBe('SMAX did not answer POST ems/bulk within 200 ms');
      expect(error).toMatchObject({ status: undefined, retryable: true, outcomeUnknown: true });
    });

    it('marks a write whose connection dropped after commit as unknown', async () => {
      fake.addFault({ kind: 'drop-after-commit', method: 'POST', path: '*/ems/bulk', times: 1 });
      const client = new SmaxClient(clientWith());

      const error = await failureOf(client.createEntity('Person', { LastName: 'Dropped', Email: 'dropped@example.com' }));

      expect(error).toMatchObject({ retryable: true, outcomeUnknown: true });
      expect(fake.listEntities('Person').filter((person) => person.LastName === 'Dropped')).toHaveLength(1);
    });

    it('knows a refused connection sent nothing', async () => {
      const closed = await startFakeSmax();
      const url = closed.url;
      await closed.close();

      const error = await failureOf(clientWith({ apiUrl: url }).send(tenantCall));

      expect(error).toMatchObject({ retryable: true, outcomeUnknown: false });
      expect(error.message).toContain('Could not complete POST auth/authentication-endpoint/authenticate/login on SMAX');
    });
  });

  describe('query strings', () => {
    it('encodes spaces and quotes, keeps commas', () => {
      expect(encodeQuery({ layout: 'Id,Name', filter: "Email = 'o''brien@example.com'", size: 10, skip: undefined })).toBe(
        "layout=Id,Name&filter=Email%20%3D%20%27o%27%27brien%40example.com%27&size=10",
      );
    });

    it('reaches the fake as sent', async () => {
      await clientWith().send(tenantCall);

      expect(fake.requestLog()[1].url).toBe('/rest/100000000/ems/Person?layout=Id,Name&filter=Upn%20%3D%20%27smax-bot%27');
      expect(fake.requestLog()[1].query).toEqual({ layout: 'Id,Name', filter: "Upn = 'smax-bot'" });
    });
  });
});
