/** Which Jira deployment the fake imitates. */
export type Flavour = 'cloud' | 'datacenter';

/**
 * How comment events reach webhooks. Cloud sends only `comment_*` events.
 * Some Data Center versions also send `jira:issue_updated` with
 * `issue_commented` (`dc-both`), and very old ones send only that (`dc-legacy`).
 */
export type CommentEventStyle = 'cloud' | 'dc-both' | 'dc-legacy';

/** Body of a 401 response: Jira's error envelope, the Cloud `{message, status-code}` shape, or an HTML page. */
export type AuthFailureBody = 'envelope' | 'cloud-message' | 'html';

/** Options of `startFakeJira`. Apart from the listen address, base URL, clock and id starts, `configure` can change each one later. */
export interface FakeJiraOptions {
  /** TCP port, 0 (the default) picks a free one. */
  port?: number;
  /** Listen address, loopback only. Default 127.0.0.1. */
  host?: string;
  /** Base URL written into `self` links and webhook payloads. Default `http://<host>:<port>`. */
  baseUrl?: string;
  flavour?: Flavour;
  /** Cloud id accepted under `/ex/jira/{cloudId}`. */
  cloudId?: string;
  /** IANA zone of the site: timestamps are rendered in it and JQL date literals read in it. Default UTC. */
  timeZone?: string;
  /** Injectable clock in epoch milliseconds. `setClock` on the control API overrides it. */
  now?: () => number;
  /** Number of the first custom field (`customfield_<n>`). The others follow in order. */
  customFieldIdStart?: number;
  /** First numeric issue id. Keys count from 1 in each project. */
  issueIdStart?: number;
  /** Milliseconds before a created or changed issue shows in search results. */
  searchVisibilityDelayMs?: number;
  /** Maximum number of issues in one search page, whatever `maxResults` requests. */
  searchMaxResultsCap?: number;
  /** Whether `/rest/api/2/search` returns 410. Default: true on Cloud, false on Data Center. */
  legacySearchRemoved?: boolean;
  /** Largest attachment accepted, in bytes. Bigger uploads get 413. */
  attachmentMaxBytes?: number;
  /** Accept the misspelt `X-Atlassian-Token: nocheck` that some Data Center versions tolerated. */
  acceptNocheckToken?: boolean;
  /** Return 500 with an HTML page for uploads whose file name uses RFC 2231 `filename*=`, as Data Center does. */
  rejectRfc2231Filename?: boolean;
  authFailureBody?: AuthFailureBody;
  /** After this many failed basic logins of one user, return 403 CAPTCHA_CHALLENGE until `setCaptcha(false)`. 0 turns it off. */
  captchaAfterFailures?: number;
  /** Status of a call to an experimental JSM route without `X-ExperimentalApi: opt-in`. */
  experimentalApiStatus?: number;
  /** Resolve a project key given as service desk id instead of failing with NumberFormatException. */
  serviceDeskKeyLookup?: boolean;
  commentEventStyle?: CommentEventStyle;
  /** Comment bodies in webhook deliveries: wiki markup strings, or ADF documents as some Cloud integrations see them. */
  webhookBodyFormat?: 'wiki' | 'adf';
  /**
   * Leave `issueTypeId` out of request types, as old Service Desk versions do,
   * and serve the private `/rest/servicedesk/{n}/servicedesk/{key}/groups/{id}/request-types` route that lists it.
   */
  requestTypesWithoutIssueTypeId?: boolean;
  /** Show the Labels field on every request type's form, as a service desk admin can, so requests accept `labels`. */
  labelsOnRequestForms?: boolean;
  /** Delay before the first delivery attempt of a webhook, in milliseconds. */
  webhookDelayMs?: number;
  /** Delay of Secondary-flow deliveries (for example comment deletions after an issue deletion). */
  webhookSecondaryDelayMs?: number;
  /** Waits between delivery attempts, in milliseconds. Its length is the number of retries. */
  webhookRetryDelaysMs?: number[];
  /** Time one delivery attempt may take before it counts as failed. */
  webhookTimeoutMs?: number;
  /** Retry on every non-2xx status, not only on 408, 409, 425, 429 and 5xx as Jira Cloud does. */
  webhookRetryAllNon2xx?: boolean;
  /** First-response SLA goal in milliseconds. */
  slaFirstResponseGoalMs?: number;
  /** Resolution SLA goal in milliseconds. */
  slaResolutionGoalMs?: number;
}

/** Options after defaults are applied. The control API changes these in place. */
export type FakeJiraSettings = Required<Omit<FakeJiraOptions, 'port' | 'host' | 'baseUrl' | 'now' | 'legacySearchRemoved'>> & {
  legacySearchRemoved: boolean | undefined;
};

/** Options that only take effect on a fresh store, so `configure` rejects them. */
export const SEED_OPTIONS = ['customFieldIdStart', 'issueIdStart'] as const;

/** Fills in the defaults of every run-time setting. */
export function resolveSettings(options: FakeJiraOptions): FakeJiraSettings {
  return {
    flavour: options.flavour ?? 'cloud',
    cloudId: options.cloudId ?? '00000000-0000-4000-8000-00000000c10d',
    timeZone: options.timeZone ?? 'UTC',
    customFieldIdStart: options.customFieldIdStart ?? 10100,
    issueIdStart: options.issueIdStart ?? 10000,
    searchVisibilityDelayMs: options.searchVisibilityDelayMs ?? 0,
    searchMaxResultsCap: options.searchMaxResultsCap ?? 100,
    legacySearchRemoved: options.legacySearchRemoved,
    attachmentMaxBytes: options.attachmentMaxBytes ?? 10 * 1024 * 1024,
    acceptNocheckToken: options.acceptNocheckToken ?? false,
    rejectRfc2231Filename: options.rejectRfc2231Filename ?? false,
    authFailureBody: options.authFailureBody ?? 'envelope',
    captchaAfterFailures: options.captchaAfterFailures ?? 0,
    experimentalApiStatus: options.experimentalApiStatus ?? 400,
    serviceDeskKeyLookup: options.serviceDeskKeyLookup ?? false,
    commentEventStyle: options.commentEventStyle ?? 'cloud',
    webhookBodyFormat: options.webhookBodyFormat ?? 'wiki',
    requestTypesWithoutIssueTypeId: options.requestTypesWithoutIssueTypeId ?? false,
    labelsOnRequestForms: options.labelsOnRequestForms ?? false,
    webhookDelayMs: options.webhookDelayMs ?? 0,
    webhookSecondaryDelayMs: options.webhookSecondaryDelayMs ?? 50,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000],
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    webhookRetryAllNon2xx: options.webhookRetryAllNon2xx ?? false,
    slaFirstResponseGoalMs: options.slaFirstResponseGoalMs ?? 8 * 3_600_000,
    slaResolutionGoalMs: options.slaResolutionGoalMs ?? 5 * 24 * 3_600_000,
  };
}

/** Checks whether `/rest/api/2/search` is removed, as Atlassian did on Jira Cloud in 2025. */
export function isLegacySearchRemoved(settings: FakeJiraSettings): boolean {
  return settings.legacySearchRemoved ?? settings.flavour === 'cloud';
}
