/** JSON renderers of Service Management objects: service desks, request types, customer requests, JSM comments. */
import { isCommentPublic, renderWikiAsHtml } from './entity-views';
import { renderSla } from './sla';
import type { FakeJiraSettings } from './options';
import type { CommentRecord, IssueRecord, OrganizationRecord } from './records';
import type { RequestTypeRecord, ServiceDeskRecord } from './seed';
import type { ViewContext } from './view-context';

export function renderServiceDesk(ctx: ViewContext, desk: ServiceDeskRecord): Record<string, unknown> {
  return {
    id: desk.id,
    projectId: desk.projectId,
    projectName: desk.projectName,
    projectKey: desk.projectKey,
    _links: { self: ctx.url(`/rest/servicedeskapi/servicedesk/${desk.id}`) },
  };
}

/** Field ids on a request type's form: its seeded fields, and Labels when `labelsOnRequestForms` is set. */
export function requestFormFieldIds(settings: Pick<FakeJiraSettings, 'labelsOnRequestForms'>, type: RequestTypeRecord): string[] {
  return settings.labelsOnRequestForms ? [...type.fieldIds, 'labels'] : type.fieldIds;
}

export function renderRequestType(ctx: ViewContext, type: RequestTypeRecord): Record<string, unknown> {
  const icon = (size: string) => ctx.url(`/secure/viewavatar?avatarType=SD_REQTYPE&size=${size}&avatarId=10500`);
  return {
    _expands: ['field'],
    id: type.id,
    _links: { self: ctx.url(`/rest/servicedeskapi/servicedesk/${type.serviceDeskId}/requesttype/${type.id}`) },
    name: type.name,
    description: type.description,
    helpText: type.helpText,
    ...(ctx.settings.requestTypesWithoutIssueTypeId ? {} : { issueTypeId: type.issueTypeId }),
    serviceDeskId: type.serviceDeskId,
    portalId: ctx.store.serviceDesk(type.serviceDeskId)?.portalId ?? type.serviceDeskId,
    groupIds: type.groupIds,
    icon: {
      id: '10500',
      _links: { iconUrls: { '48x48': icon('large'), '24x24': icon('small'), '16x16': icon('xsmall'), '32x32': icon('medium') } },
    },
  };
}

export function renderOrganization(ctx: ViewContext, organization: OrganizationRecord): Record<string, unknown> {
  return {
    id: organization.id,
    name: organization.name,
    _links: { self: ctx.url(`/rest/servicedeskapi/organization/${organization.id}`) },
  };
}

/** Time of the last status change: the newest changelog entry touching `status`, else creation. */
export function statusChangedAt(issue: IssueRecord): number {
  for (let index = issue.changelog.length - 1; index >= 0; index--) {
    const history = issue.changelog[index];
    if (history.items.some((item) => item.fieldId === 'status')) {
      return history.created;
    }
  }
  return issue.created;
}

export function renderCurrentStatus(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const status = ctx.store.status(issue.statusId);
  return {
    status: status.name,
    statusCategory: status.category.toUpperCase(),
    statusDate: ctx.jsmDate(statusChangedAt(issue)),
  };
}

function requestLinks(ctx: ViewContext, issue: IssueRecord): Record<string, string> {
  const desk = ctx.store.serviceDeskOfProject(issue.projectId);
  return {
    jiraRest: ctx.url(`/rest/api/2/issue/${issue.id}`),
    web: ctx.url(`/servicedesk/customer/portal/${desk?.portalId ?? '1'}/${issue.key}`),
    self: ctx.url(`/rest/servicedeskapi/request/${issue.id}`),
  };
}

