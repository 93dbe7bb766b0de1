/**
 * How JQL treats each field: as a set of names to match (`=`, `IN`), as text
 * for `~`, or as a date or number to compare. Unknown values of fields with a
 * fixed domain (project, status, issue keys) fail the query, as in Jira.
 */
import type { FakeJiraCore } from './core';
import { getStoredValue } from './field-values';
import type { FieldDefinition } from './fields';
import { JqlError } from './jql-parser';
import type { IssueRecord } from './records';
import { STATUS_CATEGORIES, type UserRecord } from './seed';

export type FieldAccessor =
  | { kind: 'identity'; name: string; values: (issue: IssueRecord) => string[]; validate: (value: string) => void }
  | { kind: 'text'; name: string; text: (issue: IssueRecord) => string | null }
  | { kind: 'date'; name: string; value: (issue: IssueRecord) => number | null }
  | { kind: 'number'; name: string; value: (issue: IssueRecord) => number | null };

/** Literal that matches issues without a resolution in `resolution = Unresolved`. */
export const UNRESOLVED = 'unresolved';

function lower(values: Array<string | null | undefined>): string[] {
  return values.filter((value): value is string => typeof value === 'string').map((value) => value.toLowerCase());
}

function noValidation(): void {}

function domainValidator(name: string, domain: () => string[]) {
  return (value: string) => {
    if (!domain().includes(value.toLowerCase())) {
      throw new JqlError(`The value '${value}' does not exist for the field '${name}'.`);
    }
  };
}

function userMatches(user: UserRecord | undefined): string[] {
  return user ? lower([user.accountId, user.name, user.key, user.emailAddress]) : [];
}

function userAccessor(core: FakeJiraCore, name: string, ids: (issue: IssueRecord) => string[]): FieldAccessor {
  return {
    kind: 'identity',
    name,
    values: (issue) => ids(issue).flatMap((id) => userMatches(core.store.user(id))),
    validate: domainValidator(name, () => [...core.store.users.values()].flatMap((user) => userMatches(user))),
  };
}

function dateAccessor(name: string, value: (issue: IssueRecord) => number | null): FieldAccessor {
  return { kind: 'date', name, value };
}

function systemAccessor(core: FakeJiraCore, name: string): FieldAccessor | undefined {
  const store = core.store;
  switch (name.toLowerCase()) {
    case 'project':
      return {
        kind: 'identity',
        name: 'project',
        values: (issue) => {
          const project = store.projectOf(issue);
          return lower([project.key, project.id, project.name]);
        },
        validate: domainValidator('project', () => store.projects().flatMap((project) => lower([project.key, project.id, project.name]))),
      };
    case 'key':
    case 'issuekey':
    case 'issue':
    case 'id':
      return {
        kind: 'identity',
        name: name.toLowerCase(),
        values: (issue) => lower([issue.key, issue.id]),
        validate: (value) => {
          if (!store.findIssue(value)) {
            throw new JqlError(`An issue with key '${value}' does not exist for field '${name.toLowerCase()}'.`);
          }
        },
      };
    case 'summary':
    case 'description':
    case 'environment': {
      const field = name.toLowerCase() as 'summary' | 'description' | 'environment';
      return { kind: 'text', name: field, text: (issue) => issue[field] };
    }
    case 'comment':
      return { kind: 'text', name: 'comment', text: (issue) => store.issueComments(issue.id).map((comment) => comment.body).join('\n') };
    case 'text':
      return {
        kind: 'text',
        name: 'text',
        text: (issue) => [issue.summary, issue.description, issue.environment, ...store.issueComments(issue.id).map((c) => c.body)].join('\n'),
      };
    case 'status':
      return {
        kind: 'identity',
        name: 'status',
        values: (issue) => {
          const status = store.status(issue.statusId);
          return lower([status.id, status.name]);
        },
        validate: domainValidator('status', () => store.statuses().flatMap((status) => lower([status.id, status.name]))),
      };
    case 'statuscategory': {
      const names = (key: keyof typeof STATUS_CATEGORIES) => {
        const category = STATUS_CATEGORIES[key];
        return lower([category.key, category.name, String(category.id)]);
      };
      return {
        kind: 'identity',
        name: 'statusCategory',
        values: (issue) => names(store.status(issue.statusId).category),
        validate: domainValidator('statusCategory', () => (['new', 'indeterminate', 'done'] as const).flatMap(names)),
      };
    }
    case 'resolution':
      return {
        kind: 'identity',
        name: 'resolution',
        values: (issue) => {
          const resolution = store.resolution(issue.resolutionId);
          return resolution ? lower([resolution.id, resolution.name]) : [];
        },
        validate: domainValidator('resolution', () => [UNRESOLVED, ...store.resolutions().flatMap((r) => lower([r.id, r.name]))]),
      };
    case 'priority':
      return {
        kind: 'identity',
        name: 'priority',
        values: (issue) => {
          const priority = store.priority(issue.priorityId);
          return priority ? lower([priority.id, priority.name]) : [];
        },
        validate: domainValidator('priority', () => store.priorities().flatMap((p) => lower([p.id, p.name]))),
      };
    case 'issuetype':
    case 'type':
      return {
        kind: 'identity',
        name: 'issuetype',
        values: (issue) => {
          const type = store.issueType(issue.issueTypeId);
          return type ? lower([type.id, type.name]) : [];
        },
        validate: domainValidator('issuetype', () => store.issueTypes().flatMap((type) => lower([type.id, type.name]))),
      };
    case 'assignee':
      return userAccessor(core, 'assignee', (issue) => (issue.assigneeId ? [issue.assigneeId] : []));
    case 'reporter':
      return userAccessor(core, 'reporter', (issue) => (issue.reporterId ? [issue.reporterId] : []));
    case 'creator':
      return userAccessor(core, 'creator', (issue) => [issue.creatorId]);
    case 'labels':
      return { kind: 'identity', name: 'labels', values: (issue) => lower(issue.labels), validate: noValidation };
    case 'created':
    case 'createddate':
      return dateAccessor('created', (issue) => issue.created);
    case 'updated':
    case 'updateddate':
      return dateAccessor('updated', (issue) => issue.updated);
    case 'resolved':
    case 'resolutiondate':
      return dateAccessor('resolved', (issue) => issue.resolutionDate);
    case 'statuscategorychangeddate':
      return dateAccessor('statusCategoryChangedDate', (issue) => issue.statusCategoryChangeDate);
    case 'due':
    case 'duedate':
      return dateAccessor('due', (issue) => (issue.duedate ? Date.parse(`${issue.duedate}T00:00:00Z`) : null));
    default:
      return undefined;
  }
}

