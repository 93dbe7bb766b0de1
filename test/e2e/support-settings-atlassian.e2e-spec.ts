import { SETTING_KEYS } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';
import { AtlassianBackendProvider } from '../../src/support/backends/atlassian/atlassian-backend.provider';
import { RequestType } from '../../src/support/request-types/request-type.entity';
import { INTEGRATION_EMAIL, INTEGRATION_TOKEN, PERSONAL_ACCESS_TOKEN, startFakeJira, type FakeJira } from '../fakes/jira';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createJiraIssue } from '../support/jira-backend';
import { OpenApiContract } from '../support/openapi-contract';
import { createTestApp, TestApp } from '../support/test-app';

const BASE = '/api/support/settings/atlassian';

describe('Atlassian settings discovery', () => {
  let testApp: TestApp;
  let settings: SettingsService;
  let fake: FakeJira;
  let staff: UserWithToken;
  let member: UserWithToken;
  let credentials: Record<string, unknown>;

  beforeAll(async () => {
    testApp = await createTestApp();
    settings = testApp.app.get(SettingsService);
    fake = await startFakeJira({ flavour: 'cloud' });
    staff = await createStaff(testApp.dataSource);
    member = await createUser(testApp.dataSource);
    credentials = { api_url: fake.url, auth_method: 'api_token', email: INTEGRATION_EMAIL, token: INTEGRATION_TOKEN };
  });

  beforeEach(() => {
    fake.reset();
  });

  afterEach(async () => {
    await settings.update(Object.fromEntries(SETTING_KEYS.map((key) => [key, null])));
    await testApp.dataSource.query('DELETE FROM request_types');
  });

  afterAll(async () => {
    await fake.close();
    await testApp.close();
  });

  function post(path: string, body: object, user: UserWithToken = staff) {
    return testApp.http().post(`${BASE}/${path}/`).set('Authorization', user.auth).send(body);
  }

  describe('access', () => {
    it('rejects anonymous callers with 401', async () => {
      await testApp.http().post(`${BASE}/validate_credentials/`).send(credentials).expect(401);
    });

    it.each(['validate_credentials', 'discover_projects', 'discover_priorities', 'discover_custom_fields', 'preview_settings', 'save_settings'])(
      'rejects non-staff on %s with 403',
      async (path) => {
        await post(path, { ...credentials, project_id: 'SUP', confirm_save: true }, member).expect(403);
      },
    );

    it('answers 424 while support is disabled', async () => {
      await settings.update({ WALDUR_SUPPORT_ENABLED: false });
      const response = await testApp.http().post(`${BASE}/validate_credentials/`).send(credentials).expect(424);
      expect(response.body).toEqual({ detail: 'Support extension is disabled.' });
    });

    it('rejects non-staff reading current settings with 403', async () => {
      await testApp.http().get(`${BASE}/current_settings/`).set('Authorization', member.auth).expect(403);
    });
  });

  describe('generic routes', () => {
    it.each([
      ['get', `${BASE}/`],
      ['post', `${BASE}/`],
      ['get', `${BASE}/1/`],
      ['put', `${BASE}/1/`],
      ['patch', `${BASE}/1/`],
      ['delete', `${BASE}/1/`],
    ] as const)('answers %s %s with 405', async (method, url) => {
      const response = await testApp.http()[method](url).set('Authorization', staff.auth).expect(405);
      expect(response.body).toEqual({ detail: `Method "${method.toUpperCase()}" not allowed.` });
    });

    it('checks staff before answering 405', async () => {
      await testApp.http().delete(`${BASE}/1/`).set('Authorization', member.auth).expect(403);
    });
  });

  describe('validate_credentials', () => {
    it('returns the integration user and server', async () => {
      const response = await post('validate_credentials', credentials).expect(200);
      expect(response.body).toEqual({
        valid: true,
        auth_method: 'api_token',
        user: { account_id: '5b10ac8d82e05b22cc7d0001', name: null, display_name: 'Deskbridge Integration', email: INTEGRATION_EMAIL, time_zone: 'Europe/Tallinn' },
        server: { base_url: fake.url, version: expect.any(String), deployment_type: 'Cloud' },
      });
    });

    it('answers 424 naming the auth method for a wrong token', async () => {
      const response = await post('validate_credentials', { ...credentials, token: 'wrong-token' }).expect(424);
      expect(response.body.detail).toMatch(/^Jira rejected the e-mail and API token \(401 on GET \/rest\/api\/2\/myself: Client must be authenticated/);
    });

    it('answers 424 when Jira cannot be reached', async () => {
      const response = await post('validate_credentials', { ...credentials, api_url: 'http://127.0.0.1:9' }).expect(424);
      expect(response.body.detail).toMatch(/^Could not reach Jira for GET \/rest\/api\/2\/myself/);
    });

    it('accepts a personal access token on Data Center', async () => {
      const datacenter = await startFakeJira({ flavour: 'datacenter' });
      try {
        const response = await post('validate_credentials', { api_url: datacenter.url, auth_method: 'personal_access_token', personal_access_token: PERSONAL_ACCESS_TOKEN }).expect(200);
        expect(response.body).toMatchObject({ auth_method: 'personal_access_token', user: { name: 'jira-bot' }, server: { deployment_type: 'Server' } });
      } finally {
        await datacenter.close();
      }
    });

    it('rejects a missing secret with 400', async () => {
      const response = await post('validate_credentials', { api_url: fake.url, auth_method: 'api_token', email: INTEGRATION_EMAIL }).expect(400);
      expect(response.body).toEqual({ token: ['This field is required for api_token authentication.'] });
    });

    it('rejects an unknown auth method and a bad URL with 400', async () => {
      const response = await post('validate_credentials', { api_url: 'not a url', auth_method: 'magic' }).expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['api_url', 'auth_method']);
    });

    it.each([
      ['a user name and password', (url: string) => url.replace('http://', 'http://jira-bot:secret@'), 'Enter the URL without a user name or password; set the credentials in their own settings.'],
      ['a query', (url: string) => `${url}/?os_authType=basic`, 'Enter the URL without a query string (the part from "?").'],
      ['a fragment', (url: string) => `${url}/#/dashboard`, 'Enter the URL without a fragment (the part from "#").'],
    ])('rejects an API URL with %s with 400', async (_case, withPart, message) => {
      const response = await post('validate_credentials', { ...credentials, api_url: withPart(fake.url) }).expect(400);
      expect(response.body).toEqual({ api_url: [message] });
      const saved = await post('save_settings', { ...credentials, api_url: withPart(fake.url), project_id: 'SUP', confirm_save: true }).expect(400);
      expect(saved.body).toEqual({ api_url: [message] });
      const overridden = await testApp.http().post('/api/override-settings/').set('Authorization', staff.auth).send({ ATLASSIAN_API_URL: withPart(fake.url) }).expect(400);
      expect(overridden.body).toEqual({ ATLASSIAN_API_URL: [message] });
      expect(fake.requests()).toEqual([]);
    });

    it.each([
      ['personal_access_token', { auth_method: 'personal_access_token', personal_access_token: 'fake-pat\n' }],
      ['token', { auth_method: 'api_token', email: INTEGRATION_EMAIL, token: 'fake-\r\napi-token' }],
      ['password', { auth_method: 'basic', username: 'jira-bot', password: 'secret\t' }],
    ])('rejects a line break or tab in %s with 400', async (field, body) => {
      const response = await post('validate_credentials', { api_url: fake.url, ...body }).expect(400);
      expect(response.body).toEqual({ [field]: ['Remove the line break or other control character; credentials cannot contain them.'] });
      expect(fake.requests()).toEqual([]);
    });

    it('rejects a line break in a stored token with 400', async () => {
      const response = await testApp.http().post('/api/override-settings/').set('Authorization', staff.auth).send({ ATLASSIAN_PERSONAL_ACCESS_TOKEN: 'fake-pat\n' }).expect(400);
      expect(response.body).toEqual({ ATLASSIAN_PERSONAL_ACCESS_TOKEN: ['Remove the line break or other control character; credentials cannot contain them.'] });
    });

    it('passes on the Retry-After of a Jira 429', async () => {
      fake.addFault({ path: '/rest/api/2/myself', status: 429, retryAfter: 120 });
      const response = await post('validate_credentials', credentials).expect(424);
      expect(response.headers['retry-after']).toBe('120');
      expect(response.body.detail).toMatch(/^Jira returned 429 for GET \/rest\/api\/2\/myself/);
    });

    it('uses the stored token for the stored server only', async () => {
      await settings.update({ ATLASSIAN_API_URL: fake.url, ATLASSIAN_EMAIL: INTEGRATION_EMAIL, ATLASSIAN_TOKEN: INTEGRATION_TOKEN });
      await post('validate_credentials', { api_url: fake.url, auth_method: 'api_token', email: INTEGRATION_EMAIL, token: '********' }).expect(200);
      await post('validate_credentials', { api_url: `${fake.gatewayUrl}`, auth_method: 'api_token', email: INTEGRATION_EMAIL }).expect(400);
      expect(fake.requests().every((request) => !request.path.startsWith('/ex/jira'))).toBe(true);
    });
  });

  describe('discovery', () => {
    const contract = new OpenApiContract();

    it.each([
      ['discover_projects', 'AtlassianProjectResponse', {}],
      ['discover_request_types', 'AtlassianRequestTypeResponse', { project_id: 'SUP' }],
      ['discover_priorities', 'AtlassianPriorityResponse', {}],
      ['discover_custom_fields', 'AtlassianCustomFieldResponse', {}],
      ['discover_custom_fields', 'AtlassianCustomFieldResponse', { project_id: 'SUP', request_type_id: '2' }],
    ])('answers %s in the schema of %s', async (path, schema, extra) => {
      const response = await post(path, { ...credentials, ...extra }).expect(200);
      expect(response.body.length).toBeGreaterThan(0);
      for (const item of response.body) expect(contract.errors(schema, item)).toEqual([]);
    });

    it('lists service desk projects', async () => {
      const response = await post('discover_projects', credentials).expect(200);
      expect(response.body).toEqual([{ id: '10000', key: 'SUP', name: 'Support', service_desk_id: '1' }]);
      expect(response.headers['x-result-count']).toBe('1');
    });

    it('lists request types of a project', async () => {
      const response = await post('discover_request_types', { ...credentials, project_id: 'SUP' }).expect(200);
      expect(response.body.map((type: { id: string; name: string; issue_type_id: string }) => [type.id, type.name, type.issue_type_id])).toEqual([
        ['1', 'Get IT help', '10100'],
        ['2', 'Report a system problem', '10101'],
        ['3', 'Request a change', '10102'],
        ['4', 'Ask a question', '10103'],
      ]);
    });

    it('requires the project of request types', async () => {
      const response = await post('discover_request_types', credentials).expect(400);
      expect(response.body).toEqual({ project_id: ['This field is required.'] });
    });

    it('answers 424 for a project without a service desk', async () => {
      const response = await post('discover_request_types', { ...credentials, project_id: 'OPS' }).expect(424);
      expect(response.body.detail).toMatch(/Jira has no service desk "OPS"/);
    });

    it('pages priorities', async () => {
      const response = await testApp.http().post(`${BASE}/discover_priorities/?page_size=2&page=2`).set('Authorization', staff.auth).send(credentials).expect(200);
      expect(response.body.map((priority: { name: string }) => priority.name)).toEqual(['Medium', 'Low']);
      expect(response.headers['x-result-count']).toBe('5');
      expect(response.body[0]).toEqual({ id: '3', name: 'Medium', description: 'Has the potential to affect progress.', icon_url: expect.stringContaining('/medium.svg') });
    });

    it('lists custom fields with clause names', async () => {
      const response = await testApp.http().post(`${BASE}/discover_custom_fields/?page_size=100`).set('Authorization', staff.auth).send(credentials).expect(200);
      const impact = response.body.find((field: { name: string }) => field.name === 'Impact');
      expect(impact).toEqual({ id: expect.stringMatching(/^customfield_\d+$/), name: 'Impact', clause_names: [expect.stringMatching(/^cf\[\d+\]$/), 'Impact'], field_type: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield', required: false });
      expect(response.body.every((field: { id: string }) => field.id.startsWith('customfield_'))).toBe(true);
    });

    it('lists the form fields of a request type', async () => {
      const response = await post('discover_custom_fields', { ...credentials, project_id: 'SUP', request_type_id: '2' }).expect(200);
      expect(response.body.map((field: { name: string; required: boolean }) => [field.name, field.required])).toEqual([
        ['Summary', true],
        ['Description', false],
        ['Priority', false],
        ['Impact', false],
      ]);
    });
  });

  describe('preview and save', () => {
    const picked = () => ({
      ...credentials,
      project_id: 'SUP',
      issue_types: ['Incident', 'Service Request'],
      support_type_mapping: { Incident: '2', 'Service Request': '1' },
      organisation_field: 'Reporter organization',
      project_field: 'No Such Field',
      custom_field_mapping_enabled: true,
    });

    it('previews the changes with secrets masked and unknown fields as warnings', async () => {
      const response = await post('preview_settings', picked()).expect(200);
      expect(response.body.settings).toMatchObject({
        ATLASSIAN_API_URL: fake.url,
        ATLASSIAN_EMAIL: INTEGRATION_EMAIL,
        ATLASSIAN_TOKEN: '********',
        ATLASSIAN_PROJECT_ID: 'SUP',
        ATLASSIAN_ISSUE_TYPES: 'Incident, Service Request',
        ATLASSIAN_ORGANISATION_FIELD: 'Reporter organization',
      });
      expect(response.body.changes).toContainEqual({ key: 'ATLASSIAN_TOKEN', current: '', new: '********' });
      expect(response.body.warnings).toEqual(['Jira has no field named "No Such Field" (project_field); it will be left out.']);
      expect(settings.get('ATLASSIAN_API_URL')).toBe('');
    });

    it('rejects a mapping to an unknown request type', async () => {
      const response = await post('preview_settings', { ...picked(), support_type_mapping: { Incident: '99' } }).expect(400);
      expect(response.body).toEqual({ support_type_mapping: ['Jira has no request type 99 in this service desk (for "Incident").'] });
    });

    it.each([
      [5, 'Not a valid string: the request type of "Incident" is a number. Send request type ids as strings, such as "5".'],
      [true, 'Not a valid string: the request type of "Incident" is a boolean. Send request type ids as strings, such as "5".'],
      [' ', 'The request type of "Incident" may not be blank.'],
    ])('rejects the mapping value %p before asking Jira', async (value, message) => {
      const response = await post('preview_settings', { ...picked(), support_type_mapping: { Incident: value } }).expect(400);
      expect(response.body).toEqual({ support_type_mapping: [message] });
      expect(fake.requests()).toEqual([]);
    });

    it.each(['true', 'True', '1'])('accepts confirm_save %p as true', async (confirm) => {
      await post('save_settings', { ...picked(), confirm_save: confirm }).expect(200);
      expect(settings.get('ATLASSIAN_API_URL')).toBe(fake.url);
    });

    it.each([
      ['false', 'Set confirm_save to true to save the settings.'],
      ['0', 'Set confirm_save to true to save the settings.'],
      ['maybe', 'Must be a valid boolean.'],
    ])('rejects confirm_save %p', async (confirm, message) => {
      const response = await post('save_settings', { ...picked(), confirm_save: confirm }).expect(400);
      expect(response.body).toEqual({ confirm_save: [message] });
      expect(settings.get('ATLASSIAN_API_URL')).toBe('');
    });

    it('requires confirm_save to be true', async () => {
      const response = await post('save_settings', { ...picked(), confirm_save: false }).expect(400);
      expect(response.body).toEqual({ confirm_save: ['Set confirm_save to true to save the settings.'] });
      expect(settings.get('ATLASSIAN_API_URL')).toBe('');
    });

    it('saves the settings and the type mapping', async () => {
      await settings.update({ ATLASSIAN_PERSONAL_ACCESS_TOKEN: 'left-over' });
      const response = await post('save_settings', { ...picked(), confirm_save: true }).expect(200);

      expect(response.body.detail).toBe('Settings saved.');
      expect(settings.get('ATLASSIAN_API_URL')).toBe(fake.url);
      expect(settings.get('ATLASSIAN_TOKEN')).toBe(INTEGRATION_TOKEN);
      expect(settings.get('ATLASSIAN_PERSONAL_ACCESS_TOKEN')).toBe('');
      expect(settings.get('ATLASSIAN_PROJECT_FIELD')).toBe('No Such Field');
      const types = await testApp.dataSource.getRepository(RequestType).find({ where: { backendName: 'atlassian' }, order: { backendId: 'ASC' } });
      expect(types.map((type) => [type.backendId, type.name, type.issueTypeName])).toEqual([
        [1, 'Get IT help', 'Service Request'],
        [2, 'Report a system problem', 'Incident'],
      ]);
      expect(response.body.settings).toMatchObject({ api_url: fake.url, auth_method: 'api_token', token: '********', support_type_mapping: { Incident: '2', 'Service Request': '1' } });
    });

    it('keeps a saved type mapping through request type pulls', async () => {
      await post('save_settings', { ...picked(), support_type_mapping: undefined, confirm_save: true }).expect(200);
      const backend = testApp.app.get(AtlassianBackendProvider).current();
      await backend.pullRequestTypes();

      await post('save_settings', { ...picked(), support_type_mapping: { 'Service Request': '4' }, confirm_save: true }).expect(200);
      await backend.pullRequestTypes();

      const chosen = await backend.reference.findRequestType(testApp.dataSource.manager, 'Service Request');
      expect(chosen?.backendId).toBe(4);
      const current = await testApp.http().get(`${BASE}/current_settings/`).set('Authorization', staff.auth).expect(200);
      expect(current.body.support_type_mapping['Service Request']).toBe('4');

      const caller = await createUser(testApp.dataSource, { fullName: 'Jane Doe', email: 'jane.mapping@example.org' });
      const issue = await createJiraIssue(testApp.dataSource, caller.user, { type: 'Service Request' });
      await testApp.dataSource.transaction((manager) => backend.createIssue(issue, manager));
      const [request] = fake.requests().filter((entry) => entry.method === 'POST' && entry.path === '/rest/servicedeskapi/request');
      expect(request.body).toMatchObject({ requestTypeId: '4' });
    });

    it('moves an issue type to the newly saved request type', async () => {
      await post('save_settings', { ...picked(), support_type_mapping: { Incident: '2' }, confirm_save: true }).expect(200);
      await post('save_settings', { ...picked(), support_type_mapping: { Incident: '3' }, confirm_save: true }).expect(200);
      const backend = testApp.app.get(AtlassianBackendProvider).current();
      await backend.pullRequestTypes();

      expect((await backend.reference.findRequestType(testApp.dataSource.manager, 'Incident'))?.backendId).toBe(3);
      const types = await testApp.dataSource.getRepository(RequestType).find({ where: { backendName: 'atlassian' }, order: { backendId: 'ASC' } });
      expect(types.map((type) => [type.backendId, type.issueTypeName, type.manualMapping])).toEqual([
        [1, 'Service Request', false],
        [2, 'Incident', false],
        [3, 'Incident', true],
        [4, 'Informational', false],
      ]);
    });

    it('rejects one request type for two issue types', async () => {
      const response = await post('preview_settings', { ...picked(), support_type_mapping: { Incident: '1', 'Service Request': '1' } }).expect(400);
      expect(response.body).toEqual({
        support_type_mapping: ['Request type 1 is mapped to several issue types ("Incident", "Service Request"); map each request type to one issue type.'],
      });
    });

    it('saves nothing when Jira rejects the credentials', async () => {
      const response = await post('save_settings', { ...picked(), token: 'wrong-token', confirm_save: true }).expect(424);
      expect(response.body.detail).toMatch(/e-mail and API token/);
      expect(settings.get('ATLASSIAN_API_URL')).toBe('');
    });

    it('reports an invalid setting under its body field', async () => {
      const response = await post('save_settings', { ...picked(), impact_field: '', confirm_save: true }).expect(400);
      expect(Object.keys(response.body)).toEqual(['impact_field']);
    });

    it('shows the current settings with secrets masked', async () => {
      await settings.update({ ATLASSIAN_API_URL: fake.url, ATLASSIAN_USERNAME: 'jira-bot', ATLASSIAN_PASSWORD: 'secret' });
      const response = await testApp.http().get(`${BASE}/current_settings/`).set('Authorization', staff.auth).expect(200);
      expect(response.body).toMatchObject({ api_url: fake.url, auth_method: 'basic', username: 'jira-bot', password: '********', token: '', impact_field: 'Impact' });
    });
  });
});
