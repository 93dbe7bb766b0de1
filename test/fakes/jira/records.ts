/** Shapes of the objects the fake stores. Times are epoch milliseconds, and users are referred to by `accountId`. */

/** Checks that a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  /** Cloud sends `fieldId`, but Data Center leaves it out for custom fields. */
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangeHistory {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface IssueRecord {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: string | null;
  environment: string | null;
  /** `yyyy-MM-dd`. */
  duedate: string | null;
  priorityId: string | null;
  statusId: string;
  resolutionId: string | null;
  resolutionDate: number | null;
  statusCategoryChangeDate: number;
  created: number;
  updated: number;
  reporterId: string | null;
  assigneeId: string | null;
  creatorId: string;
  labels: string[];
  /** Values of plain custom fields by field id, in stored form (option id, accountId, text, number, epoch ms). */
  custom: Record<string, unknown>;
  requestTypeId: string | null;
  participantIds: string[];
  organizationIds: string[];
  properties: Record<string, unknown>;
  changelog: ChangeHistory[];
  /** When an agent first replied publicly, which stops the first-response SLA clock. */
  firstResponseAt: number | null;
}

export interface CommentRecord {
  id: string;
  issueId: string;
  authorId: string;
  updateAuthorId: string;
  body: string;
  created: number;
  updated: number;
  /** Entity properties such as `sd.public.comment`. */
  properties: Record<string, unknown>;
  visibility: { type: string; value?: string; identifier?: string } | null;
}

export interface AttachmentRecord {
  id: string;
  issueId: string;
  filename: string;
  authorId: string;
  created: number;
  mimeType: string;
  content: Buffer;
}

export interface IssueLinkRecord {
  id: string;
  typeId: string;
  inwardIssueId: string;
  outwardIssueId: string;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  memberIds: string[];
}

export interface TemporaryAttachmentRecord {
  id: string;
  serviceDeskId: string;
  filename: string;
  mimeType: string;
  content: Buffer;
  authorId: string;
}

export interface WebhookRecord {
  id: string;
  name: string;
  url: string;
  events: string[];
  /** JQL that an issue must match, from `filters["issue-related-events-section"]`. */
  jqlFilter: string;
  excludeBody: boolean;
  enabled: boolean;
  secret: string | null;
  lastUpdatedUserId: string;
  lastUpdated: number;
}