/** Value of the "Request Type" custom field (`vp-origin`), or null for issues not raised as requests. */
export function renderRequestTypeField(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> | null {
  const type = ctx.store.requestTypes.find((candidate) => candidate.id === issue.requestTypeId);
  if (!type) {
    return null;
  }
  return {
    _links: { ...requestLinks(ctx, issue), agent: ctx.url(`/browse/${issue.key}`) },
    requestType: renderRequestType(ctx, type),
    currentStatus: renderCurrentStatus(ctx, issue),
  };
}

function requestFieldValues(ctx: ViewContext, issue: IssueRecord, type: RequestTypeRecord | undefined): unknown[] {
  const values: unknown[] = [{ fieldId: 'summary', label: 'Summary', value: issue.summary }];
  if (issue.description !== null) {
    values.push({
      fieldId: 'description',
      label: 'Description',
      value: issue.description,
      renderedValue: { html: renderWikiAsHtml(issue.description) },
    });
  }
  for (const fieldId of type ? requestFormFieldIds(ctx.settings, type) : []) {
    const field = ctx.store.catalog.byId(fieldId);
    if (!field || fieldId === 'summary' || fieldId === 'description') {
      continue;
    }
    if (fieldId === 'labels') {
      values.push({ fieldId, label: field.name, value: issue.labels });
    } else if (fieldId === 'priority') {
      const priority = ctx.store.priority(issue.priorityId);
      values.push({ fieldId, label: field.name, value: priority ? { self: ctx.url(`/rest/api/2/priority/${priority.id}`), name: priority.name, id: priority.id } : null });
    } else {
      values.push({ fieldId, label: field.name, value: issue.custom[fieldId] ?? null });
    }
  }
  return values;
}

/** Renders a customer request as `GET /rest/servicedeskapi/request/{key}` does. `expand` adds participants, SLAs and so on. */
export function renderCustomerRequest(ctx: ViewContext, issue: IssueRecord, expand: ReadonlySet<string>): Record<string, unknown> {
  const type = ctx.store.requestTypes.find((candidate) => candidate.id === issue.requestTypeId);
  const desk = ctx.store.serviceDeskOfProject(issue.projectId);
  const reporter = ctx.store.user(issue.reporterId);
  const rendered: Record<string, unknown> = {
    _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
    issueId: issue.id,
    issueKey: issue.key,
    requestTypeId: issue.requestTypeId ?? '',
    serviceDeskId: desk?.id ?? '',
    createdDate: ctx.jsmDate(issue.created),
    reporter: reporter ? ctx.jsmUser(reporter) : null,
    requestFieldValues: requestFieldValues(ctx, issue, type),
    currentStatus: renderCurrentStatus(ctx, issue),
    _links: requestLinks(ctx, issue),
  };
  if (expand.has('participant')) {
    const participants = issue.participantIds.map((id) => ctx.store.user(id)).filter((user) => user !== undefined);
    rendered.participants = ctx.jsmPage(
      participants.map((user) => ctx.jsmUser(user)),
      0,
      50,
      true,
      `/rest/servicedeskapi/request/${issue.key}/participant`,
    );
  }
  if (expand.has('requestType') && type) {
    rendered.requestType = renderRequestType(ctx, type);
  }
  if (expand.has('serviceDesk') && desk) {
    rendered.serviceDesk = renderServiceDesk(ctx, desk);
  }
  if (expand.has('sla')) {
    const slas = ctx.store.catalog.slaFields().map((field) => renderSla(ctx, issue, field)).filter((sla) => sla !== null);
    rendered.sla = ctx.jsmPage(slas, 0, 50, true, `/rest/servicedeskapi/request/${issue.key}/sla`);
  }
  return rendered;
}

export function renderJsmComment(ctx: ViewContext, comment: CommentRecord, withRenderedBody = false): Record<string, unknown> {
  const author = ctx.store.user(comment.authorId);
  return {
    _expands: ['attachment', 'renderedBody'],
    id: comment.id,
    body: comment.body,
    ...(withRenderedBody ? { renderedBody: { html: renderWikiAsHtml(comment.body) } } : {}),
    public: isCommentPublic(comment),
    author: author ? ctx.jsmUser(author) : null,
    created: ctx.jsmDate(comment.created),
    _links: { self: ctx.url(`/rest/servicedeskapi/request/${comment.issueId}/comment/${comment.id}`) },
  };
}
