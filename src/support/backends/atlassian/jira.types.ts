/**
 * Shapes of the Jira and JSM JSON the adapter reads and sends. Only the keys it uses are
 * typed. Keys are optional where real payloads leave them out: GDPR-era Cloud users have
 * no `name`, comment webhooks carry six issue fields, and webhook attachment ids can be
 * numbers. These types never leave the adapter's folder.
 */

export interface JiraUser {
  self?: string;
  accountId?: string;
  accountType?: string;
  key?: string;
  name?: string;
  emailAddress?: string | null;
  displayName?: string;
  active?: boolean;
  timeZone?: string;
}

export interface JiraNamed {
  id?: string | number;
  name?: string;
  self?: string;
}

export interface JiraStatus extends JiraNamed {
  statusCategory?: { id?: number; key?: string; name?: string };
}

export interface JiraPriority extends JiraNamed {
  description?: string;
  iconUrl?: string;
  statusColor?: string;
}

export interface JiraAttachment {
  id: string | number;
  self?: string;
  filename?: string;
  author?: JiraUser | null;
  created?: string;
  size?: number;
  mimeType?: string;
  content?: string;
}

export interface JiraCommentProperty {
  key: string;
  value: unknown;
}

/** Comment `body` is wiki markup on REST v2; some Cloud webhooks carry an ADF document instead. */
export interface JiraComment {
  id: string | number;
  self?: string;
  author?: JiraUser | null;
  updateAuthor?: JiraUser | null;
  body?: string | AdfNode | null;
  created?: string;
  updated?: string;
  /** Cloud only: whether portal customers see the comment. */
  jsdPublic?: boolean;
  properties?: JiraCommentProperty[];
  /** Restriction to a project role or a group; absent or null when anyone who sees the issue sees the comment. */
  visibility?: { type?: string; value?: string; identifier?: string } | null;
}

export interface JiraCommentPage {
  startAt?: number;
  maxResults?: number;
  total?: number;
  comments?: JiraComment[];
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields?: Record<string, unknown>;
}

export interface JiraCreatedIssue {
  id: string;
  key: string;
  self?: string;
}

export interface JiraField {
  id: string;
  key?: string;
  name: string;
  custom?: boolean;
  clauseNames?: string[] | string;
  schema?: { type?: string; system?: string; custom?: string; customId?: number; items?: string };
}

export interface JiraSearchResultLegacy {
  startAt?: number;
  maxResults?: number;
  total?: number;
  issues?: JiraIssue[];
}

export interface JiraSearchResultJql {
  issues?: JiraIssue[];
  nextPageToken?: string | null;
  isLast?: boolean;
}

export interface JiraServerInfo {
  baseUrl?: string;
  version?: string;
  deploymentType?: string;
  serverTitle?: string;
}

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  description?: string;
  projectTypeKey?: string;
}

export interface JiraIssueType {
  id: string;
  name: string;
  description?: string;
}

/** A JSM page (`start`, `limit`, `isLastPage`, `values`). */
export interface JsmPage<T> {
  size?: number;
  start?: number;
  limit?: number;
  isLastPage?: boolean;
  values?: T[];
}

export interface JsmServiceDesk {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
}

export interface JsmRequestType {
  id: string;
  name: string;
  description?: string;
  helpText?: string;
  issueTypeId?: string;
  serviceDeskId?: string;
  groupIds?: string[];
}

/** An entry of the private `/rest/servicedesk/{n}/servicedesk/{key}/groups/{id}/request-types` list on old Service Desk. */
export interface JsmLegacyRequestType {
  id: string | number;
  name: string;
  issueType?: string | number;
  description?: string;
}

export interface JsmRequestTypeField {
  fieldId: string;
  name?: string;
  description?: string;
  required?: boolean;
  visible?: boolean;
  jiraSchema?: { type?: string; system?: string; custom?: string; customId?: number };
}

export interface JsmRequestTypeFields {
  canRaiseOnBehalfOf?: boolean;
  canAddRequestParticipants?: boolean;
  requestTypeFields?: JsmRequestTypeField[];
}

/** A customer request, as `POST /rest/servicedeskapi/request` and the request lists return it. */
export interface JsmCustomerRequest {
  issueId?: string | number;
  issueKey?: string;
  requestTypeId?: string;
  serviceDeskId?: string;
  createdDate?: unknown;
  reporter?: JiraUser;
  currentStatus?: { status?: string; statusCategory?: string; statusDate?: unknown };
  _links?: { web?: string; jiraRest?: string; self?: string };
}

export interface JsmComment {
  id: string;
  body?: string;
  public?: boolean;
  author?: JiraUser;
  /** A JSM date object. */
  created?: unknown;
}

export interface JsmCustomer {
  accountId?: string;
  key?: string;
  name?: string;
  emailAddress?: string;
  displayName?: string;
  active?: boolean;
}

/** A node of an Atlassian Document Format tree. */
export interface AdfNode {
  type?: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
}
