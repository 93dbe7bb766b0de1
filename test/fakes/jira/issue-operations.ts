/** Issue changes shared by the platform API, the JSM API and the control API. Each one fires the events Jira fires. */
import { addComment } from './comment-operations';
import type { FakeJiraCore } from './core';
import { platformError } from './errors';
import { applyChanges, cannotBeSet, planChanges } from './field-updates';
import { isRecord, type ChangeItem, type IssueRecord } from './records';
import { DEFAULT_PRIORITY_ID, STATUS_CATEGORIES, type TransitionRecord, type UserRecord } from './seed';

export interface IssueInput {
  fields?: unknown;
  update?: unknown;
  properties?: unknown;
}

function asSection(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isRecord(value)) {
    throw platformError(400, [`'${name}' must be an object.`]);
  }
  return value;
}

function resolveProjectAndType(core: FakeJiraCore, fields: Record<string, unknown>) {
  const errors: Record<string, string> = {};
  const projectRef = fields.project;
  const project = isRecord(projectRef)
    ? core.store.project(String(projectRef.key ?? projectRef.id ?? ''))
    : typeof projectRef === 'string'
      ? core.store.project(projectRef)
      : undefined;
  if (!project) {
    errors.project = 'valid project is required';
  }
  const typeRef = fields.issuetype;
  const type = isRecord(typeRef)
    ? core.store.issueTypes().find((candidate) => candidate.id === typeRef.id || candidate.name === typeRef.name)
    : undefined;
  if (!type || (project && !project.issueTypeIds.includes(type.id))) {
    errors.issuetype = 'valid issue type is required';
  }
  if (!project || !type || Object.keys(errors).length > 0) {
    throw platformError(400, [], errors);
  }
  return { project, type };
}

function parseIssueProperties(properties: unknown): Record<string, unknown> {
  if (properties === undefined || properties === null) {
    return {};
  }
  if (!Array.isArray(properties)) {
    throw platformError(400, ["'properties' must be a list of {key, value} objects."]);
  }
  return Object.fromEntries(properties.filter(isRecord).map((property) => [String(property.key), property.value]));
}

/** Extra state a JSM request sets at creation, outside the create screen. */
export interface RequestOrigin {
  requestTypeId: string;
  reporterId: string;
}

/** Creates an issue from a `POST /rest/api/2/issue` body and fires `jira:issue_created`. */
export function createIssue(core: FakeJiraCore, actor: UserRecord, input: IssueInput, origin?: RequestOrigin): IssueRecord {
  if (!isRecord(input)) {
    throw platformError(400, ["Request body must be a JSON object with 'fields'."]);
  }
  const fields = { ...asSection(input.fields, 'fields') };
  const update = asSection(input.update, 'update');
  const { project, type } = resolveProjectAndType(core, fields);
  delete fields.project;
  delete fields.issuetype;

  const now = core.now();
  const draft: IssueRecord = {
    id: '',
    key: '',
    projectId: project.id,
    issueTypeId: type.id,
    summary: '',
    description: null,
    environment: null,
    duedate: null,
    priorityId: DEFAULT_PRIORITY_ID,
    statusId: project.workflow.initialStatusId,
    resolutionId: null,
    resolutionDate: null,
    statusCategoryChangeDate: now,
    created: now,
    updated: now,
    reporterId: origin?.reporterId ?? actor.accountId,
    assigneeId: null,
    creatorId: actor.accountId,
    labels: [],
    custom: {},
    requestTypeId: origin?.requestTypeId ?? null,
    participantIds: [],
    organizationIds: [],
    properties: parseIssueProperties(input.properties),
    changelog: [],
    firstResponseAt: null,
  };
  if (!('summary' in fields) && !('summary' in update)) {
    throw platformError(400, [], { summary: 'You must specify a summary of the issue.' });
  }

  const view = core.view();
  const plan = planChanges(view, draft, fields, update);
  const items = applyChanges(view, draft, plan.values);
  const status = core.store.status(draft.statusId);
  items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: null, fromString: null, to: status.id, toString: status.name });

  draft.id = core.store.issueIds.take();
  draft.key = core.store.nextIssueKey(project);
  core.store.issues.set(draft.id, draft);
  core.reindex(draft.id);
  core.emit({ kind: 'issue_created', issue: draft, actor, changelog: core.transientHistory(actor, items) });
  for (const comment of plan.comments) {
    addComment(core, actor, draft, comment);
  }
  return draft;
}

/** Applies a `PUT /rest/api/2/issue/{key}` body and fires `jira:issue_updated`. */
export function editIssue(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, input: IssueInput): ChangeItem[] {
  if (!isRecord(input) || (input.fields === undefined && input.update === undefined)) {
    throw platformError(400, ["one of 'fields' or 'update' required"]);
  }
  const view = core.view();
  const plan = planChanges(view, issue, asSection(input.fields, 'fields'), asSection(input.update, 'update'));
  const items = applyChanges(view, issue, plan.values);
  for (const comment of plan.comments) {
    addComment(core, actor, issue, comment);
  }
  if (items.length > 0) {
    core.touch(issue);
  }
  const history = core.recordHistory(issue, actor, items);
  const onlyAssignee = items.length === 1 && items[0].fieldId === 'assignee';
  // With no change Jira still fires the event, without a changelog.
  core.emit({ kind: 'issue_updated', issue, actor, eventTypeName: onlyAssignee ? 'issue_assigned' : 'issue_updated', changelog: history });
  return items;
}

