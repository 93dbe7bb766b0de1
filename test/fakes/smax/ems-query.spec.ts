import { FakeSmax, startFakeSmax } from './fake-smax';
import { bulk, callSmax, createRequest, loginAs, query } from './smax-test-client';

describe('fake SMAX EMS queries', () => {
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

  describe('envelope', () => {
    it('follows real EMS response shape', async () => {
      const id = await createRequest(fake, token);

      const answer = await query(fake, token, `/ems/Request?layout=Id,LastUpdateTime&filter=Id=${id}`);

      // Key sets of a real SMAX response to GET ems/Request, published in the
      // nik2704/SmaxEms client (SmaxClient/SMAXClient.cpp, March 2025).
      expect(Object.keys(answer).sort()).toEqual(['entities', 'meta']);
      expect(Object.keys(answer.entities[0]).sort()).toEqual(['entity_type', 'properties', 'related_properties']);
      expect(Object.keys(answer.meta).sort()).toEqual([
        'completion_status',
        'errorDetailsList',
        'errorDetailsMetaList',
        'query_time',
        'total_count',
      ]);
      expect(answer.meta.completion_status).toBe('OK');
      expect(answer.meta.errorDetailsList).toEqual([]);
      expect(answer.entities[0].entity_type).toBe('Request');
      expect(answer.entities[0].properties.Id).toBe(id);
    });

    it('gives query_time in microseconds and record times in milliseconds', async () => {
      await createRequest(fake, token);

      const answer = await query(fake, token, '/ems/Request?layout=LastUpdateTime');

      const lastUpdate = answer.entities[0].properties.LastUpdateTime as number;
      const queryTime = answer.meta.query_time as number;
      expect(Number.isInteger(lastUpdate)).toBe(true);
      expect(String(lastUpdate)).toHaveLength(13);
      expect(String(queryTime)).toHaveLength(16);
      expect(Math.floor(queryTime / 1000)).toBeGreaterThanOrEqual(lastUpdate);
    });

    it('keeps total_count at 0 without meta=totalCount', async () => {
      await createRequest(fake, token);

      const answer = await query(fake, token, '/ems/Request?layout=Id');

      expect(answer.entities).toHaveLength(1);
      expect(answer.meta.total_count).toBe(0);
    });

    it('counts all matches with meta=totalCount', async () => {
      await createRequest(fake, token);
      await createRequest(fake, token);

      const answer = await query(fake, token, '/ems/Request?layout=Id&size=1&meta=totalCount');

      expect(answer.entities).toHaveLength(1);
      expect(answer.meta.total_count).toBe(2);
    });

    it('counts without meta when configured', async () => {
      fake.configure({ totalCountRequiresMeta: false });
      await createRequest(fake, token);

      const answer = await query(fake, token, '/ems/Request?layout=Id');

      expect(answer.meta.total_count).toBe(1);
    });
  });

  describe('layout', () => {
    it('returns only the listed properties and Id', async () => {
      const id = await createRequest(fake, token);

      const answer = await query(fake, token, `/ems/Request?layout=DisplayLabel,PhaseId&filter=Id=${id}`);

      expect(answer.entities[0].properties).toEqual({ Id: id, DisplayLabel: 'VPN not reachable', PhaseId: 'Log' });
    });

    it('returns every set property for FULL_LAYOUT', async () => {
      const id = await createRequest(fake, token, { CreationSource: 'CreationSourceExternal', CreationSourceName_c: 'Deskbridge' });

      const answer = await query(fake, token, `/ems/Request?layout=FULL_LAYOUT&filter=Id=${id}`);

      const properties = answer.entities[0].properties;
      expect(properties).toMatchObject({
        Id: id,
        DisplayLabel: 'VPN not reachable',
        Description: '<p>Times out.</p>',
        PhaseId: 'Log',
        Status: 'RequestStatusReady',
        RequestedByPerson: '10003',
        CreationSource: 'CreationSourceExternal',
        CreationSourceName_c: 'Deskbridge',
      });
      expect(typeof properties.EmsCreationTime).toBe('number');
      expect(properties).not.toHaveProperty('RequestAttachments');
      expect(properties).not.toHaveProperty('Category');
    });

    it('puts dotted properties under related_properties', async () => {
      const id = await createRequest(fake, token);

      const answer = await query(fake, token, `/ems/Request?layout=Id,RequestedByPerson.Name,RequestedByPerson.Email&filter=Id=${id}`);

      expect(answer.entities[0].related_properties).toEqual({
        RequestedByPerson: { Name: 'Customer One', Email: 'customer.one@example.com' },
      });
    });

    it('always returns the configured properties', async () => {
      fake.configure({ alwaysReturnedProperties: ['Id', 'LastUpdateTime'] });
      await createRequest(fake, token);

      const answer = await query(fake, token, '/ems/Request?layout=DisplayLabel');

      expect(Object.keys(answer.entities[0].properties).sort()).toEqual(['DisplayLabel', 'Id', 'LastUpdateTime']);
    });
  });

  describe('Waldur person look-ups', () => {
    it('finds a person by Upn with a trailing slash', async () => {
      const answer = await query(fake, token, "/ems/Person/?layout=FULL_LAYOUT&filter=Upn='smax-agent'");

      expect(answer.entities).toHaveLength(1);
      expect(answer.entities[0].properties).toMatchObject({ Id: '10002', Email: 'agent.one@example.com', ExternalId: 'EXT-AGENT-ONE' });
    });

    it('finds a person by percent-encoded Email', async () => {
      const answer = await query(fake, token, '/ems/Person/?layout=FULL_LAYOUT&filter=Email%3D%27customer.one%40example.com%27');

      expect(answer.entities.map((entity) => entity.properties.Id)).toEqual(['10003']);
    });

    it('finds a person by ExternalId', async () => {
      const answer = await query(fake, token, "/ems/Person?filter=ExternalId = 'EXT-SMAX-BOT'&layout=Id,Name,Email,Upn");

      expect(answer.entities[0].properties).toEqual({
        Id: '10001',
        Name: 'Deskbridge Integration',
        Email: 'smax-bot@example.com',
        Upn: 'smax-bot',
      });
    });

    it('reads a person by Id', async () => {
      const answer = await query(fake, token, '/ems/Person/10003?layout=Name,Email,Upn,ExternalId');

      expect(answer.entities).toHaveLength(1);
      expect(answer.entities[0].properties).toEqual({
        Id: '10003',
        Name: 'Customer One',
        Email: 'customer.one@example.com',
        Upn: 'customer.one',
        ExternalId: 'EXT-CUSTOMER-ONE',
      });
    });

    it('returns no entities for an unknown email', async () => {
      const answer = await query(fake, token, "/ems/Person?layout=Id&filter=Email='nobody@example.com'");

      expect(answer.entities).toEqual([]);
      expect(answer.meta.completion_status).toBe('OK');
    });
  });

  describe('filters', () => {
    it('combines and/or', async () => {
      const answer = await query(
        fake,
        token,
        "/ems/Person?layout=Id&filter=(Upn='smax-bot' or Upn='customer.one') and IsSystemIntegration = false",
      );

      expect(answer.entities.map((entity) => entity.properties.Id)).toEqual(['10003']);
    });

    it('filters on a related property', async () => {
      const own = await createRequest(fake, token);
      await createRequest(fake, token, { RequestedByPerson: '10002' });

      const answer = await query(fake, token, "/ems/Request?layout=Id&filter=RequestedByPerson.Email='customer.one@example.com'");

      expect(answer.entities.map((entity) => entity.properties.Id)).toEqual([own]);
    });

    it('polls changes since a watermark', async () => {
      const first = await createRequest(fake, token);
      const watermark = fake.getEntity('Request', first)?.LastUpdateTime as number;
      const second = await createRequest(fake, token);
      await bulk(fake, token, { operation: 'UPDATE', entities: [{ entity_type: 'Request', properties: { Id: first, Urgency: 'High' } }] });

      const answer = await query(
        fake,
        token,
        `/ems/Request?layout=Id,LastUpdateTime&filter=LastUpdateTime > ${watermark}&order=LastUpdateTime asc&size=50&skip=0`,
      );

      expect(answer.entities.map((entity) => entity.properties.Id)).toEqual([second, first]);
    });
  });

  describe('order and paging', () => {
    let ids: string[];

    beforeEach(async () => {
      ids = [];
      for (const label of ['Charlie', 'Alpha', 'Echo', 'Bravo', 'Delta']) {
        ids.push(await createRequest(fake, token, { DisplayLabel: label }));
      }
    });

    function labels(answer: { entities: Array<{ properties: Record<string, unknown> }> }): unknown[] {
      return answer.entities.map((entity) => entity.properties.DisplayLabel);
    }

    it('orders by Id by default', async () => {
      const answer = await query(fake, token, '/ems/Request?layout=Id');

      expect(answer.entities.map((entity) => entity.properties.Id)).toEqual(ids);
    });

    it('orders by a property ascending', async () => {
      const answer = await query(fake, token, '/ems/Request?layout=DisplayLabel&order=DisplayLabel asc');

      expect(labels(answer)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    });

    it('orders by LastUpdateTime descending', async () => {
      const answer = await query(fake, token, '/ems/Request?layout=DisplayLabel&order=LastUpdateTime desc');

      expect(labels(answer)).toEqual(['Delta', 'Bravo', 'Echo', 'Alpha', 'Charlie']);
    });

    it('pages with size and skip', async () => {
      const pages: unknown[][] = [];
      for (const skip of [0, 2, 4, 6]) {
        pages.push(labels(await query(fake, token, `/ems/Request?layout=DisplayLabel&order=DisplayLabel asc&size=2&skip=${skip}`)));
      }

      expect(pages).toEqual([['Alpha', 'Bravo'], ['Charlie', 'Delta'], ['Echo'], []]);
    });

    it('caps size at maxPageSize', async () => {
      fake.configure({ maxPageSize: 3 });

      const answer = await query(fake, token, '/ems/Request?layout=Id&size=1000');

      expect(answer.entities).toHaveLength(3);
    });

    it('uses defaultPageSize without size', async () => {
      fake.configure({ defaultPageSize: 2 });

      const answer = await query(fake, token, '/ems/Request?layout=Id');

      expect(answer.entities).toHaveLength(2);
    });
  });

  describe('errors', () => {
    it.each([
      ['missing layout', '/ems/Request', 'layout parameter is mandatory'],
      ['unknown layout property', '/ems/Request?layout=Id,Nope', 'Property "Nope" does not exist'],
      ['unknown related property', '/ems/Request?layout=RequestedByPerson.Nope', 'Property "Nope" does not exist on entity type Person'],
      ['invalid filter', "/ems/Request?layout=Id&filter=Id='1", 'unterminated string literal'],
      ['unknown filter property', "/ems/Request?layout=Id&filter=Nope='x'", 'Property "Nope" does not exist'],
      ['invalid order', '/ems/Request?layout=Id&order=Id sideways', 'Invalid order'],
      ['invalid size', '/ems/Request?layout=Id&size=-1', 'Invalid size'],
      ['invalid skip', '/ems/Request?layout=Id&skip=x', 'Invalid skip'],
    ])('rejects %s with a FAILED envelope', async (_case, path, message) => {
      const response = await callSmax(fake, path, { token });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { entities: unknown[]; meta: { completion_status: string; errorDetails: { message: string } } };
      expect(body.entities).toEqual([]);
      expect(body.meta.completion_status).toBe('FAILED');
      expect(body.meta.errorDetails.message).toContain(message);
    });

    it('uses the configured status for query errors', async () => {
      fake.configure({ queryErrorStatus: 200 });

      const response = await callSmax(fake, '/ems/Request', { token });

      expect(response.status).toBe(200);
      expect(((await response.json()) as { meta: { completion_status: string } }).meta.completion_status).toBe('FAILED');
    });

    it('returns 404 for an unknown entity type', async () => {
      const response = await callSmax(fake, '/ems/Widget?layout=Id', { token });

      expect(response.status).toBe(404);
    });

    it('returns 404 for an unknown record', async () => {
      const response = await callSmax(fake, '/ems/Request/99999?layout=Id', { token });

      expect(response.status).toBe(404);
      expect(((await response.json()) as { meta: { completion_status: string } }).meta.completion_status).toBe('FAILED');
    });
  });

  describe('delayed visibility', () => {
    it('hides a new person until the delay passes', async () => {
      fake.configure({ visibilityDelayMs: { Person: 1500 } });
      await bulk(fake, token, {
        operation: 'CREATE',
        entities: [{ entity_type: 'Person', properties: { FirstName: 'Jane', LastName: 'Doe', Email: 'jane@example.com' } }],
      });
      const path = "/ems/Person/?layout=FULL_LAYOUT&filter=Email='jane@example.com'";

      const before = await query(fake, token, path);
      fake.advanceClock(1500);
      const after = await query(fake, token, path);

      expect(before.entities).toEqual([]);
      expect(after.entities).toHaveLength(1);
      expect(after.entities[0].properties.Name).toBe('Jane Doe');
    });

    it('shows the previous version until an update is visible', async () => {
      const id = await createRequest(fake, token);
      fake.configure({ visibilityDelayMs: { Request: 1000 } });
      await bulk(fake, token, { operation: 'UPDATE', entities: [{ entity_type: 'Request', properties: { Id: id, DisplayLabel: 'Renamed' } }] });
      const path = `/ems/Request/${id}?layout=DisplayLabel`;

      const before = await query(fake, token, path);
      fake.advanceClock(1000);
      const after = await query(fake, token, path);

      expect(before.entities[0].properties.DisplayLabel).toBe('VPN not reachable');
      expect(after.entities[0].properties.DisplayLabel).toBe('Renamed');
      expect(fake.getEntity('Request', id)?.DisplayLabel).toBe('Renamed');
    });
  });
});