function customAccessor(core: FakeJiraCore, field: FieldDefinition, name: string): FieldAccessor {
  const stored = (issue: IssueRecord) => getStoredValue(issue, field);
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return { kind: 'text', name, text: (issue) => (stored(issue) as string | null) ?? null };
    case 'select':
    case 'radio': {
      const optionNames = (id: unknown) => {
        const option = field.options?.find((candidate) => candidate.id === id);
        return option ? lower([option.id, option.value]) : [];
      };
      return {
        kind: 'identity',
        name,
        values: (issue) => optionNames(stored(issue)),
        validate: (value) => {
          if (!field.options?.some((option) => lower([option.id, option.value]).includes(value.toLowerCase()))) {
            throw new JqlError(`The option '${value}' for field '${name}' does not exist.`);
          }
        },
      };
    }
    case 'user':
      return userAccessor(core, name, (issue) => (stored(issue) ? [String(stored(issue))] : []));
    case 'participants':
      return userAccessor(core, name, (issue) => issue.participantIds);
    case 'organizations':
      return {
        kind: 'identity',
        name,
        values: (issue) => issue.organizationIds.flatMap((id) => lower([id, core.store.organizations.get(id)?.name])),
        validate: noValidation,
      };
    case 'requesttype':
      return {
        kind: 'identity',
        name,
        values: (issue) => {
          const type = core.store.requestTypes.find((candidate) => candidate.id === issue.requestTypeId);
          return type ? lower([type.id, type.name]) : [];
        },
        validate: domainValidator(name, () => core.store.requestTypes.flatMap((type) => lower([type.id, type.name]))),
      };
    case 'number':
      return { kind: 'number', name, value: (issue) => (stored(issue) as number | null) ?? null };
    case 'datetime':
      return dateAccessor(name, (issue) => (stored(issue) as number | null) ?? null);
    default:
      throw new JqlError(`Field '${name}' cannot be searched in this fake.`);
  }
}

/**
 * Resolves a JQL field name: system clause names first, then custom fields by
 * `cf[NNNNN]` or by name. A custom field that shares a system field's name
 * (such as the custom "Project") is reachable only through `cf[NNNNN]`.
 */
export function resolveFieldAccessor(core: FakeJiraCore, name: string): FieldAccessor {
  const system = systemAccessor(core, name);
  if (system) {
    return system;
  }
  const custom = core.store.catalog.byClauseName(name).find((field) => field.custom);
  if (custom) {
    return customAccessor(core, custom, name);
  }
  throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
}
