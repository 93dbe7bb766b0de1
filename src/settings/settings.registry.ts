import {
  booleanSetting,
  credentialSetting,
  emailSetting,
  enumSetting,
  integerSetting,
  secretSetting,
  SettingDefinition,
  SettingValueOf,
  stringSetting,
  urlSetting,
} from './setting-definition';

export const SUPPORT_BACKEND_TYPES = ['atlassian', 'zammad', 'smax', 'basic'] as const;
export type SupportBackendType = (typeof SUPPORT_BACKEND_TYPES)[number];

export const ZAMMAD_ARTICLE_TYPES = [
  'email',
  'phone',
  'web',
  'note',
  'sms',
  'chat',
  'fax',
  'twitter status',
  'twitter direct-message',
  'facebook feed post',
  'facebook feed comment',
  'telegram personal-message',
] as const;

const optional = { optional: true };

/**
 * Every runtime setting with its type, default and constraints. Settings with an empty
 * default are optional, and the others reject an empty value. The API lists them in this order.
 */
export const SETTINGS = {
  WALDUR_SUPPORT_ENABLED: booleanSetting(true, 'Master switch of the support API. When off, support endpoints return 424.'),
  WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: enumSetting(SUPPORT_BACKEND_TYPES, 'basic', 'Ticketing backend that receives new issues.'),
  WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE: booleanSetting(true, 'Show the request type selector in the frontend.'),

  ATLASSIAN_API_URL: urlSetting('', 'Base URL of the Jira server.', optional),
  ATLASSIAN_USERNAME: credentialSetting('Jira user name for basic authentication.', { secret: false }),
  ATLASSIAN_PASSWORD: credentialSetting('Jira password for basic authentication.'),
  ATLASSIAN_EMAIL: emailSetting('', 'Jira account email, used with an API token.', optional),
  ATLASSIAN_TOKEN: credentialSetting('Jira Cloud API token, used with the account email.'),
  ATLASSIAN_PERSONAL_ACCESS_TOKEN: credentialSetting('Jira Data Center personal access token.'),
  ATLASSIAN_OAUTH2_CLIENT_ID: stringSetting('', 'OAuth 2.0 client ID for Jira.', optional),
  ATLASSIAN_OAUTH2_ACCESS_TOKEN: credentialSetting('OAuth 2.0 access token for Jira.'),
  ATLASSIAN_OAUTH2_TOKEN_TYPE: stringSetting('Bearer', 'Scheme of the OAuth 2.0 Authorization header.'),
  ATLASSIAN_VERIFY_SSL: booleanSetting(false, 'Verify the TLS certificate of the Jira server.'),
  ATLASSIAN_PROJECT_ID: stringSetting('', 'Service desk ID or project key that issues are created in.', optional),
  ATLASSIAN_SHARED_USERNAME: booleanSetting(false, 'Local user names equal Jira user names, so issues are raised on behalf of the caller.'),
  ATLASSIAN_MAP_WALDUR_USERS_TO_SERVICEDESK_AGENTS: booleanSetting(
    false,
    'Report issues as the support user of the caller instead of prefixing "Reported by".',
  ),
  ATLASSIAN_CUSTOM_ISSUE_FIELD_MAPPING_ENABLED: booleanSetting(true, 'Fill Jira custom fields after an issue is created.'),
  ATLASSIAN_USE_OLD_API: booleanSetting(false, 'Use the Jira Server API for user search, customers and participants.'),
  ATLASSIAN_USE_TEENAGE_API: booleanSetting(false, 'Use the plain user search endpoint.'),
  ATLASSIAN_USE_AUTOMATIC_REQUEST_MAPPING: booleanSetting(true, 'Take issue types from Jira request types and remove stale request types.'),
  ATLASSIAN_SEARCH_API: enumSetting(['jql', 'legacy'], 'jql', 'Jira issue search endpoint: the JQL search API or the legacy /search.'),
  ATLASSIAN_STRANGE_SETTING: integerSetting(1, 'Path segment of the legacy request types URL.', { min: 0, max: 1_000_000 }),
  ATLASSIAN_PULL_PRIORITIES: booleanSetting(true, 'Pull priorities from Jira.'),
  ATLASSIAN_ISSUE_TYPES: stringSetting(
    'Informational, Service Request, Change Request, Incident',
    'Comma-separated issue types accepted by the API. The first is the default.',
  ),
  ATLASSIAN_DEFAULT_OFFERING_ISSUE_TYPE: stringSetting('Service Request', 'Issue type of issues created for marketplace orders.'),
  ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES: stringSetting('', 'Comma-separated file extensions that are not accepted as attachments.', optional),
  ATLASSIAN_DESCRIPTION_TEMPLATE: stringSetting('', 'Fallback template of issue descriptions.', optional),
  ATLASSIAN_SUMMARY_TEMPLATE: stringSetting('', 'Fallback template of issue summaries.', optional),
  ATLASSIAN_AFFECTED_RESOURCE_FIELD: stringSetting('', 'Jira custom field that receives the affected resource.', optional),
  ATLASSIAN_IMPACT_FIELD: stringSetting('Impact', 'Jira custom field that receives the impact.'),
  ATLASSIAN_ORGANISATION_FIELD: stringSetting('', 'Jira custom field that receives the organization name.', optional),
  ATLASSIAN_RESOLUTION_SLA_FIELD: stringSetting('', 'Jira custom field with the resolution SLA.', optional),
  ATLASSIAN_PROJECT_FIELD: stringSetting('', 'Jira custom field that receives the project name.', optional),
  ATLASSIAN_REPORTER_FIELD: stringSetting('Original Reporter', 'Jira custom field that receives the original reporter.'),
  ATLASSIAN_CALLER_FIELD: stringSetting('Caller', 'Jira custom field that receives the caller.'),
  ATLASSIAN_SLA_FIELD: stringSetting('Time to first response', 'Jira SLA field read for the first response deadline.'),
  ATLASSIAN_LINKED_ISSUE_TYPE: stringSetting('Relates', 'Jira link type used to link related issues.'),
  ATLASSIAN_SATISFACTION_FIELD: stringSetting('Customer satisfaction', 'Jira field that receives feedback ratings.'),
  ATLASSIAN_REQUEST_FEEDBACK_FIELD: stringSetting('Request feedback', 'Jira field that tells whether to ask for feedback.'),
  ATLASSIAN_TEMPLATE_FIELD: stringSetting('', 'Jira custom field that receives the issue template name.', optional),
  ATLASSIAN_WALDUR_BACKEND_ID_FIELD: stringSetting(
    'waldur_backend_id',
    "Jira field whose value becomes the backend_id of the issue's resource (read from Jira, never written).",
  ),
  ATLASSIAN_WEBHOOK_SECRET: secretSetting('Shared secret of Jira webhook signatures (HMAC-SHA256). When empty, unsigned deliveries are accepted.'),

  ZAMMAD_API_URL: urlSetting('', 'Base URL of the Zammad server.', optional),
  ZAMMAD_TOKEN: secretSetting('Zammad API access token.'),
  ZAMMAD_GROUP: stringSetting('', 'Zammad group of new tickets. When empty, the first group is used.', optional),
  ZAMMAD_ARTICLE_TYPE: enumSetting(ZAMMAD_ARTICLE_TYPES, 'email', 'Zammad article type of comments.'),
  ZAMMAD_COMMENT_MARKER: stringSetting('Created by Waldur', 'Text that marks articles created through this service.'),
  ZAMMAD_COMMENT_PREFIX: stringSetting('User: {name}', 'Author line added to comments, where {name} is replaced with the author name.'),
  ZAMMAD_COMMENT_COOLDOWN_DURATION: integerSetting(5, 'Minutes after creation during which a comment may be deleted.', { min: 0, max: 1440 }),
  ZAMMAD_WEBHOOK_SECRET: secretSetting('Shared secret of Zammad webhook signatures (HMAC-SHA1). When empty, unsigned deliveries are accepted.'),

  SMAX_API_URL: urlSetting('', 'Base URL of the SMAX server.', optional),
  SMAX_TENANT_ID: stringSetting('', 'SMAX tenant ID: digits, such as 100000000.', {
    optional: true,
    pattern: { regex: /^[0-9]+$/, message: 'Enter the tenant ID as digits only.' },
  }),
  SMAX_LOGIN: stringSetting('', 'SMAX integration user login.', optional),
  SMAX_PASSWORD: secretSetting('SMAX integration user password.'),
  SMAX_AUTH_COOKIE_NAME: stringSetting('LWSSO_COOKIE_KEY', 'Name of the SMAX session cookie: LWSSO_COOKIE_KEY, or SMAX_AUTH_TOKEN on newer servers.', {
    // A cookie name is an RFC 6265 token: visible ASCII without separators such as `=`, `;` or spaces.
    pattern: { regex: /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, message: 'Enter a cookie name: letters, digits and !#$%&\'*+-.^_`|~ only.' },
  }),
  SMAX_ORGANISATION_FIELD: stringSetting('', 'SMAX request property that receives the organization name.', optional),
  SMAX_PROJECT_FIELD: stringSetting('', 'SMAX request property that receives the project name.', optional),
  SMAX_AFFECTED_RESOURCE_FIELD: stringSetting('', 'SMAX request property that receives the affected resource.', optional),
  SMAX_TIMES_TO_PULL: integerSetting(10, 'Attempts to read back a newly created SMAX user.', { min: 1, max: 100 }),
  SMAX_SECONDS_TO_WAIT: integerSetting(1, 'Seconds between attempts to read back a SMAX user.', { min: 0, max: 60 }),
  SMAX_CREATION_SOURCE_NAME: stringSetting('', 'Value of the SMAX CreationSourceName_c field.', optional),
  SMAX_REQUESTS_OFFERING: stringSetting('', 'SMAX offering ID of new requests.', optional),
  SMAX_VERIFY_SSL: booleanSetting(true, 'Verify the TLS certificate of the SMAX server.'),
  SMAX_WEBHOOK_SECRET: secretSetting('Shared secret expected on SMAX webhook deliveries. When empty, every delivery is accepted.'),

  SUPPORT_PULL_INTERVAL_MINUTES: integerSetting(10, 'Minutes between scheduled pulls of changed issues.', { min: 1, max: 1440 }),
  SUPPORT_ATTACHMENT_MAX_SIZE_MB: integerSetting(25, 'Largest accepted attachment, in MiB.', { min: 1, max: 1024 }),
  SUPPORT_ISSUE_KEY_PREFIX: stringSetting('SUP', 'Prefix of issue keys on the built-in desk.', {
    pattern: {
      regex: /^[A-Z][A-Z0-9]{0,9}$/,
      message: 'Enter 1 to 10 upper-case letters or digits, starting with a letter.',
    },
  }),
  ISSUE_FEEDBACK_ENABLE: booleanSetting(true, 'Email a feedback request when an issue is resolved.'),
  ISSUE_FEEDBACK_TOKEN_PERIOD: integerSetting(7, 'Days a feedback link stays valid.', { min: 1, max: 365 }),

  SITE_NAME: stringSetting('Deskbridge', 'Site name shown in emails and used as the Zammad ticket tag.'),
  SITE_EMAIL: emailSetting('', 'Contact address shown by the frontend when support is disabled.', optional),
  HOMEPORT_URL: urlSetting('http://localhost:8001/', 'Frontend base URL, used for links in emails.'),
  COMMON_FOOTER_TEXT: stringSetting('', 'Footer appended to plain-text emails.', optional),
  COMMON_FOOTER_HTML: stringSetting('', 'Footer appended to HTML emails.', optional),
} satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTINGS;

/** The type of every setting's value, keyed by setting name. */
export type SettingsValues = { [Key in SettingKey]: SettingValueOf<(typeof SETTINGS)[Key]> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(name: string): name is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, name);
}

export function settingDefinition(key: SettingKey): SettingDefinition {
  return SETTINGS[key];
}

export function settingDefaults(): SettingsValues {
  const values = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) values[key] = SETTINGS[key].default;
  return values as SettingsValues;
}
