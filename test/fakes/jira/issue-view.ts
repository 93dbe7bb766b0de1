/** Renders an issue as `GET /rest/api/2/issue/{key}`, search results and webhook payloads show it. */
import {
  renderAttachment,
  renderComment,
  renderIssueLink,
  renderIssueType,
  renderPriority,
  renderProjectBrief,
  renderResolution,
  renderStatus,
  renderTransition,
  renderWikiAsHtml,
} from './entity-views';
import { renderCustomValue } from './field-values';
import type { FieldDefinition } from './fields';
import { renderRequestTypeField } from './jsm-views';
import type { IssueRecord } from './records';
import { renderSla } from './sla';
import type { ViewContext } from './view-context';

/** Maximum number of comments embedded in `fields.comment`. Callers page `/comment` for the rest. */
// NOTE: the cap Jira Cloud applies to embedded comments is not published. 20 is a guess that makes truncation testable.
export const EMBEDDED_COMMENT_LIMIT = 20;

export const ISSUE_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

/** Issue fields in comment webhook payloads. Cloud sends no others. */
export const COMMENT_EVENT_FIELDS = ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'];

/** Which fields a request asked for, parsed from a `fields` parameter (`*all`, `*navigable`, ids, `-id`). */
export interface FieldSelection {
  all: boolean;
  include: Set<string>;
  exclude: Set<string>;
}

