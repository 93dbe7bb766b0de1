import { EventEmitter2 } from '@nestjs/event-emitter';

import { SECRET_MASK } from '../../src/settings/override-settings.service';
import { SETTINGS_CHANGED_EVENT, SettingsChangedEvent } from '../../src/settings/settings.events';
import { SETTING_KEYS, SETTINGS } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';
import { SigningKeyService } from '../../src/settings/signing-key.service';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const URL = '/api/override-settings/';

describe('override settings', () => {
  let testApp: TestApp;
  let settings: SettingsService;
  let staff: UserWithToken;
  let member: UserWithToken;

  beforeAll(async () => {
    testApp = await createTestApp();
    settings = testApp.app.get(SettingsService);
    staff = await createStaff(testApp.dataSource);
    member = await createUser(testApp.dataSource);
  });

  afterEach(async () => {
    await settings.update(Object.fromEntries(SETTING_KEYS.map((key) => [key, null])));
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function maxRevision(): Promise<string | null> {
    const rows: { revision: string | null }[] = await testApp.dataSource.query('SELECT max(revision)::text AS revision FROM settings');
    return rows[0].revision;
  }

  async function readSettings(): Promise<Record<string, unknown>> {
    const response = await testApp.http().get(URL).set('Authorization', staff.auth).expect(200);
    return response.body;
  }

  describe('access', () => {
    it('rejects anonymous reads with 401', async () => {
      await testApp.http().get(URL).expect(401);
    });

    it('rejects anonymous updates with 401', async () => {
      await testApp.http().post(URL).send({ SITE_NAME: 'Anonymous' }).expect(401);
      expect(settings.get('SITE_NAME')).toBe('Deskbridge');
    });

    it('rejects reads by non-staff with 403', async () => {
      const response = await testApp.http().get(URL).set('Authorization', member.auth).expect(403);
      expect(response.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('rejects updates by non-staff with 403', async () => {
      await testApp.http().post(URL).set('Authorization', member.auth).send({ SITE_NAME: 'Member' }).expect(403);
      expect(settings.get('SITE_NAME')).toBe('Deskbridge');
    });

    it('rejects support users who are not staff', async () => {
      const support = await createUser(testApp.dataSource, { isSupport: true });
      await testApp.http().get(URL).set('Authorization', support.auth).expect(403);
    });
  });

  describe('GET', () => {
    it('lists every setting with JSON types', async () => {
      const body = await readSettings();

      expect(Object.keys(body)).toEqual(SETTING_KEYS);
      expect(body.WALDUR_SUPPORT_ENABLED).toBe(true);
      expect(body.WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE).toBe('basic');
      expect(body.ZAMMAD_COMMENT_COOLDOWN_DURATION).toBe(5);
      expect(body.SMAX_VERIFY_SSL).toBe(true);
      expect(body.ATLASSIAN_API_URL).toBe('');
      for (const key of SETTING_KEYS) {
        expect({ key, type: typeof body[key] }).toEqual({ key, type: typeof SETTINGS[key].default });
      }
    });

    it('shows unset secrets as empty', async () => {
      const body = await readSettings();
      expect(body.ATLASSIAN_PASSWORD).toBe('');
      expect(body.ZAMMAD_WEBHOOK_SECRET).toBe('');
    });

    it('masks stored secrets', async () => {
      await settings.update({ ATLASSIAN_TOKEN: 'jira-token-value', SMAX_PASSWORD: 'smax-password' });

      const response = await testApp.http().get(URL).set('Authorization', staff.auth).expect(200);

      expect(response.body.ATLASSIAN_TOKEN).toBe(SECRET_MASK);
      expect(response.body.SMAX_PASSWORD).toBe(SECRET_MASK);
      expect(response.text).not.toContain('jira-token-value');
      expect(response.text).not.toContain('smax-password');
    });

    it('never exposes the signing key', async () => {
      const key = await testApp.app.get(SigningKeyService).getKey();
      const response = await testApp.http().get(URL).set('Authorization', staff.auth).expect(200);
      expect(response.text).not.toContain(key);
    });
  });

  describe('POST', () => {
    it('updates settings from JSON', async () => {
      const response = await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .send({ SITE_NAME: 'Helpdesk', SMAX_TIMES_TO_PULL: 3, ATLASSIAN_VERIFY_SSL: true, ZAMMAD_TOKEN: 'zammad-token' })
        .expect(200);

      expect(settings.get('SITE_NAME')).toBe('Helpdesk');
      expect(settings.get('SMAX_TIMES_TO_PULL')).toBe(3);
      expect(settings.get('ATLASSIAN_VERIFY_SSL')).toBe(true);
      expect(settings.get('ZAMMAD_TOKEN')).toBe('zammad-token');
      expect(response.body.SITE_NAME).toBe('Helpdesk');
      expect(response.body.ZAMMAD_TOKEN).toBe(SECRET_MASK);
    });

    it('updates settings from multipart form fields', async () => {
      await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .field('WALDUR_SUPPORT_ENABLED', 'false')
        .field('ZAMMAD_COMMENT_COOLDOWN_DURATION', '15')
        .field('ZAMMAD_API_URL', 'https://zammad.example.com/')
        .field('ZAMMAD_ARTICLE_TYPE', 'note')
        .field('ZAMMAD_GROUP', '')
        .expect(200);

      expect(settings.get('WALDUR_SUPPORT_ENABLED')).toBe(false);
      expect(settings.get('ZAMMAD_COMMENT_COOLDOWN_DURATION')).toBe(15);
      expect(settings.get('ZAMMAD_API_URL')).toBe('https://zammad.example.com/');
      expect(settings.get('ZAMMAD_ARTICLE_TYPE')).toBe('note');
      expect(settings.get('ZAMMAD_GROUP')).toBe('');
    });

    it('updates settings from a urlencoded form', async () => {
      await testApp.http().post(URL).set('Authorization', staff.auth).type('form').send('SMAX_VERIFY_SSL=false&SMAX_SECONDS_TO_WAIT=4').expect(200);

      expect(settings.get('SMAX_VERIFY_SSL')).toBe(false);
      expect(settings.get('SMAX_SECONDS_TO_WAIT')).toBe(4);
    });

    it('round-trips the GET object as JSON without changes', async () => {
      await settings.update({ ATLASSIAN_PASSWORD: 'jira-password', ATLASSIAN_API_URL: 'https://jira.example.com/', SMAX_TIMES_TO_PULL: 4 });
      const before = await readSettings();
      const revision = await maxRevision();

      await testApp.http().post(URL).set('Authorization', staff.auth).send(before).expect(200);

      expect(settings.get('ATLASSIAN_PASSWORD')).toBe('jira-password');
      expect(await readSettings()).toEqual(before);
      expect(await maxRevision()).toBe(revision);
    });

    it('round-trips the GET object as multipart without changes', async () => {
      await settings.update({ SMAX_PASSWORD: 'smax-password', ZAMMAD_TOKEN: 'zammad-token', ISSUE_FEEDBACK_ENABLE: false });
      const before = await readSettings();
      const revision = await maxRevision();

      let request = testApp.http().post(URL).set('Authorization', staff.auth);
      for (const [key, value] of Object.entries(before)) request = request.field(key, String(value));
      await request.expect(200);

      expect(settings.get('SMAX_PASSWORD')).toBe('smax-password');
      expect(settings.get('ZAMMAD_TOKEN')).toBe('zammad-token');
      expect(await readSettings()).toEqual(before);
      expect(await maxRevision()).toBe(revision);
    });

    it('restores the default for an empty optional value', async () => {
      await settings.update({ ATLASSIAN_API_URL: 'https://jira.example.com/', ATLASSIAN_PROJECT_ID: 'SD' });

      await testApp.http().post(URL).set('Authorization', staff.auth).field('ATLASSIAN_API_URL', '').expect(200);
      await testApp.http().post(URL).set('Authorization', staff.auth).send({ ATLASSIAN_PROJECT_ID: null }).expect(200);

      expect(settings.get('ATLASSIAN_API_URL')).toBe(SETTINGS.ATLASSIAN_API_URL.default);
      expect(settings.get('ATLASSIAN_PROJECT_ID')).toBe(SETTINGS.ATLASSIAN_PROJECT_ID.default);
    });

    it('clears a secret posted as empty', async () => {
      await settings.update({ ATLASSIAN_WEBHOOK_SECRET: 'webhook-secret' });

      await testApp.http().post(URL).set('Authorization', staff.auth).send({ ATLASSIAN_WEBHOOK_SECRET: '' }).expect(200);

      expect(settings.get('ATLASSIAN_WEBHOOK_SECRET')).toBe('');
    });

    it('restores a default by posting the default value', async () => {
      await settings.update({ SMAX_TIMES_TO_PULL: 4 });

      await testApp.http().post(URL).set('Authorization', staff.auth).field('SMAX_TIMES_TO_PULL', '10').expect(200);

      const rows = await testApp.dataSource.query(`SELECT value FROM settings WHERE key = 'SMAX_TIMES_TO_PULL'`);
      expect(rows).toEqual([{ value: null }]);
      expect(settings.get('SMAX_TIMES_TO_PULL')).toBe(10);
    });

    it('rejects an invalid value naming the key', async () => {
      const revision = await maxRevision();

      const response = await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .send({ ATLASSIAN_API_URL: 'not a url', SITE_NAME: 'Should not be saved' })
        .expect(400);

      expect(response.body).toEqual({ ATLASSIAN_API_URL: ['Enter a valid URL.'] });
      expect(settings.get('SITE_NAME')).toBe('Deskbridge');
      expect(await maxRevision()).toBe(revision);
    });

    it('lists every invalid key at once', async () => {
      const response = await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .field('WALDUR_SUPPORT_ENABLED', 'maybe')
        .field('SMAX_TIMES_TO_PULL', '0')
        .field('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'jira')
        .field('SITE_NAME', '')
        .field('ATLASSIAN_EMAIL', 'nobody')
        .expect(400);

      expect(response.body).toEqual({
        WALDUR_SUPPORT_ENABLED: ['Must be a valid boolean.'],
        SMAX_TIMES_TO_PULL: ['Ensure this value is greater than or equal to 1.'],
        WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: ['"jira" is not a valid choice.'],
        SITE_NAME: ['This field may not be blank.'],
        ATLASSIAN_EMAIL: ['Enter a valid email address.'],
      });
    });

    it('rejects malformed SMAX connection values', async () => {
      const response = await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .send({ SMAX_AUTH_COOKIE_NAME: 'a=b; c', SMAX_TENANT_ID: '../../x' })
        .expect(400);

      expect(Object.keys(response.body).sort()).toEqual(['SMAX_AUTH_COOKIE_NAME', 'SMAX_TENANT_ID']);
      expect(response.body.SMAX_AUTH_COOKIE_NAME[0]).toMatch(/^Enter a cookie name/);
      expect(response.body.SMAX_TENANT_ID).toEqual(['Enter the tenant ID as digits only.']);
      expect(settings.get('SMAX_AUTH_COOKIE_NAME')).toBe('LWSSO_COOKIE_KEY');
    });

    it('accepts the cookie name of newer SMAX servers', async () => {
      await testApp.http().post(URL).set('Authorization', staff.auth).send({ SMAX_AUTH_COOKIE_NAME: 'SMAX_AUTH_TOKEN', SMAX_TENANT_ID: '100000000' }).expect(200);

      expect(settings.get('SMAX_AUTH_COOKIE_NAME')).toBe('SMAX_AUTH_TOKEN');
      expect(settings.get('SMAX_TENANT_ID')).toBe('100000000');
    });

    it('rejects null for a required setting', async () => {
      const response = await testApp.http().post(URL).set('Authorization', staff.auth).send({ WALDUR_SUPPORT_ENABLED: null }).expect(400);
      expect(response.body).toEqual({ WALDUR_SUPPORT_ENABLED: ['This field may not be null.'] });
    });

    it('ignores unknown keys', async () => {
      await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .send({ LANGUAGE_CHOICES: 'en,et', SITE_LOGO: null, SITE_NAME: 'Helpdesk' })
        .expect(200);

      expect(settings.get('SITE_NAME')).toBe('Helpdesk');
      const rows = await testApp.dataSource.query(`SELECT key FROM settings WHERE key IN ('LANGUAGE_CHOICES', 'SITE_LOGO')`);
      expect(rows).toEqual([]);
    });

    it('accepts an empty body', async () => {
      await testApp.http().post(URL).set('Authorization', staff.auth).expect(200);
    });

    it('rejects a JSON list', async () => {
      const response = await testApp.http().post(URL).set('Authorization', staff.auth).send([{ SITE_NAME: 'List' }]).expect(400);
      expect(response.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
    });

    it('rejects uploaded files', async () => {
      await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .attach('SITE_NAME', Buffer.from('file body'), 'name.txt')
        .expect(400);
      expect(settings.get('SITE_NAME')).toBe('Deskbridge');
    });

    it('emits settings.changed with the changed keys', async () => {
      const events: SettingsChangedEvent[] = [];
      const emitter = testApp.app.get(EventEmitter2);
      const listener = (event: SettingsChangedEvent) => events.push(event);
      emitter.on(SETTINGS_CHANGED_EVENT, listener);

      try {
        await testApp
          .http()
          .post(URL)
          .set('Authorization', staff.auth)
          .send({ SITE_NAME: 'Helpdesk', WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'zammad', SMAX_VERIFY_SSL: true })
          .expect(200);
      } finally {
        emitter.off(SETTINGS_CHANGED_EVENT, listener);
      }

      expect(events).toHaveLength(1);
      expect(events[0].keys).toEqual(['WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'SITE_NAME']);
    });
  });

  describe('configuration', () => {
    it('serves the defaults to anonymous callers', async () => {
      const response = await testApp.http().get('/api/configuration/').expect(200);

      expect(response.body).toEqual({
        WALDUR_CORE: { SITE_NAME: 'Deskbridge', HOMEPORT_URL: 'http://localhost:8001/' },
        WALDUR_SUPPORT: { ENABLED: true, ACTIVE_BACKEND_TYPE: 'basic', DISPLAY_REQUEST_TYPE: true },
        FEATURES: { support: { conceal_change_request: false } },
      });
    });

    it('reflects an update at once', async () => {
      await testApp
        .http()
        .post(URL)
        .set('Authorization', staff.auth)
        .field('WALDUR_SUPPORT_ENABLED', 'false')
        .field('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'atlassian')
        .field('WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE', 'false')
        .field('SITE_EMAIL', 'support@example.com')
        .expect(200);

      const response = await testApp.http().get('/api/configuration/').expect(200);

      expect(response.body.WALDUR_SUPPORT).toEqual({ ENABLED: false, ACTIVE_BACKEND_TYPE: 'atlassian', DISPLAY_REQUEST_TYPE: false });
      expect(response.body.WALDUR_CORE.SITE_EMAIL).toBe('support@example.com');
    });

    it('accepts a token but does not require one', async () => {
      await testApp.http().get('/api/configuration/').set('Authorization', member.auth).expect(200);
    });
  });

  describe('signing key', () => {
    it('uses SECRET_KEY when configured', async () => {
      await expect(testApp.app.get(SigningKeyService).getKey()).resolves.toBe(testApp.config.secretKey);
      const rows = await testApp.dataSource.query('SELECT name FROM signing_keys');
      expect(rows).toEqual([]);
    });
  });

  describe('OpenAPI document', () => {
    it('names the operations as the schema does', async () => {
      const response = await testApp.http().get('/api/schema/').expect(200);
      const paths = response.body.paths;

      expect(paths['/api/override-settings'].get.operationId).toBe('override_settings_retrieve');
      expect(paths['/api/override-settings'].post.operationId).toBe('override_settings');
      expect(paths['/api/configuration'].get.operationId).toBe('configuration_retrieve');
    });
  });
});
