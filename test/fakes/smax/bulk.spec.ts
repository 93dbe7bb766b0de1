import { FakeSmax, startFakeSmax } from './fake-smax';
import { bulk, callSmax, createRequest, loginAs, query } from './smax-test-client';

describe('fake SMAX bulk writes', () => {
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

  function requestEntity(properties: Record<string, unknown>) {
    return { entity_type: 'Request', properties };
  }

  const validRequest = {
    DisplayLabel: 'VPN not reachable',
    Description: '<p>Connection times out since 09:00.</p>',
    RequestedByPerson: '10003',
    CreationSource: 'CreationSourceExternal',
    RequestsOffering: '11234',
    Category: '20001',
    CreationSourceName_c: 'Deskbridge',
    OrganisationName_c: 'Example Org',
  };

  describe('CREATE', () => {
    it('creates a request as Waldur does', async () => {
      const answer = await bulk(fake, token, { entities: [requestEntity(validRequest)], operation: 'CREATE' });

      expect(answer.meta.completion_status).toBe('OK');
      expect(answer.relationship_result_list).toEqual([]);
      const [result] = answer.entity_result_list;
      expect(result.completion_status).toBe('OK');
      expect(result.entity.entity_type).toBe('Request');
      expect(Object.keys(result.entity.properties).sort()).toEqual(['Id', 'LastUpdateTime']);
      expect(result.entity.properties.Id).toBe('50001');
      expect(typeof result.entity.properties.LastUpdateTime).toBe('number');
    });

    it('stores the request for a FULL_LAYOUT re-read', async () => {
      const id = await createRequest(fake, token, validRequest);

      const answer = await query(fake, token, `/ems/Request?layout=FULL_LAYOUT&filter=Id=${id}`);

      expect(answer.entities[0].properties).toMatchObject({ ...validRequest, Id: id, PhaseId: 'Log' });
    });

    it('creates a person with a composed Name', async () => {
      const answer = await bulk(fake, token, {
        operation: 'CREATE',
        entities: [{ entity_type: 'Person', properties: { FirstName: 'Jane', LastName: 'Doe', Email: 'jane@example.com' } }],
      });

      const id = String(answer.entity_result_list[0].entity.properties.Id);
      expect(fake.getEntity('Person', id)).toMatchObject({ Name: 'Jane Doe', FirstName: 'Jane', LastName: 'Doe', Email: 'jane@example.com' });
    });

    it('commits the valid entities of a partly failed bulk', async () => {
      const answer = await bulk(fake, token, {
        operation: 'CREATE',
        entities: [requestEntity(validRequest), requestEntity({ Description: 'no title', RequestedByPerson: '10003' })],
      });

      expect(answer.meta.completion_status).toBe('FAILED');
      expect(answer.entity_result_list.map((result) => result.completion_status)).toEqual(['OK', 'FAILED']);
      expect(fake.listEntities('Request')).toHaveLength(1);
    });
  });

  describe('UPDATE', () => {
    it('changes properties and moves LastUpdateTime', async () => {
      const id = await createRequest(fake, token);
      const before = fake.getEntity('Request', id)?.LastUpdateTime as number;

      const answer = await bulk(fake, token, {
        operation: 'UPDATE',
        entities: [requestEntity({ Id: id, DisplayLabel: 'Renamed', PhaseId: 'Fulfill', Category: '20002' })],
      });

      const stored = fake.getEntity('Request', id);
      expect(answer.entity_result_list[0].completion_status).toBe('OK');
      expect(stored).toMatchObject({ DisplayLabel: 'Renamed', PhaseId: 'Fulfill', Category: '20002' });
      expect(stored?.LastUpdateTime as number).toBeGreaterThan(before);
      expect(answer.entity_result_list[0].entity.properties.LastUpdateTime).toBe(stored?.LastUpdateTime);
    });

    it('removes a property set to null', async () => {
      const id = await createRequest(fake, token, { Category: '20001' });

      await bulk(fake, token, { operation: 'UPDATE', entities: [requestEntity({ Id: id, Category: null })] });

      expect(fake.getEntity('Request', id)).not.toHaveProperty('Category');
    });

    it('updates a person', async () => {
      await bulk(fake, token, { operation: 'UPDATE', entities: [{ entity_type: 'Person', properties: { Id: '10003', Upn: 'c.one' } }] });

      expect(fake.getEntity('Person', '10003')?.Upn).toBe('c.one');
    });

    it('keeps the last write of RequestAttachments', async () => {
      const id = await createRequest(fake, token);
      const first = fake.agent.attach(id, { fileName: 'a.txt', content: Buffer.from('a') });
      const stale = fake.getEntity('Request', id)?.RequestAttachments;
      fake.agent.attach(id, { fileName: 'b.txt', content: Buffer.from('b') });

      await bulk(fake, token, { operation: 'UPDATE', entities: [requestEntity({ Id: id, RequestAttachments: stale })] });

      const entries = JSON.parse(String(fake.getEntity('Request', id)?.RequestAttachments)).complexTypeProperties;
      expect(entries.map((entry: { properties: { id: string } }) => entry.properties.id)).toEqual([first.file.guid]);
    });
  });

  describe('FAILED results', () => {
    async function failure(operation: string, entity: unknown): Promise<{ message: string; status: string; meta: string }> {
      const answer = await bulk(fake, token, { operation, entities: [entity] });
      const [result] = answer.entity_result_list;
      return { message: result.errorDetails?.message ?? '', status: result.completion_status, meta: answer.meta.completion_status };
    }

    it.each([
      ['unknown entity type', { entity_type: 'Widget', properties: {} }, 'Entity type "Widget" does not exist'],
      ['missing properties', { entity_type: 'Request' }, 'no "properties" object'],
      ['unknown property', requestEntity({ ...validRequest, Colour: 'red' }), 'Property "Colour" does not exist'],
      ['object value', requestEntity({ ...validRequest, RequestAttachments: { complexTypeProperties: [] } }), 'complex values are sent as JSON strings'],
      ['read-only property', requestEntity({ ...validRequest, Comments: '{}' }), 'read-only'],
      ['server-assigned Id', requestEntity({ ...validRequest, Id: '1' }), 'read-only'],
      ['missing DisplayLabel', requestEntity({ RequestedByPerson: '10003' }), 'Mandatory property "DisplayLabel"'],
      ['missing RequestedByPerson', requestEntity({ DisplayLabel: 'x' }), 'Mandatory property "RequestedByPerson"'],
      ['unknown person', requestEntity({ ...validRequest, RequestedByPerson: '99999' }), 'refers to Person 99999'],
      ['unknown category', requestEntity({ ...validRequest, Category: '1' }), 'refers to ITProcessRecordCategory 1'],
      ['invalid phase', requestEntity({ ...validRequest, PhaseId: 'Limbo' }), '"Limbo" is not a valid PhaseId'],
      ['invalid status', requestEntity({ ...validRequest, Status: 'Done' }), '"Done" is not a valid Status'],
      ['long title', requestEntity({ ...validRequest, DisplayLabel: 'x'.repeat(141) }), 'the maximum is 140'],
      ['person without LastName', { entity_type: 'Person', properties: { FirstName: 'Jane' } }, 'Mandatory property "LastName"'],
    ])('reports %s on CREATE', async (_case, entity, message) => {
      const result = await failure('CREATE', entity);

      expect(result.status).toBe('FAILED');
      expect(result.meta).toBe('FAILED');
      expect(result.message).toContain(message);
    });

    it.each([
      ['unknown Id', { Id: '99999', DisplayLabel: 'x' }, 'Request with Id 99999 was not found'],
      ['bad RequestAttachments JSON', { RequestAttachments: '{"complexTypeProperties":' }, 'not valid JSON'],
      ['RequestAttachments without list', { RequestAttachments: '{}' }, 'complexTypeProperties list'],
      [
        'unknown attachment id',
        { RequestAttachments: '{"complexTypeProperties":[{"properties":{"id":"nope","file_name":"a.txt"}}]}' },
        'not in the file repository: nope',
      ],
    ])('reports %s on UPDATE', async (_case, properties, message) => {
      const id = await createRequest(fake, token);

      const result = await failure('UPDATE', requestEntity({ Id: id, ...properties }));

      expect(result.status).toBe('FAILED');
      expect(result.message).toContain(message);
    });

    it('reports missing Id on UPDATE', async () => {
      await createRequest(fake, token);

      const result = await failure('UPDATE', requestEntity({ DisplayLabel: 'x' }));

      expect(result.status).toBe('FAILED');
      expect(result.message).toContain('needs the record\'s "Id"');
    });

    it('echoes the sent entity in a FAILED result', async () => {
      const answer = await bulk(fake, token, { operation: 'CREATE', entities: [requestEntity({ DisplayLabel: 'x' })] });

      expect(answer.entity_result_list[0].entity).toEqual({ entity_type: 'Request', properties: { DisplayLabel: 'x' }, related_properties: {} });
    });

    it.each(['Close', 'Abandon'])('rejects changes after %s', async (phase) => {
      const id = await createRequest(fake, token);
      fake.agent.setPhase(id, phase);

      const result = await failure('UPDATE', requestEntity({ Id: id, DisplayLabel: 'Again' }));

      expect(result.status).toBe('FAILED');
      expect(result.message).toContain(`is closed (PhaseId ${phase})`);
    });

    it('rejects a stale LastUpdateTime when required', async () => {
      fake.configure({ requireLastUpdateTime: true });
      const id = await createRequest(fake, token);
      const current = fake.getEntity('Request', id)?.LastUpdateTime;

      const fresh = await failure('UPDATE', requestEntity({ Id: id, LastUpdateTime: current, Urgency: 'High' }));
      const stale = await failure('UPDATE', requestEntity({ Id: id, LastUpdateTime: current, Urgency: 'Low' }));

      expect(fresh.status).toBe('OK');
      expect(stale.status).toBe('FAILED');
      expect(stale.message).toContain('was changed by someone else');
    });

    it('ignores LastUpdateTime unless required', async () => {
      const id = await createRequest(fake, token);

      const result = await failure('UPDATE', requestEntity({ Id: id, LastUpdateTime: 1, Urgency: 'High' }));

      expect(result.status).toBe('OK');
    });

    it('does not delete records', async () => {
      const id = await createRequest(fake, token);

      const result = await failure('DELETE', requestEntity({ Id: id }));

      expect(result.status).toBe('FAILED');
      expect(fake.getEntity('Request', id)).toBeDefined();
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['malformed JSON', '{"operation":'],
      ['a list body', '[]'],
      ['missing operation', '{"entities":[]}'],
      ['unknown operation', '{"operation":"MERGE","entities":[]}'],
      ['entities not a list', '{"operation":"CREATE","entities":{}}'],
    ])('rejects %s with 400', async (_case, body) => {
      const response = await callSmax(fake, '/ems/bulk', { method: 'POST', token, body, headers: { 'Content-Type': 'application/json' } });

      expect(response.status).toBe(400);
    });
  });

  describe('relationships', () => {
    it('links two requests', async () => {
      const first = await createRequest(fake, token);
      const second = await createRequest(fake, token);

      const answer = await bulk(fake, token, {
        relationships: [{ name: 'RequestCausedByRequest', firstEndpoint: { Request: first }, secondEndpoint: { Request: second } }],
        operation: 'CREATE',
      });

      expect(answer.meta.completion_status).toBe('OK');
      expect(answer.relationship_result_list[0].completion_status).toBe('OK');
      expect(fake.relationships()).toEqual([
        { name: 'RequestCausedByRequest', firstEndpoint: { Request: first }, secondEndpoint: { Request: second } },
      ]);
    });

    it('fails a link to an unknown request', async () => {
      const first = await createRequest(fake, token);

      const answer = await bulk(fake, token, {
        relationships: [{ name: 'RequestCausedByRequest', firstEndpoint: { Request: first }, secondEndpoint: { Request: '1' } }],
        operation: 'CREATE',
      });

      expect(answer.relationship_result_list[0].completion_status).toBe('FAILED');
      expect(answer.relationship_result_list[0].errorDetails?.message).toContain('Request 1, which does not exist');
      expect(fake.relationships()).toEqual([]);
    });
  });
});
