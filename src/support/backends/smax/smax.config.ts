import type { SettingsValues } from '../../../settings/settings.registry';

/** How to reach one SMAX tenant and log in to it. */
export interface SmaxConnectionOptions {
  /** Base URL of the SMAX server, e.g. `https://smax.example.com/`; `/rest/<tenant>/` is appended for REST calls. */
  apiUrl: string;
  tenantId: string;
  login: string;
  password: string;
  /** Cookie that carries the session token: `LWSSO_COOKIE_KEY` on classic servers, `SMAX_AUTH_TOKEN` on newer ones. */
  authCookieName: string;
  verifySsl: boolean;
  /** Milliseconds one HTTP exchange may take before it counts as timed out. */
  timeoutMs: number;
  /** Extra attempts of a GET after a retryable failure (429, 5xx, timeout, network error). */
  readRetries: number;
  /** Maximum wait in milliseconds before a repeated GET. A longer `Retry-After` fails the call at once. */
  maxRetryDelayMs: number;
}

/** Everything the SMAX adapter is built from. */
export interface SmaxBackendOptions extends SmaxConnectionOptions {
  /** Request properties that receive the organisation, project and affected resource names; empty to leave out. */
  organisationField: string;
  projectField: string;
  affectedResourceField: string;
  /** Value of `CreationSourceName_c` on new requests; empty to leave it out. */
  creationSourceName: string;
  /** `RequestsOffering` of new requests; empty to leave it out. */
  requestsOffering: string;
  /** Reads of a just-created Person or Request before giving up on seeing it. */
  timesToPull: number;
  /** Seconds between those reads. */
  secondsToWait: number;
}

/**
 * Settings outside the SMAX keys that the adapter reads when it uses them, because a change
 * to them does not rebuild it.
 */
export interface SmaxSharedSettings {
  /** `ISSUE_FEEDBACK_ENABLE`: whether a phase that resolves an issue requests feedback. */
  isFeedbackEnabled: () => boolean;
}

export const SMAX_DEFAULT_TIMEOUT_MS = 30_000;
export const SMAX_DEFAULT_READ_RETRIES = 2;
export const SMAX_DEFAULT_MAX_RETRY_DELAY_MS = 5_000;

type SmaxSettings = Pick<
  SettingsValues,
  | 'SMAX_API_URL'
  | 'SMAX_TENANT_ID'
  | 'SMAX_LOGIN'
  | 'SMAX_PASSWORD'
  | 'SMAX_AUTH_COOKIE_NAME'
  | 'SMAX_VERIFY_SSL'
  | 'SMAX_ORGANISATION_FIELD'
  | 'SMAX_PROJECT_FIELD'
  | 'SMAX_AFFECTED_RESOURCE_FIELD'
  | 'SMAX_CREATION_SOURCE_NAME'
  | 'SMAX_REQUESTS_OFFERING'
  | 'SMAX_TIMES_TO_PULL'
  | 'SMAX_SECONDS_TO_WAIT'
>;

/** Names of the settings that must be set before SMAX can be called, or an empty list. */
export function missingSmaxSettings(options: SmaxConnectionOptions): string[] {
  const required: [string, string][] = [
    ['SMAX_API_URL', options.apiUrl],
    ['SMAX_TENANT_ID', options.tenantId],
    ['SMAX_LOGIN', options.login],
    ['SMAX_PASSWORD', options.password],
  ];
  return required.filter(([, value]) => value.trim() === '').map(([name]) => name);
}

/** Builds the adapter's options from the runtime settings. */
export function smaxOptionsFromSettings(settings: SmaxSettings): SmaxBackendOptions {
  return {
    apiUrl: settings.SMAX_API_URL,
    tenantId: settings.SMAX_TENANT_ID,
    login: settings.SMAX_LOGIN,
    password: settings.SMAX_PASSWORD,
    authCookieName: settings.SMAX_AUTH_COOKIE_NAME || 'LWSSO_COOKIE_KEY',
    verifySsl: settings.SMAX_VERIFY_SSL,
    timeoutMs: SMAX_DEFAULT_TIMEOUT_MS,
    readRetries: SMAX_DEFAULT_READ_RETRIES,
    maxRetryDelayMs: SMAX_DEFAULT_MAX_RETRY_DELAY_MS,
    organisationField: settings.SMAX_ORGANISATION_FIELD,
    projectField: settings.SMAX_PROJECT_FIELD,
    affectedResourceField: settings.SMAX_AFFECTED_RESOURCE_FIELD,
    creationSourceName: settings.SMAX_CREATION_SOURCE_NAME,
    requestsOffering: settings.SMAX_REQUESTS_OFFERING,
    timesToPull: settings.SMAX_TIMES_TO_PULL,
    secondsToWait: settings.SMAX_SECONDS_TO_WAIT,
  };
}