/**
 * Deletes an issue: fires `jira:issue_deleted` with the issue as it was, then
 * Secondary-flow deletions of its comments and attachments.
 */
export function deleteIssue(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord): void {
  core.emit({ kind: 'issue_deleted', issue, actor });
  const comments = core.store.issueComments(issue.id);
  const attachments = core.store.issueAttachments(issue.id);
  for (const link of core.store.issueLinks(issue.id)) {
    core.store.links.delete(link.id);
  }
  for (const comment of comments) {
    core.store.comments.delete(comment.id);
  }
  for (const attachment of attachments) {
    core.store.attachments.delete(attachment.id);
  }
  core.store.issues.delete(issue.id);
  core.reindex(issue.id);
  for (const comment of comments) {
    core.emit({ kind: 'comment_deleted', issue, comment, actor, flow: 'Secondary' });
  }
  for (const attachment of attachments) {
    core.emit({ kind: 'attachment_deleted', issue, attachment, actor, flow: 'Secondary' });
  }
}

/** Returns the transitions available from the issue's current status, in workflow order. */
export function availableTransitions(core: FakeJiraCore, issue: IssueRecord): TransitionRecord[] {
  return core.store.projectOf(issue).workflow.transitions.filter((transition) => transition.from.includes(issue.statusId));
}

function findTransition(core: FakeJiraCore, issue: IssueRecord, reference: unknown): TransitionRecord {
  if (!isRecord(reference) || reference.id === undefined || reference.id === null) {
    throw platformError(400, ["'transition' identifier must be an integer"]);
  }
  const id = String(reference.id);
  if (!/^\d+$/.test(id)) {
    throw platformError(400, ["'transition' identifier must be an integer"]);
  }
  const transition = availableTransitions(core, issue).find((candidate) => candidate.id === id);
  if (!transition) {
    throw platformError(400, [`Transition id '${id}' is not valid for this issue.`]);
  }
  return transition;
}

function resolveResolution(core: FakeJiraCore, transition: TransitionRecord, fields: Record<string, unknown>): string | null | undefined {
  const requested = fields.resolution;
  if (!transition.resolutionScreen) {
    if (requested !== undefined) {
      throw platformError(400, [], { resolution: cannotBeSet('resolution') });
    }
    return transition.setsResolution;
  }
  if (!isRecord(requested)) {
    throw platformError(400, [], { resolution: 'Resolution is required.' });
  }
  const resolution = core.store.resolutions().find((candidate) => candidate.id === requested.id || candidate.name === requested.name);
  if (!resolution) {
    throw platformError(400, [], { resolution: "Specify a valid 'id' or 'name' for Resolution" });
  }
  return resolution.id;
}

/**
 * Performs a `POST /issue/{key}/transitions` body: moves the status, sets or
 * clears the resolution and `resolutiondate`, and fires `jira:issue_updated`
 * with a status changelog (`issue_generic` on Cloud, the workflow's own event
 * type on Data Center).
 */
export function transitionIssue(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, input: unknown): TransitionRecord {
  if (!isRecord(input)) {
    throw platformError(400, ["Missing 'transition' identifier"]);
  }
  const transition = findTransition(core, issue, input.transition);
  const fields = { ...asSection(input.fields, 'fields') };
  const resolutionId = resolveResolution(core, transition, fields);
  delete fields.resolution;

  const view = core.view();
  const plan = planChanges(view, issue, fields, asSection(input.update, 'update'));
  for (const comment of plan.comments) {
    addComment(core, actor, issue, comment);
  }
  const items = applyChanges(view, issue, plan.values);

  const now = core.now();
  const fromStatus = core.store.status(issue.statusId);
  const toStatus = core.store.status(transition.to);
  const statusItem: ChangeItem = {
    field: 'status',
    fieldtype: 'jira',
    fieldId: 'status',
    from: fromStatus.id,
    fromString: fromStatus.name,
    to: toStatus.id,
    toString: toStatus.name,
  };

  const resolutionItems: ChangeItem[] = [];
  if (resolutionId !== undefined && resolutionId !== issue.resolutionId) {
    const before = core.store.resolution(issue.resolutionId);
    const after = core.store.resolution(resolutionId);
    resolutionItems.push({
      field: 'resolution',
      fieldtype: 'jira',
      fieldId: 'resolution',
      from: before?.id ?? null,
      fromString: before?.name ?? null,
      to: after?.id ?? null,
      toString: after?.name ?? null,
    });
    issue.resolutionId = resolutionId;
    issue.resolutionDate = resolutionId === null ? null : now;
  }
  if (STATUS_CATEGORIES[fromStatus.category].id !== STATUS_CATEGORIES[toStatus.category].id) {
    issue.statusCategoryChangeDate = now;
  }
  issue.statusId = toStatus.id;

  // Cloud lists the resolution before the status, Data Center after it.
  const ordered = core.settings.flavour === 'cloud' ? [...resolutionItems, statusItem] : [statusItem, ...resolutionItems];
  core.touch(issue);
  const history = core.recordHistory(issue, actor, [...items, ...ordered]);
  const eventTypeName = core.settings.flavour === 'cloud' ? 'issue_generic' : transition.eventTypeName;
  core.emit({ kind: 'issue_updated', issue, actor, eventTypeName, changelog: history });
  return transition;
}
