/** The ways Deskbridge can authenticate to Jira, in the order they are preferred. */
export const JIRA_AUTH_METHODS = ['oauth2', 'personal_access_token', 'api_token', 'basic'] as const;
export type JiraAuthMethod = (typeof JIRA_AUTH_METHODS)[number];

/** Whatever credentials are configured; empty strings count as not set. */
export interface JiraCredentials {
  oauth2AccessToken?: string;
  /** Scheme of the OAuth 2.0 header, `Bearer` unless configured otherwise. */
  oauth2TokenType?: string;
  personalAccessToken?: string;
  email?: string;
  username?: string;
  /** Jira Cloud API token, sent with the e-mail (or the user name) as basic auth. */
  token?: string;
  password?: string;
}

/** The chosen method, its `Authorization` header and names for error messages. */
export interface JiraAuth {
  method: JiraAuthMethod;
  authorization: string;
  /** The method in words, e.g. "e-mail and API token". */
  label: string;
  /** The settings that contain these credentials, named in error messages so an admin can fix them. */
  settingNames: string[];
}

/**
 * Picks the credentials to use: an OAuth 2.0 access token first (used as given, never
 * refreshed), then a personal access token, then an API token with the e-mail (or user
 * name), then user name and password. Returns undefined when nothing usable is set.
 */
export function resolveJiraAuth(credentials: JiraCredentials): JiraAuth | undefined {
  const oauthToken = clean(credentials.oauth2AccessToken);
  if (oauthToken) {
    const scheme = clean(credentials.oauth2TokenType) || 'Bearer';
    return {
      method: 'oauth2',
      authorization: `${scheme} ${oauthToken}`,
      label: 'OAuth 2.0 access token',
      settingNames: ['ATLASSIAN_OAUTH2_ACCESS_TOKEN'],
    };
  }

  const personalAccessToken = clean(credentials.personalAccessToken);
  if (personalAccessToken) {
    return {
      method: 'personal_access_token',
      authorization: `Bearer ${personalAccessToken}`,
      label: 'personal access token',
      settingNames: ['ATLASSIAN_PERSONAL_ACCESS_TOKEN'],
    };
  }

  const token = clean(credentials.token);
  const email = clean(credentials.email);
  const username = clean(credentials.username);
  if (token && (email || username)) {
    const login = email || username;
    return {
      method: 'api_token',
      authorization: basic(login, token),
      label: email ? 'e-mail and API token' : 'user name and API token',
      settingNames: [email ? 'ATLASSIAN_EMAIL' : 'ATLASSIAN_USERNAME', 'ATLASSIAN_TOKEN'],
    };
  }

  const password = credentials.password ?? '';
  if (username && password) {
    return {
      method: 'basic',
      authorization: basic(username, password),
      label: 'user name and password',
      settingNames: ['ATLASSIAN_USERNAME', 'ATLASSIAN_PASSWORD'],
    };
  }
  return undefined;
}

function basic(login: string, secret: string): string {
  return `Basic ${Buffer.from(`${login}:${secret}`, 'utf8').toString('base64')}`;
}

function clean(value: string | undefined): string {
  return (value ?? '').trim();
}
