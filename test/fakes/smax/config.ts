import { FakeInputError } from './errors';

/**
 * Behaviour knobs of the fake. Most of them cover points that public SMAX
 * material leaves open, so tests can try each variant instead of relying on one.
 */
export interface FakeSmaxConfig {
  /** Cookie that carries the token: `LWSSO_COOKIE_KEY` on classic servers, `SMAX_AUTH_TOKEN` on newer ones. */
  cookieName: string;
  /** Whether `Authorization: Bearer <token>` is accepted besides the cookie. */
  acceptBearer: boolean;
  /** Whether the login response wraps the token in double quotes, as some servers do. */
  quoteLoginToken: boolean;
  /** Session lifetime in milliseconds; 0 keeps tokens valid until they are expired on demand. */
  tokenTtlMs: number;
  /** Allowed `PhaseId` values of Request. */
  phases: string[];
  /** Phases in which a Request rejects further changes, comments and attachments. */
  closedPhases: string[];
  /** Allowed `Status` values of Request. */
  statuses: string[];
  /** Maximum `DisplayLabel` length; Waldur truncates titles to 140 characters. */
  displayLabelMaxLength: number;
  /** Whether a bulk UPDATE must carry the current `LastUpdateTime` (optimistic concurrency). */
  requireLastUpdateTime: boolean;
  /** Milliseconds after a write before EMS queries see it, by entity type (e.g. `{"Person": 1500}`). */
  visibilityDelayMs: Record<string, number>;
  /** Page size when a query has no `size`. */
  defaultPageSize: number;
  /** Largest page a query returns; a bigger `size` is cut to it. */
  maxPageSize: number;
  /** Whether `meta.total_count` stays 0 unless the query has `meta=totalCount`. */
  totalCountRequiresMeta: boolean;
  /** Properties returned whatever the `layout` lists. */
  alwaysReturnedProperties: string[];
  /** HTTP status of a query with an invalid filter, layout, order or paging value. */
  queryErrorStatus: number;
  /** Whether `CommentBody` inside a Request's `Comments` string is HTML-escaped. */
  escapeEmbeddedCommentBodies: boolean;
  /** Largest accepted upload in bytes; a bigger one gets 413. */
  maxUploadBytes: number;
  /** Whether Request changes send the `{"id"}` notification by themselves. */
  autoNotify: boolean;
  /** Extra delivery attempts after a failed webhook POST. */
  webhookRetries: number;
  /** Milliseconds between webhook attempts. */
  webhookRetryDelayMs: number;
  /** Milliseconds before a webhook POST is abandoned as timed out. */
  webhookTimeoutMs: number;
}

export function defaultConfig(cookieName = 'LWSSO_COOKIE_KEY'): FakeSmaxConfig {
  return {
    cookieName,
    acceptBearer: false,
    quoteLoginToken: false,
    tokenTtlMs: 0,
    phases: ['Log', 'Classify', 'Approve', 'Fulfill', 'Review', 'Accept', 'Escalate', 'Close', 'Abandon'],
    closedPhases: ['Close', 'Abandon'],
    statuses: [
      'RequestStatusReady',
      'RequestStatusInProgress',
      'RequestStatusPending',
      'RequestStatusSuspended',
      'RequestStatusComplete',
    ],
    displayLabelMaxLength: 140,
    requireLastUpdateTime: false,
    visibilityDelayMs: {},
    defaultPageSize: 100,
    maxPageSize: 500,
    totalCountRequiresMeta: true,
    alwaysReturnedProperties: ['Id'],
    queryErrorStatus: 400,
    escapeEmbeddedCommentBodies: true,
    maxUploadBytes: 20 * 1024 * 1024,
    autoNotify: true,
    webhookRetries: 3,
    webhookRetryDelayMs: 100,
    webhookTimeoutMs: 5000,
  };
}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string' && value.length > 0;
const isBoolean: Check = (value) => typeof value === 'boolean';
const isCount: Check = (value) => Number.isInteger(value) && (value as number) >= 0;
const isPositive: Check = (value) => Number.isInteger(value) && (value as number) > 0;
const isStatus: Check = (value) => Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;
const isStringList: Check = (value) => Array.isArray(value) && value.every(isString);
const isDelayMap: Check = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isCount);

const CHECKS: Record<keyof FakeSmaxConfig, [Check, string]> = {
  cookieName: [isString, 'a non-empty string'],
  acceptBearer: [isBoolean, 'a boolean'],
  quoteLoginToken: [isBoolean, 'a boolean'],
  tokenTtlMs: [isCount, 'an integer >= 0'],
  phases: [isStringList, 'a list of non-empty strings'],
  closedPhases: [isStringList, 'a list of non-empty strings'],
  statuses: [isStringList, 'a list of non-empty strings'],
  displayLabelMaxLength: [isPositive, 'an integer > 0'],
  requireLastUpdateTime: [isBoolean, 'a boolean'],
  visibilityDelayMs: [isDelayMap, 'an object of entity type to integer >= 0'],
  defaultPageSize: [isPositive, 'an integer > 0'],
  maxPageSize: [isPositive, 'an integer > 0'],
  totalCountRequiresMeta: [isBoolean, 'a boolean'],
  alwaysReturnedProperties: [isStringList, 'a list of non-empty strings'],
  queryErrorStatus: [isStatus, 'an HTTP status code'],
  escapeEmbeddedCommentBodies: [isBoolean, 'a boolean'],
  maxUploadBytes: [isPositive, 'an integer > 0'],
  autoNotify: [isBoolean, 'a boolean'],
  webhookRetries: [isCount, 'an integer >= 0'],
  webhookRetryDelayMs: [isCount, 'an integer >= 0'],
  webhookTimeoutMs: [isPositive, 'an integer > 0'],
};

/**
 * Returns `config` with `patch` applied. Raises FakeInputError listing every
 * unknown key and invalid value, and changes nothing in that case.
 */
export function applyConfigPatch(config: FakeSmaxConfig, patch: unknown): FakeSmaxConfig {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new FakeInputError('Config patch must be a JSON object.');
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const check = CHECKS[key as keyof FakeSmaxConfig];
    if (!check) {
      problems.push(`unknown key "${key}"`);
    } else if (!check[0](value)) {
      problems.push(`"${key}" must be ${check[1]}, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) {
    throw new FakeInputError(`Invalid config patch: ${problems.join('; ')}.`);
  }
  return structuredClone({ ...config, ...(patch as Partial<FakeSmaxConfig>) });
}
