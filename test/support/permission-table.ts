/**
 * Who may do what in the support API, as data: one row per role and operation with the
 * expected HTTP status, and for lists the expected `X-Result-Count`. The rules are Waldur's
 * with these fixes of its defects: only staff and support name a caller other than
 * themselves; whoever may file an issue in a project may comment on it; staff and support
 * see every internal comment; anonymous callers get 401, never 500.
 *
 * The fixtures the operation names refer to are built by `test/e2e/permissions.e2e-spec.ts`:
 * a customer with one project where the owner, a project admin, a project manager and a
 * member hold their roles, a second customer and project where nobody does, and a caller
 * who holds no role but files personal issues and one issue in the second project.
 *
 * Attachments follow the issue they belong to: staff, global support, owners of its
 * customer, anyone with a role in its project and its caller see and add them. Deleting
 * is for staff, the uploader and owners of the issue's customer.
 */

/** The callers the rules distinguish, in the column order of the tables below. */
export const PERMISSION_ROLES = ['staff', 'support', 'owner', 'projectAdmin', 'projectManager', 'member', 'caller', 'anonymous'] as const;

export type PermissionRole = (typeof PERMISSION_ROLES)[number];

/** Expected values per role, in `PERMISSION_ROLES` order. */
type PerRole = readonly [number, number, number, number, number, number, number, number];

/** Expected list counts per role; anonymous callers get no list, so they have no count. */
type CountPerRole = readonly [number, number, number, number, number, number, number];

interface OperationRule {
  statuses: PerRole;
  /** `X-Result-Count` of the list, for the roles that get 200. */
  counts?: CountPerRole;
}

export interface PermissionRow {
  role: PermissionRole;
  operation: string;
  status: number;
  count?: number;
}

// The statistics count open issues, so their rows come before the rows that file issues.
//                                           staff support owner admin manager member caller anon
const STATISTICS_RULES: Record<string, OperationRule> = {
  'statistics: open issues': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [5, 5, 2, 1, 1, 1, 2] },
  'statistics: closed this month': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [1, 1, 1, 1, 1, 1, 0] },
};

//                                           staff support owner admin manager member caller anon
const ISSUE_RULES: Record<string, OperationRule> = {
  'list seeded issues': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [5, 5, 2, 1, 1, 1, 2] },
  'count seeded issues (HEAD)': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [5, 5, 2, 1, 1, 1, 2] },
  'see customer issue': { statuses: [200, 200, 200, 404, 404, 404, 404, 401] },
  'see project issue': { statuses: [200, 200, 200, 200, 200, 200, 404, 401] },
  'see personal issue of caller': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'see issue filed by caller in other project': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'see issue of other customer': { statuses: [200, 200, 404, 404, 404, 404, 404, 401] },
  'create issue without scope': { statuses: [201, 201, 201, 201, 201, 201, 201, 401] },
  'create issue for customer': { statuses: [201, 201, 201, 400, 400, 400, 400, 401] },
  'create issue for project': { statuses: [201, 201, 201, 201, 201, 201, 400, 401] },
  'create issue for resource': { statuses: [201, 201, 201, 201, 201, 201, 400, 401] },
  'create issue for other customer': { statuses: [201, 201, 400, 400, 400, 400, 400, 401] },
  'create issue naming self as caller': { statuses: [201, 201, 201, 201, 201, 201, 201, 401] },
  'create issue naming another caller': { statuses: [201, 201, 400, 400, 400, 400, 400, 401] },
  'create issue naming no caller': { statuses: [400, 400, 201, 201, 201, 201, 201, 401] },
  'create issue with priority': { statuses: [201, 201, 400, 400, 400, 400, 400, 401] },
  'create issue with assignee': { statuses: [201, 201, 400, 400, 400, 400, 400, 401] },
  'update project issue (PATCH)': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'update project issue (PUT)': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'update personal issue of caller': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'delete project issue': { statuses: [204, 204, 403, 403, 403, 403, 403, 401] },
  'sync project issue': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'comment on customer issue': { statuses: [201, 201, 201, 404, 404, 404, 404, 401] },
  'comment on project issue': { statuses: [201, 201, 201, 201, 201, 201, 404, 401] },
  'comment internally on project issue': { statuses: [201, 201, 201, 201, 201, 201, 404, 401] },
  'comment on personal issue of caller': { statuses: [201, 201, 404, 404, 404, 404, 201, 401] },
  'comment on issue filed by caller in other project': { statuses: [201, 201, 404, 404, 404, 404, 403, 401] },
};

//                                           staff support owner admin manager member caller anon
const COMMENT_RULES: Record<string, OperationRule> = {
  'list seeded comments': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [5, 5, 1, 1, 1, 2, 1] },
  'count seeded comments (HEAD)': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [5, 5, 1, 1, 1, 2, 1] },
  'list internal comments of project issue': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [2, 2, 0, 0, 0, 1, 0] },
  'see public comment': { statuses: [200, 200, 200, 200, 200, 200, 404, 401] },
  'see internal comment of an agent': { statuses: [200, 200, 404, 404, 404, 404, 404, 401] },
  'see internal comment of member': { statuses: [200, 200, 404, 404, 404, 200, 404, 401] },
  'see internal comment on personal issue': { statuses: [200, 200, 404, 404, 404, 404, 404, 401] },
  'see own internal comment of caller': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'edit public comment (PATCH)': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'edit public comment (PUT)': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'edit own internal comment of member': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'delete public comment': { statuses: [204, 403, 403, 403, 403, 403, 403, 401] },
  'create comment on the collection': { statuses: [405, 405, 405, 405, 405, 405, 405, 401] },
};

