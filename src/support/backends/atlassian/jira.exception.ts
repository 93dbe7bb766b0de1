import { FailedDependencyException } from '../../../common/errors/app.exception';
import type { JiraAuth } from './jira-auth';

/**
 * How a Jira call failed: `http` is an error response, `auth` a 401 or 403 (credentials
 * or permissions), `captcha` a Data Center login blocked until someone signs in through
 * the browser, `timeout` and `network` mean no usable response arrived, and
 * `invalid-response` a success whose body is not the JSON Jira sends.
 */
export type JiraErrorKind = 'http' | 'auth' | 'captcha' | 'timeout' | 'network' | 'invalid-response';

export interface JiraErrorDetails {
  kind: JiraErrorKind;
  method: string;
  /** API path without the base URL and query, such as `/rest/api/2/issue/10010`. */
  path: string;
  status?: number;
  /** Jira's own messages (`errorMessages`, `errors`, JSM `errorMessage`), joined. */
  remoteMessage?: string;
  /** Field-level messages from Jira's `errors` object, by field id. */
  fieldErrors?: Record<string, string>;
  retryAfterSeconds?: number;
  /** Time the attempt was given, for `timeout` failures. */
  timeoutMs?: number;
  auth?: Pick<JiraAuth, 'label' | 'settingNames'>;
  cause?: unknown;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * A failed call to Jira. It renders as 424 with the message when it reaches the API,
 * because only Jira could have answered the request, and with Jira's `Retry-After` when
 * the response carried one, so the caller knows when to try again.
 */
export class JiraError extends FailedDependencyException {
  readonly kind: JiraErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly remoteMessage: string | undefined;
  /** Jira's `errors` object: messages by field id. */
  readonly jiraFieldErrors: Record<string, string>;
  readonly retryAfterSeconds: number | undefined;
  /** True for 408, 425, 429, 5xx, timeouts and network failures: a later attempt may succeed. */
  readonly retryable: boolean;

  constructor(details: JiraErrorDetails) {
    super(describe(details), details.retryAfterSeconds !== undefined ? { 'Retry-After': String(details.retryAfterSeconds) } : undefined);
    this.kind = details.kind;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.remoteMessage = details.remoteMessage;
    this.jiraFieldErrors = details.fieldErrors ?? {};
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.retryable =
      details.kind === 'timeout' ||
      details.kind === 'network' ||
      (details.status !== undefined && (RETRYABLE_STATUSES.has(details.status) || details.status >= 500));
    if (details.cause !== undefined) this.cause = details.cause;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /**
   * True when a write may have been stored although no success reached us: the
   * connection broke or timed out after the request was sent, or a proxy answered 5xx.
   * A create that fails this way must be looked up before it is sent again.
   */
  get mayHaveCommitted(): boolean {
    if (this.method === 'GET') return false;
    return this.kind === 'timeout' || this.kind === 'network' || (this.status !== undefined && this.status >= 500);
  }
}

function describe(details: JiraErrorDetails): string {
  const call = `${details.method} ${details.path}`;
  const remote = details.remoteMessage ? `: ${details.remoteMessage}` : '';
  const settings = details.auth?.settingNames.join(' and ') ?? 'the ATLASSIAN_* credentials';
  const method = details.auth?.label ?? 'the configured credentials';
  switch (details.kind) {
    case 'auth':
      return details.status === 401
        ? `Jira rejected the ${method} (401 on ${call}${remote}). Check ${settings}.`
        : `Jira refused ${call} for the user of the ${method} (403${remote}). Check that user's permissions or ${settings}.`;
    case 'captcha':
      return `Jira requires a CAPTCHA for the ${method} after failed logins (403 on ${call}). Sign in to Jira once in a browser to reset it, then check ${settings}.`;
    case 'timeout':
      return details.timeoutMs !== undefined
        ? `Jira did not answer ${call} within ${formatSeconds(details.timeoutMs)}.`
        : `Jira did not answer ${call} in time${remote}.`;
    case 'network':
      return `Could not reach Jira for ${call}${remote}.`;
    case 'invalid-response':
      return `Jira sent an invalid response to ${call} (status ${details.status})${remote}.`;
    case 'http':
      return `Jira returned ${details.status} for ${call}${remote}`.replace(/([^.!?])$/, '$1.');
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * Handles a create that failed: when the failure may have come after Jira stored the
 * object (`mayHaveCommitted`), returns what `find` finds instead of failing, so the
 * object is adopted rather than made twice. Rethrows the error otherwise.
 */
export async function recoverLostCreate<T>(error: unknown, find: () => Promise<T | undefined>, logger: { warn(message: string): void }): Promise<T> {
  if (!(error instanceof JiraError) || !error.mayHaveCommitted) throw error;
  let found: T | undefined;
  try {
    found = await find();
  } catch (lookupError) {
    logger.warn(`Could not check whether a failed create reached Jira: ${(lookupError as Error).message}`);
  }
  if (found === undefined) throw error;
  return found;
}
