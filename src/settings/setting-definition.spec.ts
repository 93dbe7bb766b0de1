import {
  booleanSetting,
  coerceSettingValue,
  emailSetting,
  enumSetting,
  integerSetting,
  secretSetting,
  stringSetting,
  urlSetting,
} from './setting-definition';
import { SETTING_KEYS, SETTINGS, settingDefaults } from './settings.registry';

describe('coerceSettingValue', () => {
  describe('boolean', () => {
    const definition = booleanSetting(false, 'A flag.');

    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['false', false],
      ['True', true],
      ['FALSE', false],
      [' yes ', true],
      ['no', false],
      ['on', true],
      ['off', false],
      ['1', true],
      ['0', false],
      [1, true],
      [0, false],
    ])('reads %p as %p', (input, expected) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: true, value: expected });
    });

    it.each(['maybe', 2, [], {}, '', 'truthy'])('rejects %p', (input) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: false, error: 'Must be a valid boolean.' });
    });

    it('rejects null', () => {
      expect(coerceSettingValue(definition, null)).toEqual({ ok: false, error: 'This field may not be null.' });
    });
  });

  describe('integer', () => {
    const definition = integerSetting(5, 'A count.', { min: 1, max: 10 });

    it.each([
      [3, 3],
      ['7', 7],
      [' 10 ', 10],
      ['+1', 1],
    ])('reads %p as %p', (input, expected) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: true, value: expected });
    });

    it.each(['abc', '1.5', 2.5, true, '1e3', [], '', '99999999999999999999'])('rejects %p', (input) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: false, error: 'A valid integer is required.' });
    });

    it('rejects a value below the minimum', () => {
      expect(coerceSettingValue(definition, '0')).toEqual({ ok: false, error: 'Ensure this value is greater than or equal to 1.' });
    });

    it('rejects a value above the maximum', () => {
      expect(coerceSettingValue(definition, 11)).toEqual({ ok: false, error: 'Ensure this value is less than or equal to 10.' });
    });

    it('accepts the bounds', () => {
      expect(coerceSettingValue(definition, 1)).toEqual({ ok: true, value: 1 });
      expect(coerceSettingValue(definition, 10)).toEqual({ ok: true, value: 10 });
    });

    it('accepts negative numbers without a minimum', () => {
      expect(coerceSettingValue(integerSetting(0, 'An offset.'), '-4')).toEqual({ ok: true, value: -4 });
    });
  });

  describe('string', () => {
    const required = stringSetting('Impact', 'A field name.');
    const optional = stringSetting('', 'A group.', { optional: true });
    const patterned = stringSetting('SUP', 'A prefix.', { pattern: { regex: /^[A-Z]+$/, message: 'Use capitals.' } });

    it('keeps text unchanged, whitespace included', () => {
      expect(coerceSettingValue(required, ' Severity ')).toEqual({ ok: true, value: ' Severity ' });
    });

    it('turns numbers into text', () => {
      expect(coerceSettingValue(required, 42)).toEqual({ ok: true, value: '42' });
    });

    it.each([true, [], {}])('rejects %p', (input) => {
      expect(coerceSettingValue(required, input)).toEqual({ ok: false, error: 'Not a valid string.' });
    });

    it('rejects an empty value when required', () => {
      expect(coerceSettingValue(required, '')).toEqual({ ok: false, error: 'This field may not be blank.' });
    });

    it('reads an empty value as unset when optional', () => {
      expect(coerceSettingValue(optional, '')).toEqual({ ok: true, value: null });
      expect(coerceSettingValue(optional, null)).toEqual({ ok: true, value: null });
    });

    it('checks the pattern', () => {
      expect(coerceSettingValue(patterned, 'ABC')).toEqual({ ok: true, value: 'ABC' });
      expect(coerceSettingValue(patterned, 'abc')).toEqual({ ok: false, error: 'Use capitals.' });
    });
  });

  describe('secret', () => {
    const definition = secretSetting('A token.');

    it('is optional, empty by default and flagged', () => {
      expect(definition).toMatchObject({ type: 'string', default: '', optional: true, secret: true });
    });

    it('reads an empty value as unset', () => {
      expect(coerceSettingValue(definition, '')).toEqual({ ok: true, value: null });
    });
  });

  describe('url', () => {
    const definition = urlSetting('', 'A server.', { optional: true });
    const required = urlSetting('http://localhost:8001/', 'A frontend.');

    it.each(['https://jira.example.com', 'http://localhost:8080/jira/', 'http://jira:8080/', 'http://10.0.0.5/'])('accepts %p', (input) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: true, value: input });
    });

    it('trims surrounding whitespace', () => {
      expect(coerceSettingValue(definition, ' https://jira.example.com/ ')).toEqual({ ok: true, value: 'https://jira.example.com/' });
    });

    it.each(['not a url', 'jira.example.com', 'ftp://jira.example.com/', 'javascript:alert(1)', 42, true])('rejects %p', (input) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: false, error: 'Enter a valid URL.' });
    });

    it('reads an empty value as unset when optional', () => {
      expect(coerceSettingValue(definition, '')).toEqual({ ok: true, value: null });
    });

    it('rejects an empty value when required', () => {
      expect(coerceSettingValue(required, '')).toEqual({ ok: false, error: 'This field may not be blank.' });
    });

    it.each([
      ['https://bot:secret@jira.example.com', 'Enter the URL without a user name or password; set the credentials in their own settings.'],
      ['https://bot@jira.example.com/', 'Enter the URL without a user name or password; set the credentials in their own settings.'],
      ['https://jira.example.com/?os_authType=basic', 'Enter the URL without a query string (the part from "?").'],
      ['https://jira.example.com/jira?', 'Enter the URL without a query string (the part from "?").'],
      ['https://jira.example.com/#/dashboard', 'Enter the URL without a fragment (the part from "#").'],
    ])('rejects %p as a base URL', (input, error) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: false, error });
    });
  });

  describe('email', () => {
    const definition = emailSetting('', 'An address.', { optional: true });

    it('accepts an address', () => {
      expect(coerceSettingValue(definition, 'agent@example.com')).toEqual({ ok: true, value: 'agent@example.com' });
    });

    it.each(['agent', 'agent@', '@example.com', 7])('rejects %p', (input) => {
      expect(coerceSettingValue(definition, input)).toEqual({ ok: false, error: 'Enter a valid email address.' });
    });

    it('reads an empty value as unset when optional', () => {
      expect(coerceSettingValue(definition, '')).toEqual({ ok: true, value: null });
    });
  });

  describe('enum', () => {
    const definition = enumSetting(['atlassian', 'zammad', 'basic'], 'basic', 'A backend.');

    it('accepts a choice', () => {
      expect(coerceSettingValue(definition, 'zammad')).toEqual({ ok: true, value: 'zammad' });
    });

    it('rejects another value, naming it', () => {
      expect(coerceSettingValue(definition, 'jira')).toEqual({ ok: false, error: '"jira" is not a valid choice.' });
    });

    it('is case-sensitive', () => {
      expect(coerceSettingValue(definition, 'Zammad')).toEqual({ ok: false, error: '"Zammad" is not a valid choice.' });
    });

    it('rejects an empty value', () => {
      expect(coerceSettingValue(definition, '')).toEqual({ ok: false, error: '"" is not a valid choice.' });
    });
  });
});