/** Splits a parameter given as a comma-separated string or as a JSON array into trimmed, non-empty items. */
function splitList(raw: unknown): string[] {
  let items: string[] = [];
  if (Array.isArray(raw)) {
    items = raw.map(String);
  } else if (typeof raw === 'string') {
    items = raw.split(',');
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Parses a `fields` parameter. `fallback` applies when it is empty. */
export function parseFieldSelection(raw: unknown, fallback: string): FieldSelection {
  const items = splitList(raw);
  const effective = items.length > 0 ? items : fallback.split(',').filter((item) => item !== '');
  const selection: FieldSelection = { all: false, include: new Set(), exclude: new Set() };
  for (const item of effective) {
    if (item === '*all' || item === '*navigable') {
      selection.all = true;
    } else if (item.startsWith('-')) {
      selection.exclude.add(item.slice(1));
    } else {
      selection.include.add(item);
    }
  }
  return selection;
}

function isSelected(selection: FieldSelection, fieldId: string): boolean {
  if (selection.exclude.has(fieldId)) {
    return false;
  }
  return selection.all || selection.include.has(fieldId);
}

function commentPage(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const comments = ctx.store.issueComments(issue.id);
  const embedded = comments.slice(0, EMBEDDED_COMMENT_LIMIT);
  return {
    comments: embedded.map((comment) => renderComment(ctx, comment)),
    maxResults: embedded.length,
    total: comments.length,
    startAt: 0,
  };
}

function systemFieldValues(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const project = ctx.store.projectOf(issue);
  const type = ctx.store.issueType(issue.issueTypeId);
  const priority = ctx.store.priority(issue.priorityId);
  const resolution = ctx.store.resolution(issue.resolutionId);
  const watchers = ctx.url(`/rest/api/2/issue/${issue.key}/watchers`);
  return {
    statuscategorychangedate: ctx.timestamp(issue.statusCategoryChangeDate),
    issuetype: type ? renderIssueType(ctx, type) : null,
    timespent: null,
    project: renderProjectBrief(ctx, project),
    fixVersions: [],
    aggregatetimespent: null,
    resolution: resolution ? renderResolution(ctx, resolution) : null,
    resolutiondate: ctx.nullableTimestamp(issue.resolutionDate),
    workratio: -1,
    watches: { self: watchers, watchCount: 0, isWatching: false },
    lastViewed: null,
    created: ctx.timestamp(issue.created),
    priority: priority ? renderPriority(ctx, priority) : null,
    labels: issue.labels,
    timeestimate: null,
    aggregatetimeoriginalestimate: null,
    versions: [],
    issuelinks: ctx.store.issueLinks(issue.id).map((link) => renderIssueLink(ctx, link, issue.id)),
    assignee: ctx.userById(issue.assigneeId),
    updated: ctx.timestamp(issue.updated),
    status: renderStatus(ctx, ctx.store.status(issue.statusId)),
    components: [],
    timeoriginalestimate: null,
    description: issue.description,
    timetracking: {},
    security: null,
    aggregatetimeestimate: null,
    attachment: ctx.store.issueAttachments(issue.id).map((attachment) => renderAttachment(ctx, attachment)),
    summary: issue.summary,
    creator: ctx.userById(issue.creatorId),
    subtasks: [],
    reporter: ctx.userById(issue.reporterId),
    aggregateprogress: { progress: 0, total: 0 },
    environment: issue.environment,
    duedate: issue.duedate,
    progress: { progress: 0, total: 0 },
    comment: commentPage(ctx, issue),
    votes: { self: ctx.url(`/rest/api/2/issue/${issue.key}/votes`), votes: 0, hasVoted: false },
    worklog: { startAt: 0, maxResults: 20, total: 0, worklogs: [] },
  };
}

function customFieldValue(ctx: ViewContext, issue: IssueRecord, field: FieldDefinition): unknown {
  switch (field.kind) {
    case 'requesttype':
      return renderRequestTypeField(ctx, issue);
    case 'sla':
      return renderSla(ctx, issue, field);
    default:
      return renderCustomValue(ctx, issue, field);
  }
}

/** Returns every field value of an issue keyed by field id. */
export function renderAllFields(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const values = systemFieldValues(ctx, issue);
  for (const field of ctx.store.catalog.fields) {
    if (field.custom) {
      values[field.id] = customFieldValue(ctx, issue, field);
    }
  }
  return values;
}

/** Renders `fields` restricted to a selection. Unknown field ids are ignored, as Jira does. */
export function renderSelectedFields(ctx: ViewContext, issue: IssueRecord, selection: FieldSelection): Record<string, unknown> {
  const all = renderAllFields(ctx, issue);
  return Object.fromEntries(Object.entries(all).filter(([fieldId]) => isSelected(selection, fieldId)));
}

function renderChangelog(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  return {
    startAt: 0,
    maxResults: issue.changelog.length,
    total: issue.changelog.length,
    histories: issue.changelog.map((history) => ({
      id: history.id,
      author: ctx.userById(history.authorId),
      created: ctx.timestamp(history.created),
      items: history.items,
    })),
  };
}

function renderEditMeta(ctx: ViewContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of ctx.store.catalog.fields.filter((candidate) => candidate.editable)) {
    fields[field.id] = {
      required: field.id === 'summary',
      schema: field.schema,
      name: field.name,
      key: field.id,
      operations: field.kind === 'labels' || field.kind === 'participants' ? ['add', 'set', 'remove'] : ['set'],
      ...(field.options ? { allowedValues: field.options.map((option) => ({ ...option, self: ctx.url(`/rest/api/2/customFieldOption/${option.id}`) })) } : {}),
    };
  }
  return { fields };
}

export interface IssueRenderOptions {
  selection: FieldSelection;
  expand?: ReadonlySet<string>;
  /** Keys of issue properties to include, or `*all`. */
  properties?: string[];
}

/** Renders a whole issue with its `fields` and the sections that `expand` requests. */
export function renderIssue(ctx: ViewContext, issue: IssueRecord, options: IssueRenderOptions): Record<string, unknown> {
  const expand = options.expand ?? new Set<string>();
  const fields = renderSelectedFields(ctx, issue, options.selection);
  const rendered: Record<string, unknown> = {
    expand: ISSUE_EXPAND,
    id: issue.id,
    self: ctx.url(`/rest/api/2/issue/${issue.id}`),
    key: issue.key,
    fields,
  };
  if (expand.has('renderedFields')) {
    rendered.renderedFields = {
      description: renderWikiAsHtml(issue.description),
      environment: renderWikiAsHtml(issue.environment),
      comment: {
        comments: ctx.store.issueComments(issue.id).map((comment) => renderComment(ctx, comment, { withRenderedBody: true })),
      },
    };
  }
  if (expand.has('names')) {
    rendered.names = Object.fromEntries(Object.keys(fields).map((id) => [id, ctx.store.catalog.byId(id)?.name ?? id]));
  }
  if (expand.has('schema')) {
    rendered.schema = Object.fromEntries(
      Object.keys(fields)
        .map((id) => [id, ctx.store.catalog.byId(id)?.schema])
        .filter(([, schema]) => schema !== undefined),
    );
  }
  if (expand.has('transitions')) {
    const workflow = ctx.store.projectOf(issue).workflow;
    rendered.transitions = workflow.transitions
      .filter((transition) => transition.from.includes(issue.statusId))
      .map((transition) => renderTransition(ctx, transition, false));
  }
  if (expand.has('changelog')) {
    rendered.changelog = renderChangelog(ctx, issue);
  }
  if (expand.has('editmeta')) {
    rendered.editmeta = renderEditMeta(ctx);
  }
  if (options.properties && options.properties.length > 0) {
    const requestedKeys = options.properties;
    rendered.properties = Object.fromEntries(
      Object.entries(issue.properties).filter(([key]) => requestedKeys.includes('*all') || requestedKeys.includes(key)),
    );
  }
  return rendered;
}

/** Parses an `expand` parameter given as a comma-separated string or an array. */
export function parseExpand(raw: unknown): Set<string> {
  return new Set(splitList(raw));
}
