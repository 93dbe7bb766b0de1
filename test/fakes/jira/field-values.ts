/**
 * Conversion of field values between the wire and the store: validating the
 * write shapes of create and edit, rendering the read shapes of `GET issue`,
 * and the `from`/`fromString` pairs of changelog items.
 */
import { parseDateOnly, parseJiraTimestamp } from './dates';
import type { FieldDefinition } from './fields';
import { isRecord, type IssueRecord } from './records';
import type { UserRecord } from './seed';
import type { ViewContext } from './view-context';

const SUMMARY_MAX_LENGTH = 255;
const TEXTFIELD_MAX_LENGTH = 255;

/** A validation failure of one field, collected into `errors.<fieldId>` of a 400 response. */
export class FieldValueError extends Error {
  constructor(
    readonly fieldId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the stored value of an editable field. */
export function getStoredValue(issue: IssueRecord, field: FieldDefinition): unknown {
  switch (field.id) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description;
    case 'environment':
      return issue.environment;
    case 'priority':
      return issue.priorityId;
    case 'labels':
      return issue.labels;
    case 'assignee':
      return issue.assigneeId;
    case 'reporter':
      return issue.reporterId;
    case 'duedate':
      return issue.duedate;
  }
  if (field.kind === 'participants') {
    return issue.participantIds;
  }
  if (field.kind === 'organizations') {
    return issue.organizationIds;
  }
  return issue.custom[field.id] ?? null;
}

/** Writes a value already normalised by `normaliseValue`. */
export function setStoredValue(issue: IssueRecord, field: FieldDefinition, value: unknown): void {
  switch (field.id) {
    case 'summary':
      issue.summary = value as string;
      return;
    case 'description':
      issue.description = value as string | null;
      return;
    case 'environment':
      issue.environment = value as string | null;
      return;
    case 'priority':
      issue.priorityId = value as string | null;
      return;
    case 'labels':
      issue.labels = value as string[];
      return;
    case 'assignee':
      issue.assigneeId = value as string | null;
      return;
    case 'reporter':
      issue.reporterId = value as string | null;
      return;
    case 'duedate':
      issue.duedate = value as string | null;
      return;
  }
  if (field.kind === 'participants') {
    issue.participantIds = value as string[];
  } else if (field.kind === 'organizations') {
    issue.organizationIds = value as string[];
  } else if (value === null) {
    delete issue.custom[field.id];
  } else {
    issue.custom[field.id] = value;
  }
}

/** Resolves a user reference in write shape: `{accountId}` on Cloud, `{name}` or `{key}` on Data Center. */
export function resolveUserReference(ctx: ViewContext, field: FieldDefinition, value: unknown): UserRecord {
  if (!isRecord(value)) {
    throw new FieldValueError(field.id, `Specify a valid user for ${field.name}.`);
  }
  const reference = ctx.isCloud ? (value.accountId ?? value.id) : (value.name ?? value.key);
  if (typeof reference !== 'string') {
    const expected = ctx.isCloud ? 'accountId' : 'name';
    throw new FieldValueError(field.id, `Specify the user's '${expected}' for ${field.name}.`);
  }
  const user = ctx.isCloud ? ctx.store.user(reference) : [...ctx.store.users.values()].find((u) => u.name === reference || u.key === reference);
  if (!user) {
    throw new FieldValueError(field.id, `User '${reference}' does not exist.`);
  }
  return user;
}

function normaliseText(field: FieldDefinition, value: unknown): string | null {
  if (value === null) {
    if (field.id === 'summary') {
      throw new FieldValueError(field.id, 'You must specify a summary of the issue.');
    }
    return null;
  }
  if (typeof value !== 'string') {
    throw new FieldValueError(field.id, 'Operation value must be a string');
  }
  if (field.id === 'summary') {
    if (value.trim() === '') {
      throw new FieldValueError(field.id, 'You must specify a summary of the issue.');
    }
    if (value.length > SUMMARY_MAX_LENGTH) {
      throw new FieldValueError(field.id, `Summary must be less than ${SUMMARY_MAX_LENGTH} characters.`);
    }
  } else if (field.kind === 'text' && field.custom && value.length > TEXTFIELD_MAX_LENGTH) {
    throw new FieldValueError(field.id, `The entered text is too long. It exceeds the allowed limit of ${TEXTFIELD_MAX_LENGTH} characters.`);
  }
  return field.kind === 'textarea' && value === '' ? null : value;
}

function normaliseOption(field: FieldDefinition, value: unknown): string {
  const options = field.options ?? [];
  if (isRecord(value) && typeof value.id === 'string') {
    const option = options.find((candidate) => candidate.id === value.id);
    if (!option) {
      throw new FieldValueError(field.id, `Option id '${value.id}' is not valid`);
    }
    return option.id;
  }
  if (isRecord(value) && typeof value.value === 'string') {
    const option = options.find((candidate) => candidate.value === value.value);
    if (!option) {
      throw new FieldValueError(field.id, `Option value '${value.value}' is not valid`);
    }
    return option.id;
  }
  throw new FieldValueError(field.id, `Specify a valid 'id' or 'value' for ${field.name}`);
}

function normalisePriority(ctx: ViewContext, field: FieldDefinition, value: unknown): string {
  const priorities = ctx.store.priorities();
  if (isRecord(value)) {
    const match = priorities.find((priority) => priority.id === value.id || priority.name === value.name);
    if (match) {
      return match.id;
    }
  }
  throw new FieldValueError(field.id, "Specify a valid 'id' or 'name' for Priority");
}

function normaliseLabels(field: FieldDefinition, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((label) => typeof label !== 'string')) {
    throw new FieldValueError(field.id, 'Operation value must be an array of strings');
  }
  for (const label of value as string[]) {
    if (/\s/.test(label)) {
      throw new FieldValueError(field.id, `The label '${label}' contains spaces which is invalid.`);
    }
  }
  return [...new Set(value as string[])];
}

