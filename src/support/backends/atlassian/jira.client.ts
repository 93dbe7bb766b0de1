import { JiraHttp, JiraHttpOptions, JiraRequestOptions, QueryValue } from './jira-http';
import { JiraError } from './jira.exception';
import type {
  JiraAttachment,
  JiraComment,
  JiraCommentPage,
  JiraCreatedIssue,
  JiraField,
  JiraIssue,
  JiraIssueType,
  JiraPriority,
  JiraProject,
  JiraSearchResultJql,
  JiraSearchResultLegacy,
  JiraServerInfo,
  JiraUser,
  JsmComment,
  JsmCustomerRequest,
  JsmCustomer,
  JsmLegacyRequestType,
  JsmPage,
  JsmRequestType,
  JsmRequestTypeFields,
  JsmServiceDesk,
} from './jira.types';

/** Search endpoint: Cloud's `/search/jql` with page tokens, or Data Center's `/search` with offsets. */
export type JiraSearchApi = 'jql' | 'legacy';

export interface JiraSearchRequest {
  jql: string;
  /** Field ids to return. The JQL search returns only ids unless fields are named. */
  fields: string[];
  /** Page size asked for; Jira may return fewer. */
  pageSize?: number;
  /** Returned by the previous page: a page token (`jql`) or the next offset (`legacy`). */
  cursor?: string;
}

export interface JiraSearchPage {
  issues: JiraIssue[];
  /** Present when more pages follow. */
  nextCursor?: string;
}

const JSM_HEADERS = { 'X-ExperimentalApi': 'opt-in' };
const COMMENT_PAGE_SIZE = 100;
const JSM_PAGE_SIZE = 50;
/** Stops paging a JSM list that never reports its last page. */
const MAX_JSM_PAGES = 200;

/**
 * Jira REST v2 and Service Management calls, one method per endpoint the adapter uses.
 * Every failure is a `JiraError`. The `get*` methods that read one object return
 * undefined on 404, which Jira returns for objects that are gone or invisible.
 */
export class JiraClient {
  private readonly http: JiraHttp;
  private serverInfoCache?: Promise<JiraServerInfo>;
  private myselfCache?: Promise<JiraUser>;

  constructor(options: JiraHttpOptions) {
    this.http = new JiraHttp(options);
  }

  get baseUrl(): string {
    return this.http.base;
  }