describe('settings registry', () => {
  const SECRET_KEYS = [
    'ATLASSIAN_PASSWORD',
    'ATLASSIAN_TOKEN',
    'ATLASSIAN_PERSONAL_ACCESS_TOKEN',
    'ATLASSIAN_OAUTH2_ACCESS_TOKEN',
    'ZAMMAD_TOKEN',
    'SMAX_PASSWORD',
    'ATLASSIAN_WEBHOOK_SECRET',
    'ZAMMAD_WEBHOOK_SECRET',
    'SMAX_WEBHOOK_SECRET',
  ];

  it.each(SETTING_KEYS)('accepts the default of %s', (key) => {
    const definition = SETTINGS[key];
    const expected = definition.optional && definition.default === '' ? null : definition.default;
    expect(coerceSettingValue(definition, definition.default)).toEqual({ ok: true, value: expected });
  });

  it('flags exactly the passwords, tokens and webhook secrets', () => {
    const secrets = SETTING_KEYS.filter((key) => SETTINGS[key].secret);
    expect(secrets.sort()).toEqual([...SECRET_KEYS].sort());
  });

  it('makes exactly the settings with an empty default optional', () => {
    for (const key of SETTING_KEYS) {
      expect({ key, optional: SETTINGS[key].optional }).toEqual({ key, optional: SETTINGS[key].default === '' });
    }
  });

  it('has the documented defaults', () => {
    expect(settingDefaults()).toMatchObject({
      WALDUR_SUPPORT_ENABLED: true,
      WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'basic',
      WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE: true,
      ATLASSIAN_ISSUE_TYPES: 'Informational, Service Request, Change Request, Incident',
      ATLASSIAN_USE_TEENAGE_API: false,
      ATLASSIAN_USE_AUTOMATIC_REQUEST_MAPPING: true,
      ATLASSIAN_STRANGE_SETTING: 1,
      ATLASSIAN_PULL_PRIORITIES: true,
      ATLASSIAN_SEARCH_API: 'jql',
      ATLASSIAN_VERIFY_SSL: false,
      ATLASSIAN_OAUTH2_TOKEN_TYPE: 'Bearer',
      ATLASSIAN_WALDUR_BACKEND_ID_FIELD: 'waldur_backend_id',
      SMAX_AUTH_COOKIE_NAME: 'LWSSO_COOKIE_KEY',
      SMAX_TIMES_TO_PULL: 10,
      SMAX_SECONDS_TO_WAIT: 1,
      SMAX_VERIFY_SSL: true,
      ZAMMAD_ARTICLE_TYPE: 'email',
      ZAMMAD_COMMENT_MARKER: 'Created by Waldur',
      ZAMMAD_COMMENT_PREFIX: 'User: {name}',
      ZAMMAD_COMMENT_COOLDOWN_DURATION: 5,
      SUPPORT_PULL_INTERVAL_MINUTES: 10,
      SUPPORT_ATTACHMENT_MAX_SIZE_MB: 25,
      SUPPORT_ISSUE_KEY_PREFIX: 'SUP',
      ISSUE_FEEDBACK_ENABLE: true,
      ISSUE_FEEDBACK_TOKEN_PERIOD: 7,
      SITE_NAME: 'Deskbridge',
      HOMEPORT_URL: 'http://localhost:8001/',
    });
  });

  it('covers every key of the override-settings schema', () => {
    const schemaKeys = [
      'WALDUR_SUPPORT_ENABLED', 'WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE',
      'ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS', 'ATLASSIAN_API_URL', 'ATLASSIAN_USERNAME', 'ATLASSIAN_PASSWORD',
      'ATLASSIAN_EMAIL', 'ATLASSIAN_USE_OLD_API', 'ATLASSIAN_TOKEN', 'ATLASSIAN_PERSONAL_ACCESS_TOKEN',
      'ATLASSIAN_OAUTH2_CLIENT_ID', 'ATLASSIAN_OAUTH2_ACCESS_TOKEN', 'ATLASSIAN_OAUTH2_TOKEN_TYPE', 'ATLASSIAN_VERIFY_SSL',
      'ATLASSIAN_PROJECT_ID', 'ATLASSIAN_SHARED_USERNAME', 'ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED',
      'ATLASSIAN_DEFAULT_OFFERING_ISSUE_TYPE', 'ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES', 'ATLASSIAN_DESCRIPTION_TEMPLATE',
      'ATLASSIAN_SUMMARY_TEMPLATE', 'ATLASSIAN_AFFECTED_RESOURCE_FIELD', 'ATLASSIAN_IMPACT_FIELD', 'ATLASSIAN_ORGANISATION_FIELD',
      'ATLASSIAN_RESOLUTION_SLA_FIELD', 'ATLASSIAN_PROJECT_FIELD', 'ATLASSIAN_REPORTER_FIELD', 'ATLASSIAN_CALLER_FIELD',
      'ATLASSIAN_SLA_FIELD', 'ATLASSIAN_LINKED_ISSUE_TYPE', 'ATLASSIAN_SATISFACTION_FIELD', 'ATLASSIAN_REQUEST_FEEDBACK_FIELD',
      'ATLASSIAN_TEMPLATE_FIELD', 'ATLASSIAN_WALDUR_BACKEND_ID_FIELD', 'ZAMMAD_API_URL', 'ZAMMAD_TOKEN', 'ZAMMAD_GROUP',
      'ZAMMAD_ARTICLE_TYPE', 'ZAMMAD_COMMENT_MARKER', 'ZAMMAD_COMMENT_PREFIX', 'ZAMMAD_COMMENT_COOLDOWN_DURATION',
      'SMAX_API_URL', 'SMAX_TENANT_ID', 'SMAX_LOGIN', 'SMAX_PASSWORD', 'SMAX_ORGANISATION_FIELD', 'SMAX_PROJECT_FIELD',
      'SMAX_AFFECTED_RESOURCE_FIELD', 'SMAX_TIMES_TO_PULL', 'SMAX_SECONDS_TO_WAIT', 'SMAX_CREATION_SOURCE_NAME',
      'SMAX_REQUESTS_OFFERING', 'SMAX_VERIFY_SSL',
    ];
    expect(schemaKeys.filter((key) => !SETTING_KEYS.includes(key as never))).toEqual([]);
  });
});