//                                           staff support owner admin manager member caller anon
const REFERENCE_RULES: Record<string, OperationRule> = {
  'list support users': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'see support user': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'list issue statuses': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'see issue status': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'create issue status': { statuses: [201, 403, 403, 403, 403, 403, 403, 401] },
  'update issue status': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'delete issue status': { statuses: [204, 403, 403, 403, 403, 403, 403, 401] },
  'list priorities': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'see priority': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'create priority': { statuses: [201, 403, 403, 403, 403, 403, 403, 401] },
  'update priority': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'delete priority': { statuses: [204, 403, 403, 403, 403, 403, 403, 401] },
};

//                                           staff support owner admin manager member caller anon
const ATTACHMENT_RULES: Record<string, OperationRule> = {
  'list attachments of customer issue': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [1, 1, 1, 0, 0, 0, 0] },
  'list attachments of project issue': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [1, 1, 1, 1, 1, 1, 0] },
  'list attachments of personal issue': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [1, 1, 0, 0, 0, 0, 1] },
  'count attachments of project issue (HEAD)': { statuses: [200, 200, 200, 200, 200, 200, 200, 401], counts: [1, 1, 1, 1, 1, 1, 0] },
  'see attachment of customer issue': { statuses: [200, 200, 200, 404, 404, 404, 404, 401] },
  'see attachment of project issue': { statuses: [200, 200, 200, 200, 200, 200, 404, 401] },
  'see attachment of personal issue': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'see attachment of issue filed by caller in other project': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'download attachment of project issue': { statuses: [200, 200, 200, 200, 200, 200, 404, 401] },
  'download attachment of personal issue': { statuses: [200, 200, 404, 404, 404, 404, 200, 401] },
  'add attachment to customer issue': { statuses: [201, 201, 201, 400, 400, 400, 400, 401] },
  'add attachment to project issue': { statuses: [201, 201, 201, 201, 201, 201, 400, 401] },
  'add attachment to personal issue': { statuses: [201, 201, 400, 400, 400, 400, 201, 401] },
  'delete attachment of project issue': { statuses: [204, 403, 204, 403, 403, 403, 404, 401] },
  'delete attachment of personal issue': { statuses: [204, 403, 404, 404, 404, 404, 403, 401] },
  'delete own attachment of personal issue': { statuses: [204, 204, 404, 404, 404, 404, 204, 401] },
  'update attachment': { statuses: [405, 405, 405, 405, 405, 405, 405, 401] },
};

//                                           staff support owner admin manager member caller anon
const FEEDBACK_RULES: Record<string, OperationRule> = {
  'list feedbacks': { statuses: [200, 200, 403, 403, 403, 403, 403, 401], counts: [1, 1, 0, 0, 0, 0, 0] },
  'see feedback': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'submit feedback with a token': { statuses: [201, 201, 201, 201, 201, 201, 201, 201] },
  'read feedback report': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'read feedback average report': { statuses: [200, 200, 403, 403, 403, 403, 403, 401] },
  'delete feedback': { statuses: [405, 405, 405, 405, 405, 405, 405, 401] },
};

//                                           staff support owner admin manager member caller anon
const TEMPLATE_RULES: Record<string, OperationRule> = {
  'list templates': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'see template': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'create template': { statuses: [201, 403, 403, 403, 403, 403, 403, 401] },
  'update template': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'delete template': { statuses: [204, 403, 403, 403, 403, 403, 403, 401] },
  'add template attachments': { statuses: [201, 403, 403, 403, 403, 403, 403, 401] },
  'delete template attachments': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'list request types': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'see request type': { statuses: [200, 200, 200, 200, 200, 200, 200, 401] },
  'list request types for admins': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'create request type': { statuses: [201, 403, 403, 403, 403, 403, 403, 401] },
  'update request type': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'deactivate request type': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'reorder request types': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'delete request type': { statuses: [204, 403, 403, 403, 403, 403, 403, 401] },
};

// The outbox and the webhook inbox carry comment bodies, internal ones included.
//                                           staff support owner admin manager member caller anon
const SYNC_RULES: Record<string, OperationRule> = {
  'list sync outbox': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'list webhook deliveries': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
  'read sync status': { statuses: [200, 403, 403, 403, 403, 403, 403, 401] },
};

/** Every operation with its rule, in the order the rows run; the spec must implement each name. */
export const PERMISSION_RULES: Readonly<Record<string, OperationRule>> = {
  ...STATISTICS_RULES,
  ...ISSUE_RULES,
  ...COMMENT_RULES,
  ...ATTACHMENT_RULES,
  ...FEEDBACK_RULES,
  ...TEMPLATE_RULES,
  ...REFERENCE_RULES,
  ...SYNC_RULES,
};

/** Expands the rules into one row per role and operation. */
export function permissionRows(rules: Readonly<Record<string, OperationRule>> = PERMISSION_RULES): PermissionRow[] {
  const rows: PermissionRow[] = [];
  for (const [operation, rule] of Object.entries(rules)) {
    PERMISSION_ROLES.forEach((role, column) => {
      const status = rule.statuses[column];
      const count = role === 'anonymous' || status !== 200 ? undefined : rule.counts?.[column];
      rows.push(count === undefined ? { role, operation, status } : { role, operation, status, count });
    });
  }
  return rows;
}