  get authLabel(): string | undefined {
    return this.http.auth?.label;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Returns the integration user, cached per client; Jira recommends this call for checking credentials. */
  myself(): Promise<JiraUser> {
    this.myselfCache ??= this.http.request<JiraUser>({ method: 'GET', path: '/rest/api/2/myself' });
    this.myselfCache.catch(() => (this.myselfCache = undefined));
    return this.myselfCache;
  }

  serverInfo(): Promise<JiraServerInfo> {
    this.serverInfoCache ??= this.http.request<JiraServerInfo>({ method: 'GET', path: '/rest/api/2/serverInfo' });
    this.serverInfoCache.catch(() => (this.serverInfoCache = undefined));
    return this.serverInfoCache;
  }

  listFields(): Promise<JiraField[]> {
    return this.http.request<JiraField[]>({ method: 'GET', path: '/rest/api/2/field' });
  }

  async getIssue(idOrKey: string, options: { fields?: string[]; expand?: string[] } = {}): Promise<JiraIssue | undefined> {
    return this.optional(
      this.http.request<JiraIssue>({
        method: 'GET',
        path: `/rest/api/2/issue/${encodeURIComponent(idOrKey)}`,
        query: { fields: options.fields, expand: options.expand },
      }),
    );
  }

  createIssue(body: { fields: Record<string, unknown>; update?: Record<string, unknown> }): Promise<JiraCreatedIssue> {
    return this.http.request<JiraCreatedIssue>({ method: 'POST', path: '/rest/api/2/issue', json: body });
  }

  async editIssue(idOrKey: string, body: { fields?: Record<string, unknown>; update?: Record<string, unknown> }): Promise<void> {
    await this.http.request({ method: 'PUT', path: `/rest/api/2/issue/${encodeURIComponent(idOrKey)}`, json: body });
  }

  async deleteIssue(idOrKey: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/rest/api/2/issue/${encodeURIComponent(idOrKey)}` });
  }

  /** Lists every comment of an issue, oldest first, with properties so visibility needs no extra call. */
  async listComments(idOrKey: string): Promise<JiraComment[]> {
    const comments: JiraComment[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.http.request<JiraCommentPage>({
        method: 'GET',
        path: `/rest/api/2/issue/${encodeURIComponent(idOrKey)}/comment`,
        query: { startAt, maxResults: COMMENT_PAGE_SIZE, orderBy: 'created', expand: 'properties' },
      });
      const batch = page.comments ?? [];
      comments.push(...batch);
      startAt += batch.length;
      if (batch.length === 0 || (page.total !== undefined && startAt >= page.total)) return comments;
    }
  }

  async getComment(issueIdOrKey: string, commentId: string): Promise<JiraComment | undefined> {
    return this.optional(
      this.http.request<JiraComment>({
        method: 'GET',
        path: `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}/comment/${encodeURIComponent(commentId)}`,
        query: { expand: 'properties' },
      }),
    );
  }

  addComment(issueIdOrKey: string, body: { body: string; properties?: Array<{ key: string; value: unknown }> }): Promise<JiraComment> {
    return this.http.request<JiraComment>({ method: 'POST', path: `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}/comment`, json: body });
  }

  updateComment(issueIdOrKey: string, commentId: string, body: string): Promise<JiraComment> {
    return this.http.request<JiraComment>({
      method: 'PUT',
      path: `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}/comment/${encodeURIComponent(commentId)}`,
      json: { body },
    });
  }

  async deleteComment(issueIdOrKey: string, commentId: string): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}/comment/${encodeURIComponent(commentId)}`,
    });
  }

  async setCommentProperty(commentId: string, key: string, value: unknown): Promise<void> {
    await this.http.request({
      method: 'PUT',
      path: `/rest/api/2/comment/${encodeURIComponent(commentId)}/properties/${encodeURIComponent(key)}`,
      json: value,
    });
  }

  /** Adds a comment through Service Management, where `public` decides what portal customers see. */
  addRequestComment(issueIdOrKey: string, body: string, isPublic: boolean): Promise<JsmComment> {
    return this.jsm<JsmComment>({
      method: 'POST',
      path: `/rest/servicedeskapi/request/${encodeURIComponent(issueIdOrKey)}/comment`,
      json: { body, public: isPublic },
    });
  }

  /** Uploads one file; `multipart` is the complete body built by `buildAttachmentMultipart`. */
  async addAttachment(issueIdOrKey: string, multipart: { body: Buffer; contentType: string }): Promise<JiraAttachment[]> {
    return this.http.request<JiraAttachment[]>({
      method: 'POST',
      path: `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}/attachments`,
      body: multipart.body,
      contentType: multipart.contentType,
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
  }

  async getAttachment(id: string): Promise<JiraAttachment | undefined> {
    return this.optional(this.http.request<JiraAttachment>({ method: 'GET', path: `/rest/api/2/attachment/${encodeURIComponent(id)}` }));
  }

  async deleteAttachment(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/rest/api/2/attachment/${encodeURIComponent(id)}` });
  }

  /**
   * Downloads an attachment from its `content` URL when that URL is on the configured
   * site. Behind the OAuth gateway, payloads name the site's own host, so the bytes are
   * read from `/rest/api/2/attachment/content/{id}` under the gateway instead.
   */
  async downloadAttachment(attachment: { id: string; contentUrl?: string }): Promise<Buffer> {
    const site = new URL(this.http.base);
    const given = attachment.contentUrl ? safeUrl(attachment.contentUrl) : undefined;
    const usable = given && given.origin === site.origin && given.pathname.startsWith(site.pathname.replace(/\/$/, ''));
    const url = usable ? given.toString() : `${this.http.base}/rest/api/2/attachment/content/${encodeURIComponent(attachment.id)}`;
    return (await this.http.download(url)).content;
  }

  /** Reads one page of a JQL search through the chosen endpoint. */
  async search(api: JiraSearchApi, search: JiraSearchRequest): Promise<JiraSearchPage> {
    const pageSize = search.pageSize ?? 50;
    if (api === 'jql') {
      const page = await this.http.request<JiraSearchResultJql>({
        method: 'GET',
        path: '/rest/api/2/search/jql',
        query: { jql: search.jql, fields: search.fields, maxResults: pageSize, nextPageToken: search.cursor },
      });
      const nextCursor = page.isLast === false && page.nextPageToken ? page.nextPageToken : undefined;
      return { issues: page.issues ?? [], nextCursor };
    }
    const startAt = search.cursor ? Number(search.cursor) : 0;
    const page = await this.http.request<JiraSearchResultLegacy>({
      method: 'GET',
      path: '/rest/api/2/search',
      query: { jql: search.jql, fields: search.fields, startAt, maxResults: pageSize },
    });
    const issues = page.issues ?? [];
    const next = startAt + issues.length;
    const more = issues.length > 0 && (page.total === undefined || next < page.total);
    return { issues, nextCursor: more ? String(next) : undefined };
  }

  /** Lists every issue a JQL search finds, following pages until Jira reports the last one. */
  async searchAll(api: JiraSearchApi, search: Omit<JiraSearchRequest, 'cursor'>, limit = 10_000): Promise<JiraIssue[]> {
    const issues: JiraIssue[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.search(api, { ...search, cursor });
      issues.push(...page.issues);
      cursor = page.nextCursor;
    } while (cursor && issues.length < limit);
    return issues;
  }

  /**
   * Searches users by text: `query=` (Cloud and current Data Center), or `username=` with
   * `useUsername` and on Data Center versions that ask for it.
   */
  async searchUsers(text: string, options: { useUsername?: boolean; includeInactive?: boolean } = {}): Promise<JiraUser[]> {
    const inactive = options.includeInactive ? { includeActive: true, includeInactive: true } : {};
    if (options.useUsername) {
      return this.http.request<JiraUser[]>({ method: 'GET', path: '/rest/api/2/user/search', query: { username: text, ...inactive } });
    }
    try {
      return await this.http.request<JiraUser[]>({ method: 'GET', path: '/rest/api/2/user/search', query: { query: text, ...inactive } });
    } catch (error) {
      if (error instanceof JiraError && error.status === 400 && /username/i.test(error.remoteMessage ?? '')) {
        return this.http.request<JiraUser[]>({ method: 'GET', path: '/rest/api/2/user/search', query: { username: text, ...inactive } });
      }
      throw error;
    }
  }

  /** Users who may be assigned issues of the project: the service desk's agents. */
  async assignableUsers(projectKey: string): Promise<JiraUser[]> {
    const users: JiraUser[] = [];
    const pageSize = 1000;
    for (let startAt = 0; ; startAt += pageSize) {
      const page = await this.http.request<JiraUser[]>({
        method: 'GET',
        path: '/rest/api/2/user/assignable/multiProjectSearch',
        query: { projectKeys: projectKey, startAt, maxResults: pageSize },
      });
      users.push(...page);
      if (page.length < pageSize) return users;
    }
  }

  /** Creates a portal customer: Cloud takes `displayName`, Data Center `fullName`. */
  createCustomer(email: string, name: string, useFullName: boolean): Promise<JsmCustomer> {
    const json = useFullName ? { email, fullName: name } : { email, displayName: name };
    return this.jsm<JsmCustomer>({ method: 'POST', path: '/rest/servicedeskapi/customer', json });
  }

  listPriorities(): Promise<JiraPriority[]> {
    return this.http.request<JiraPriority[]>({ method: 'GET', path: '/rest/api/2/priority' });
  }

  async getIssueType(id: string): Promise<JiraIssueType | undefined> {
    return this.optional(this.http.request<JiraIssueType>({ method: 'GET', path: `/rest/api/2/issuetype/${encodeURIComponent(id)}` }));
  }

  async getProject(idOrKey: string): Promise<JiraProject | undefined> {
    return this.optional(this.http.request<JiraProject>({ method: 'GET', path: `/rest/api/2/project/${encodeURIComponent(idOrKey)}` }));
  }

  listServiceDesks(): Promise<JsmServiceDesk[]> {
    return this.jsmPages<JsmServiceDesk>('/rest/servicedeskapi/servicedesk');
  }

  async getServiceDesk(id: string): Promise<JsmServiceDesk | undefined> {
    return this.optional(this.jsm<JsmServiceDesk>({ method: 'GET', path: `/rest/servicedeskapi/servicedesk/${encodeURIComponent(id)}` }));
  }

  listRequestTypes(serviceDeskId: string): Promise<JsmRequestType[]> {
    return this.jsmPages<JsmRequestType>(`/rest/servicedeskapi/servicedesk/${encodeURIComponent(serviceDeskId)}/requesttype`);
  }

  getRequestTypeFields(serviceDeskId: string, requestTypeId: string): Promise<JsmRequestTypeFields> {
    return this.jsm<JsmRequestTypeFields>({
      method: 'GET',
      path: `/rest/servicedeskapi/servicedesk/${encodeURIComponent(serviceDeskId)}/requesttype/${encodeURIComponent(requestTypeId)}/field`,
    });
  }

  /**
   * Request types of old Service Desk versions, whose public list lacks `issueTypeId`.
   * `version` is the instance-specific path segment (`ATLASSIAN_STRANGE_SETTING`).
   */
  listLegacyRequestTypes(version: number, projectKey: string, serviceDeskId: string): Promise<JsmLegacyRequestType[]> {
    return this.http.request<JsmLegacyRequestType[]>({
      method: 'GET',
      path: `/rest/servicedesk/${version}/servicedesk/${encodeURIComponent(projectKey.toLowerCase())}/groups/${encodeURIComponent(serviceDeskId)}/request-types`,
    });
  }

  createRequest(body: Record<string, unknown>): Promise<JsmCustomerRequest> {
    return this.jsm<JsmCustomerRequest>({ method: 'POST', path: '/rest/servicedeskapi/request', json: body });
  }

  /** Adds participants: `{accountIds}` on Cloud and current Data Center, `{usernames}` on old Data Center. */
  async addRequestParticipants(issueIdOrKey: string, body: { accountIds: string[] } | { usernames: string[] }): Promise<void> {
    await this.jsm({ method: 'POST', path: `/rest/servicedeskapi/request/${encodeURIComponent(issueIdOrKey)}/participant`, json: body, idempotent: true });
  }

  async createIssueLink(type: string, inwardKey: string, outwardKey: string): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: '/rest/api/2/issueLink',
      json: { type: { name: type }, inwardIssue: { key: inwardKey }, outwardIssue: { key: outwardKey } },
    });
  }

  private jsm<T>(options: JiraRequestOptions): Promise<T> {
    return this.http.request<T>({ ...options, headers: { ...JSM_HEADERS, ...options.headers } });
  }

  private async jsmPages<T>(path: string, query: Record<string, QueryValue> = {}): Promise<T[]> {
    const values: T[] = [];
    for (let page = 0, start = 0; page < MAX_JSM_PAGES; page += 1) {
      const result = await this.jsm<JsmPage<T>>({ method: 'GET', path, query: { ...query, start, limit: JSM_PAGE_SIZE } });
      const batch = result.values ?? [];
      values.push(...batch);
      if (result.isLastPage !== false || batch.length === 0) break;
      start += batch.length;
    }
    return values;
  }

  private async optional<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof JiraError && error.isNotFound) return undefined;
      throw error;
    }
  }
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
