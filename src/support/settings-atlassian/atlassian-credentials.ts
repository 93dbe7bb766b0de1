import { FieldErrors, ValidationFailedException } from '../../common/errors/app.exception';
import { CONTROL_CHARACTER, CONTROL_CHARACTER_MESSAGE } from '../../settings/setting-definition';
import type { SettingsValues } from '../../settings/settings.registry';
import { JiraAuth, JiraCredentials, resolveJiraAuth } from '../backends/atlassian/jira-auth';
import type { AtlassianCredentialsDto } from './dto/atlassian-credentials.dto';

/** Shown in place of a stored secret; a secret sent back as this keeps the stored one. */
export const SECRET_MASK = '********';

/** Credentials of a discovery call: the base URL, the chosen auth and whether to verify TLS. */
export interface DiscoveryCredentials {
  apiUrl: string;
  auth: JiraAuth;
  verifySsl: boolean;
  /** The credentials as settings would hold them, for `save_settings`. */
  credentials: JiraCredentials;
}

/**
 * Reads the credentials of a discovery body for the chosen `auth_method`. A secret the
 * body leaves out (or sends as the mask) is taken from the stored settings, but only when
 * `api_url` is the stored `ATLASSIAN_API_URL`, so a stored secret never reaches another
 * server. Rejects the body with 400 naming the missing field.
 */
export function discoveryCredentials(body: AtlassianCredentialsDto, stored: SettingsValues): DiscoveryCredentials {
  rejectControlCharacters(body);
  const apiUrl = body.api_url.trim().replace(/\/+$/, '');
  const sameServer = apiUrl === stored.ATLASSIAN_API_URL.trim().replace(/\/+$/, '');
  const secret = (sent: string | undefined, storedValue: string): string => {
    if (sent !== undefined && sent !== SECRET_MASK) return sent;
    return sameServer ? storedValue : '';
  };

  let credentials: JiraCredentials;
  switch (body.auth_method) {
    case 'api_token': {
      credentials = { email: body.email ?? '', username: body.username ?? '', token: secret(body.token, stored.ATLASSIAN_TOKEN) };
      if (!credentials.email && !credentials.username) throw ValidationFailedException.field('email', 'This field is required for api_token authentication.');
      if (!credentials.token) throw ValidationFailedException.field('token', 'This field is required for api_token authentication.');
      break;
    }
    case 'personal_access_token': {
      credentials = { personalAccessToken: secret(body.personal_access_token, stored.ATLASSIAN_PERSONAL_ACCESS_TOKEN) };
      if (!credentials.personalAccessToken) {
        throw ValidationFailedException.field('personal_access_token', 'This field is required for personal_access_token authentication.');
      }
      break;
    }
    case 'basic': {
      credentials = { username: body.username ?? '', password: secret(body.password, stored.ATLASSIAN_PASSWORD) };
      if (!credentials.username) throw ValidationFailedException.field('username', 'This field is required for basic authentication.');
      if (!credentials.password) throw ValidationFailedException.field('password', 'This field is required for basic authentication.');
      break;
    }
  }
  const auth = resolveJiraAuth(credentials);
  if (!auth) throw ValidationFailedException.field('auth_method', 'The credentials of this authentication method are incomplete.');
  return { apiUrl, auth, verifySsl: body.verify_ssl ?? true, credentials };
}

/** Body fields that make up the `Authorization` header. */
const CREDENTIAL_FIELDS = ['email', 'username', 'token', 'personal_access_token', 'password'] as const;

/**
 * Rejects credentials with a line break or another control character, usually a pasting
 * mistake, with 400 on each such field. A token goes into the header as it is, where HTTP
 * allows no control characters, so every call would fail without naming the field. The
 * other fields are base64-encoded, and Jira would only reject the login.
 */
function rejectControlCharacters(body: AtlassianCredentialsDto): void {
  const errors: FieldErrors = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value)) errors[field] = [CONTROL_CHARACTER_MESSAGE];
  }
  if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
}