function normaliseUserList(ctx: ViewContext, field: FieldDefinition, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new FieldValueError(field.id, `Specify a list of users for ${field.name}.`);
  }
  return [...new Set(value.map((item) => resolveUserReference(ctx, field, item).accountId))];
}

function normaliseOrganizations(ctx: ViewContext, field: FieldDefinition, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new FieldValueError(field.id, 'Specify a list of organization ids.');
  }
  return value.map((item) => {
    const id = String(item);
    if (!ctx.store.organizations.has(id)) {
      throw new FieldValueError(field.id, `Organization with id '${id}' does not exist.`);
    }
    return id;
  });
}

/**
 * Validates a value in write shape and converts it to stored form. Throws
 * `FieldValueError` with a Jira-style message.
 * NOTE: Jira's exact wording of most of these messages is not published. Only
 * the summary messages come from public reports.
 */
export function normaliseValue(ctx: ViewContext, field: FieldDefinition, value: unknown, assignable = true): unknown {
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return normaliseText(field, value);
    case 'select':
    case 'radio':
      return value === null ? null : normaliseOption(field, value);
    case 'priority':
      return value === null ? null : normalisePriority(ctx, field, value);
    case 'labels':
      return value === null ? [] : normaliseLabels(field, value);
    case 'user': {
      if (value === null) {
        return null;
      }
      const user = resolveUserReference(ctx, field, value);
      if (field.id === 'assignee' && assignable && !user.assignable) {
        throw new FieldValueError(field.id, `User '${user.displayName}' cannot be assigned issues.`);
      }
      return user.accountId;
    }
    case 'participants':
      return value === null ? [] : normaliseUserList(ctx, field, value);
    case 'organizations':
      return value === null ? [] : normaliseOrganizations(ctx, field, value);
    case 'number':
      if (value !== null && typeof value !== 'number') {
        throw new FieldValueError(field.id, 'Operation value must be a number');
      }
      return value;
    case 'date':
      if (value !== null && (typeof value !== 'string' || parseDateOnly(value) === null)) {
        throw new FieldValueError(field.id, `Error parsing date string: ${String(value)}`);
      }
      return value;
    case 'datetime': {
      if (value === null) {
        return null;
      }
      const ms = typeof value === 'string' ? parseJiraTimestamp(value) : null;
      if (ms === null) {
        throw new FieldValueError(field.id, `Error parsing date string: ${String(value)}`);
      }
      return ms;
    }
    default:
      throw new FieldValueError(field.id, `Field '${field.id}' cannot be set. It is not on the appropriate screen, or unknown.`);
  }
}

function userIdentity(ctx: ViewContext, accountId: string): string {
  const user = ctx.store.user(accountId);
  return ctx.isCloud || !user ? accountId : user.name;
}

/** Returns the `[raw, display]` pair a changelog item shows for a stored value. */
export function describeStoredValue(ctx: ViewContext, field: FieldDefinition, stored: unknown): [string | null, string | null] {
  if (stored === null || stored === undefined || (Array.isArray(stored) && stored.length === 0)) {
    return [null, null];
  }
  switch (field.kind) {
    case 'select':
    case 'radio':
      return [String(stored), field.options?.find((option) => option.id === stored)?.value ?? null];
    case 'priority':
      return [String(stored), ctx.store.priority(String(stored))?.name ?? null];
    case 'user':
      return [userIdentity(ctx, String(stored)), ctx.store.user(String(stored))?.displayName ?? null];
    case 'participants': {
      const ids = stored as string[];
      return [ids.map((id) => userIdentity(ctx, id)).join(', '), ids.map((id) => ctx.store.user(id)?.displayName ?? id).join(', ')];
    }
    case 'organizations': {
      const ids = stored as string[];
      return [ids.join(', '), ids.map((id) => ctx.store.organizations.get(id)?.name ?? id).join(', ')];
    }
    case 'labels':
      return [null, (stored as string[]).join(' ')];
    case 'datetime':
      return [String(stored), ctx.timestamp(Number(stored))];
    case 'number':
    case 'date':
      return [String(stored), String(stored)];
    default:
      return [null, String(stored)];
  }
}

function renderOption(ctx: ViewContext, field: FieldDefinition, optionId: string): Record<string, unknown> | null {
  const option = field.options?.find((candidate) => candidate.id === optionId);
  return option ? { self: ctx.url(`/rest/api/2/customFieldOption/${option.id}`), value: option.value, id: option.id } : null;
}

/** Renders a plain custom field in read shape. Request type and SLA fields are rendered by the issue view. */
export function renderCustomValue(ctx: ViewContext, issue: IssueRecord, field: FieldDefinition): unknown {
  const stored = getStoredValue(issue, field);
  switch (field.kind) {
    case 'select':
    case 'radio':
      return stored === null ? null : renderOption(ctx, field, String(stored));
    case 'user':
      return stored === null ? null : ctx.userById(String(stored));
    case 'participants':
      return (stored as string[]).map((id) => ctx.userById(id)).filter((user) => user !== null);
    case 'organizations':
      return (stored as string[]).map((id) => ({
        id,
        name: ctx.store.organizations.get(id)?.name ?? id,
        _links: { self: ctx.url(`/rest/servicedeskapi/organization/${id}`) },
      }));
    case 'datetime':
      return stored === null ? null : ctx.timestamp(Number(stored));
    default:
      return stored ?? null;
  }
}
