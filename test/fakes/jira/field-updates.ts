/**
 * Validation of the `fields` and `update` sections of create and edit bodies.
 * Every value is checked before anything is written, so a 400 leaves the
 * issue unchanged, as in Jira.
 */
import { platformError } from './errors';
import { describeStoredValue, FieldValueError, getStoredValue, normaliseValue, setStoredValue } from './field-values';
import type { FieldDefinition } from './fields';
import { isRecord, type ChangeItem, type IssueRecord } from './records';
import type { ViewContext } from './view-context';

/** A comment requested through `update.comment[].add`. */
export interface CommentRequest {
  body: unknown;
  visibility?: unknown;
  properties?: unknown;
}

export interface PlannedChanges {
  values: Map<FieldDefinition, unknown>;
  comments: CommentRequest[];
}

export function cannotBeSet(fieldId: string): string {
  return `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

function listItem(ctx: ViewContext, field: FieldDefinition, value: unknown): string {
  if (field.kind === 'labels') {
    if (typeof value !== 'string') {
      throw new FieldValueError(field.id, 'Operation value must be a string');
    }
    return value;
  }
  if (field.kind === 'organizations') {
    return String(value);
  }
  return (normaliseValue(ctx, field, [value]) as string[])[0];
}

/** Applies the operations of one `update.<field>` list to the value the field will have. */
function applyOperations(ctx: ViewContext, field: FieldDefinition, current: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new FieldValueError(field.id, `Operations for field '${field.id}' must be a list.`);
  }
  let value = current;
  for (const operation of operations) {
    if (!isRecord(operation) || Object.keys(operation).length !== 1) {
      throw new FieldValueError(field.id, `Each operation for field '${field.id}' must have exactly one verb.`);
    }
    const [verb, argument] = Object.entries(operation)[0];
    const isList = field.kind === 'labels' || field.kind === 'participants' || field.kind === 'organizations';
    if (verb === 'set') {
      value = normaliseValue(ctx, field, argument);
    } else if (isList && verb === 'add') {
      const item = listItem(ctx, field, argument);
      value = [...new Set([...(value as string[]), item])];
    } else if (isList && verb === 'remove') {
      const item = listItem(ctx, field, argument);
      value = (value as string[]).filter((existing) => existing !== item);
    } else {
      throw new FieldValueError(field.id, `Field '${field.id}' does not support operation '${verb}'.`);
    }
  }
  return value;
}

function collectComments(operations: unknown, errors: Record<string, string>): CommentRequest[] {
  if (!Array.isArray(operations)) {
    errors.comment = "Operations for field 'comment' must be a list.";
    return [];
  }
  const comments: CommentRequest[] = [];
  for (const operation of operations) {
    if (isRecord(operation) && isRecord(operation.add)) {
      comments.push({ body: operation.add.body, visibility: operation.add.visibility, properties: operation.add.properties });
    } else {
      errors.comment = "Field 'comment' only supports the 'add' operation.";
    }
  }
  return comments;
}

/**
 * Validates `fields` and `update` against an issue (or an empty draft on
 * create) and returns the normalised values. Throws a 400 listing every
 * invalid field at once. `allowed` limits the settable fields further, as the
 * transition screen does.
 */
export function planChanges(
  ctx: ViewContext,
  issue: IssueRecord,
  fields: Record<string, unknown>,
  update: Record<string, unknown>,
  isAllowed: (field: FieldDefinition) => boolean = (field) => field.editable,
): PlannedChanges {
  const errors: Record<string, string> = {};
  const values = new Map<FieldDefinition, unknown>();
  let comments: CommentRequest[] = [];
  for (const fieldId of Object.keys(fields)) {
    if (fieldId in update) {
      errors[fieldId] = `Field '${fieldId}' cannot be set in both the 'fields' and the 'update' section.`;
    }
  }
  const entries: Array<[string, unknown, 'fields' | 'update']> = [
    ...Object.entries(fields).map(([id, value]): [string, unknown, 'fields'] => [id, value, 'fields']),
    ...Object.entries(update).map(([id, value]): [string, unknown, 'update'] => [id, value, 'update']),
  ];
  for (const [fieldId, raw, section] of entries) {
    if (errors[fieldId]) {
      continue;
    }
    if (fieldId === 'comment' && section === 'update') {
      comments = collectComments(raw, errors);
      continue;
    }
    const field = ctx.store.catalog.byId(fieldId);
    if (!field || !isAllowed(field) || field.id === 'comment') {
      errors[fieldId] = cannotBeSet(fieldId);
      continue;
    }
    try {
      const current = getStoredValue(issue, field);
      values.set(field, section === 'fields' ? normaliseValue(ctx, field, raw) : applyOperations(ctx, field, current, raw));
    } catch (error) {
      if (!(error instanceof FieldValueError)) {
        throw error;
      }
      errors[error.fieldId] = error.message;
    }
  }
  if (Object.keys(errors).length > 0) {
    throw platformError(400, [], errors);
  }
  return { values, comments };
}

/** Name Jira writes in the `field` of a changelog item. */
export function changelogFieldName(field: FieldDefinition): string {
  if (field.custom) {
    return field.name;
  }
  return field.id === 'attachment' ? 'Attachment' : field.id;
}

/** Writes planned values into the issue and returns a changelog item for each value that changed. */
export function applyChanges(ctx: ViewContext, issue: IssueRecord, values: Map<FieldDefinition, unknown>): ChangeItem[] {
  const items: ChangeItem[] = [];
  for (const [field, value] of values) {
    const before = getStoredValue(issue, field);
    if (JSON.stringify(before) === JSON.stringify(value)) {
      continue;
    }
    const [from, fromString] = describeStoredValue(ctx, field, before);
    setStoredValue(issue, field, value);
    const [to, toString] = describeStoredValue(ctx, field, value);
    items.push({
      field: changelogFieldName(field),
      fieldtype: field.custom ? 'custom' : 'jira',
      fieldId: field.id,
      from,
      fromString,
      to,
      toString,
    });
  }
  return items;
}
