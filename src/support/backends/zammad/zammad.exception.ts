import { FailedDependencyException } from '../../../common/errors/app.exception';

/**
 * Kind of failure of a Zammad call: `http` is an error response, `auth` a 401 or 403 (a token
 * problem), `timeout` and `network` mean no usable response arrived, and
 * `invalid-response` a 2xx body that is not the JSON Zammad sends.
 */
export type ZammadErrorKind = 'http' | 'auth' | 'timeout' | 'network' | 'invalid-response';

export interface ZammadErrorDetails {
  kind: ZammadErrorKind;
  method: string;
  /** API path without the base URL and query, such as `/tickets/5`. */
  path: string;
  /** HTTP status; undefined when no response arrived. */
  status?: number;
  /** Zammad's `error_human` (or `error`), or a short form of a non-JSON error body. */
  remoteMessage?: string;
  /** Seconds from Zammad's `Retry-After`, when it sent one. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * A failed call to Zammad. It renders as 424 with the message when it reaches the API,
 * because only Zammad could have served the request.
 */
export class ZammadError extends FailedDependencyException {
  readonly kind: ZammadErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly remoteMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** True for 408, 425, 429, 5xx, timeouts and network failures: a later attempt may succeed. */
  readonly retryable: boolean;

  constructor(details: ZammadErrorDetails) {
    super(describe(details));
    this.kind = details.kind;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.remoteMessage = details.remoteMessage;
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
   * connection broke or timed out after the request was sent, or a proxy returned 5xx.
   * A create that fails this way must be looked up before it is sent again.
   */
  get mayHaveCommitted(): boolean {
    if (this.method === 'GET') return false;
    return this.kind === 'timeout' || this.kind === 'network' || (this.status !== undefined && this.status >= 500);
  }
}

function describe(details: ZammadErrorDetails): string {
  const call = `${details.method} ${details.path}`;
  const remote = details.remoteMessage ? `: ${details.remoteMessage}` : '';
  switch (details.kind) {
    case 'auth':
      return details.status === 401
        ? `Zammad rejected the API token (${details.status} on ${call}${remote}). Check ZAMMAD_TOKEN.`
        : `Zammad refused ${call} for the API token's user (${details.status}${remote}). Check the permissions of the ZAMMAD_TOKEN user.`;
    case 'timeout':
      return `Zammad did not answer ${call} in time${remote}.`;
    case 'network':
      return `Could not reach Zammad for ${call}${remote}.`;
    case 'invalid-response':
      return `Zammad sent an invalid response to ${call} (status ${details.status})${remote}.`;
    case 'http':
      return `Zammad returned ${details.status} for ${call}${remote}`.replace(/([^.!?])$/, '$1.');
  }
}
