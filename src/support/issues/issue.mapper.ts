import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import type { SupportBackend } from '../backends/support-backend';
import { syncStateName } from '../common/sync-state';
import { isStaffOrSupport } from '../common/support-roles';
import { IssueStatusType } from '../statuses/issue-status.entity';
import type { Issue } from './issue.entity';

/** What an issue representation depends on besides the issue itself. */
export interface IssueViewContext {
  urls: ApiUrls;
  viewer: User;
  /** Issue-status table: status name to type; decides `resolved`. */
  statusTypes: ReadonlyMap<string, IssueStatusType>;
  /** The backend active for this request; its flags apply only to issues it serves. */
  backend: SupportBackend;
}

export interface NestedFeedbackResponse {
  evaluation: number;
  evaluation_number: number;
  comment: string;
  state: string;
}

export interface IssueResponse {
  url: string;
  uuid: string;
  type: string;
  key: string;
  backend_id: string | null;
  backend_name: string | null;
  remote_id: string | null;
  link?: string;
  summary: string;
  description: string;
  status: string;
  resolution: string;
  priority: string;
  caller: string | null;
  caller_uuid: string | null;
  caller_full_name: string | null;
  reporter: string | null;
  reporter_uuid: string | null;
  reporter_name: string | null;
  assignee: string | null;
  assignee_uuid: string | null;
  assignee_name: string | null;
  customer: string | null;
  customer_uuid: string | null;
  customer_name: string | null;
  project: string | null;
  project_uuid: string | null;
  project_name: string | null;
  resource: string | null;
  resource_type: string | null;
  resource_name: string | null;
  created: Date;
  modified: Date;
  first_response_sla: Date | null;
  template: string | null;
  feedback: NestedFeedbackResponse | null;
  resolved: boolean | null;
  update_is_available: boolean;
  destroy_is_available: boolean;
  add_comment_is_available: boolean;
  add_attachment_is_available: boolean;
  processing_log?: Record<string, unknown>;
  order_uuid: string | null;
  order_project_uuid: string | null;
  order_customer_uuid: string | null;
  order_resource_name: string | null;
}

/**
 * Renders an issue as Waldur's `Issue` schema. Related objects come with their `*_uuid`
 * and `*_name` companions, null when absent. `link` is shown to staff and support only and
 * `processing_log` to staff only. The issue must be loaded with its to-one relations.
 */
export function toIssueResponse(issue: Issue, context: IssueViewContext): IssueResponse {
  const { urls, viewer, backend } = context;
  const served = !issue.backendName || issue.backendName === backend.name;
  const response: IssueResponse = {
    url: urls.detail('support-issues', issue.uuid),
    uuid: formatUuid(issue.uuid),
    type: issue.type ?? '',
    key: issue.key,
    backend_id: issue.backendId,
    backend_name: issue.backendName,
    remote_id: issue.remoteId,
    summary: issue.summary,
    description: issue.description ?? '',
    status: issue.status,
    resolution: issue.resolution,
    priority: issue.priority,
    caller: urls.optionalDetail('users', issue.caller?.uuid),
    caller_uuid: optionalUuid(issue.caller?.uuid),
    caller_full_name: issue.caller ? issue.caller.fullName : null,
    reporter: urls.optionalDetail('support-users', issue.reporter?.uuid),
    reporter_uuid: optionalUuid(issue.reporter?.uuid),
    reporter_name: issue.reporter ? issue.reporter.name : null,
    assignee: urls.optionalDetail('support-users', issue.assignee?.uuid),
    assignee_uuid: optionalUuid(issue.assignee?.uuid),
    assignee_name: issue.assignee ? issue.assignee.name : null,
    customer: urls.optionalDetail('customers', issue.customer?.uuid),
    customer_uuid: optionalUuid(issue.customer?.uuid),
    customer_name: issue.customer ? issue.customer.name : null,
    project: urls.optionalDetail('projects', issue.project?.uuid),
    project_uuid: optionalUuid(issue.project?.uuid),
    project_name: issue.project ? issue.project.name : null,
    resource: urls.optionalDetail('marketplace-resources', issue.resource?.uuid),
    resource_type: issue.resource ? issue.resource.resourceType : null,
    resource_name: issue.resource ? issue.resource.name : null,
    created: issue.created,
    modified: issue.modified,
    first_response_sla: issue.firstResponseSla,
    template: urls.optionalDetail('support-templates', issue.template?.uuid),
    feedback: issue.feedback
      ? {
          evaluation: issue.feedback.evaluation,
          evaluation_number: issue.feedback.evaluation,
          comment: issue.feedback.comment,
          state: syncStateName(issue.feedback.state),
        }
      : null,
    resolved: resolvedFromStatus(issue.status, context.statusTypes),
    update_is_available: served && backend.updateIsAvailable(issue),
    destroy_is_available: served && backend.destroyIsAvailable(issue),
    add_comment_is_available: served && backend.commentCreateIsAvailable(issue),
    add_attachment_is_available: served && backend.attachmentCreateIsAvailable(issue),
    order_uuid: null,
    order_project_uuid: null,
    order_customer_uuid: null,
    order_resource_name: null,
  };
  if (isStaffOrSupport(viewer)) response.link = issue.link;
  // NOTE: no processing log is recorded yet; staff get an empty one, as the schema lists the field.
  if (viewer.isStaff) response.processing_log = {};
  return response;
}

/** True for a RESOLVED status, false for a CANCELED one, null for active or unknown names. */
export function resolvedFromStatus(status: string, statusTypes: ReadonlyMap<string, IssueStatusType>): boolean | null {
  const type = statusTypes.get(status);
  if (type === IssueStatusType.RESOLVED) return true;
  if (type === IssueStatusType.CANCELED) return false;
  return null;
}

function optionalUuid(uuid: string | undefined): string | null {
  return uuid ? formatUuid(uuid) : null;
}
