/** Evaluation and ordering of parsed JQL against stored issues. */
import type { FakeJiraCore } from './core';
import { localToEpoch, offsetMinutes } from './dates';
import { resolveFieldAccessor, UNRESOLVED, type FieldAccessor } from './jql-fields';
import { JqlError, parseJql, type JqlExpression, type JqlQuery, type JqlValue, type Operator } from './jql-parser';
import type { IssueRecord } from './records';
import type { UserRecord } from './seed';

interface Environment {
  core: FakeJiraCore;
  currentUser: UserRecord | null;
}

const ALLOWED_OPERATORS: Record<FieldAccessor['kind'], Operator[]> = {
  identity: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  text: ['~', '!~', 'is', 'is not'],
  date: ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not'],
  number: ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not'],
};

const PERIOD_UNITS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

function parseDateLiteral(env: Environment, field: string, text: string): number {
  const timeZone = env.core.settings.timeZone;
  const absolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (absolute) {
    const [, year, month, day, hour, minute] = absolute;
    return localToEpoch({ year: Number(year), month: Number(month), day: Number(day), hour: Number(hour ?? 0), minute: Number(minute ?? 0) }, timeZone);
  }
  const period = /^([+-]?)((?:\d+[wdhm]\s*)+)$/.exec(text.trim());
  if (period) {
    let total = 0;
    for (const [, amount, unit] of period[2].matchAll(/(\d+)([wdhm])/g)) {
      total += Number(amount) * PERIOD_UNITS[unit];
    }
    return env.core.now() + (period[1] === '-' ? -total : total);
  }
  throw new JqlError(
    `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function startOfDay(env: Environment): number {
  const now = env.core.now();
  const offset = offsetMinutes(now, env.core.settings.timeZone) * 60_000;
  return Math.floor((now + offset) / 86_400_000) * 86_400_000 - offset;
}

/** Resolves a scalar value to the strings (identity fields) or numbers (dates, numbers) it stands for. */
function scalar(env: Environment, accessor: FieldAccessor, value: JqlValue): string | number | null {
  if (value.kind === 'empty') {
    return null;
  }
  if (value.kind === 'list') {
    throw new JqlError(`A list of values cannot be used with this operator on field '${accessor.name}'.`);
  }
  if (value.kind === 'function') {
    switch (value.name) {
      case 'currentuser':
        return env.currentUser ? env.currentUser.accountId.toLowerCase() : null;
      case 'now':
        return env.core.now();
      case 'startofday':
        return startOfDay(env);
      default:
        throw new JqlError(`Unable to find JQL function '${value.name}()'.`);
    }
  }
  if (accessor.kind === 'date') {
    return parseDateLiteral(env, accessor.name, value.text);
  }
  if (accessor.kind === 'number') {
    const number = Number(value.text);
    if (Number.isNaN(number)) {
      throw new JqlError(`The value '${value.text}' for field '${accessor.name}' is not a number.`);
    }
    return number;
  }
  if (accessor.kind === 'identity') {
    accessor.validate(value.text);
  }
  return value.text.toLowerCase();
}

function textTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_*?]+/gu) ?? []).filter((term) => term !== '');
}

/** Matches words as Jira's text index does: every query term must equal a word of the field, with `*` and `?` as wildcards. */
function textMatches(fieldText: string | null, query: string): boolean {
  if (!fieldText) {
    return false;
  }
  const words = new Set(textTerms(fieldText));
  return textTerms(query).every((term) => {
    if (!/[*?]/.test(term)) {
      return words.has(term);
    }
    const pattern = new RegExp(`^${term.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'u');
    return [...words].some((word) => pattern.test(word));
  });
}

function compare(operator: Operator, actual: number, expected: number): boolean {
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    default:
      return false;
  }
}

function isEmptyValue(accessor: FieldAccessor, issue: IssueRecord): boolean {
  switch (accessor.kind) {
    case 'identity':
      return accessor.values(issue).length === 0;
    case 'text':
      return !accessor.text(issue);
    default:
      return accessor.value(issue) === null;
  }
}

function evaluateClause(env: Environment, issue: IssueRecord, clause: Extract<JqlExpression, { type: 'clause' }>): boolean {
  // `compileJql` has already checked the field, the operator and every value.
  const accessor = resolveFieldAccessor(env.core, clause.field);
  if (clause.operator === 'is' || clause.operator === 'is not') {
    const empty = isEmptyValue(accessor, issue);
    return clause.operator === 'is' ? empty : !empty;
  }
  if (accessor.kind === 'text') {
    const query = scalar(env, accessor, clause.value);
    const matched = textMatches(accessor.text(issue), String(query ?? ''));
    return clause.operator === '~' ? matched : !matched;
  }
  if (clause.operator === 'in' || clause.operator === 'not in') {
    const items = clause.value.kind === 'list' ? clause.value.items : [clause.value];
    const matched = items.some((item) => matchesEquality(env, accessor, issue, item));
    return clause.operator === 'in' ? matched : !matched;
  }
  if (clause.operator === '=' || clause.operator === '!=') {
    const matched = matchesEquality(env, accessor, issue, clause.value);
    return clause.operator === '=' ? matched : !matched;
  }
  const expected = scalar(env, accessor, clause.value);
  const actual = accessor.kind === 'date' || accessor.kind === 'number' ? accessor.value(issue) : null;
  return actual !== null && typeof expected === 'number' && compare(clause.operator, actual, expected);
}

function matchesEquality(env: Environment, accessor: FieldAccessor, issue: IssueRecord, value: JqlValue): boolean {
  const expected = scalar(env, accessor, value);
  if (accessor.kind === 'identity') {
    const values = accessor.values(issue);
    if (expected === null || (accessor.name === 'resolution' && expected === UNRESOLVED)) {
      return values.length === 0;
    }
    return values.includes(String(expected));
  }
  if (accessor.kind === 'date' || accessor.kind === 'number') {
    const actual = accessor.value(issue);
    return expected === null ? actual === null : actual === expected;
  }
  return false;
}

function evaluate(env: Environment, issue: IssueRecord, expression: JqlExpression): boolean {
  switch (expression.type) {
    case 'and':
      return evaluate(env, issue, expression.left) && evaluate(env, issue, expression.right);
    case 'or':
      return evaluate(env, issue, expression.left) || evaluate(env, issue, expression.right);
    case 'not':
      return !evaluate(env, issue, expression.operand);
    case 'clause':
      return evaluateClause(env, issue, expression);
  }
}

const SORTABLE_FIELDS = ['created', 'updated', 'resolved', 'resolutiondate', 'key', 'issuekey', 'id', 'priority', 'status', 'summary', 'duedate', 'due'];

function sortValue(env: Environment, issue: IssueRecord, field: string): string | number | null {
  switch (field.toLowerCase()) {
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'resolved':
    case 'resolutiondate':
      return issue.resolutionDate;
    case 'key':
    case 'issuekey':
    case 'id':
      return Number(issue.id);
    case 'priority':
      return issue.priorityId === null ? null : Number(issue.priorityId);
    case 'status':
      return env.core.store.status(issue.statusId).name.toLowerCase();
    case 'summary':
      return issue.summary.toLowerCase();
    case 'duedate':
    case 'due':
      return issue.duedate;
    default:
      throw new JqlError(`Not able to sort using field '${field}'.`);
  }
}

function compareSortValues(a: string | number | null, b: string | number | null): number {
  if (a === b) {
    return 0;
  }
  // Empty values sort last in ascending order, as in Jira.
  if (a === null) {
    return 1;
  }
  if (b === null) {
    return -1;
  }
  return a < b ? -1 : 1;
}

/** Compiled JQL: a filter and an ordering, validated once against the field catalog. */
export class CompiledJql {
  constructor(
    readonly query: JqlQuery,
    private readonly core: FakeJiraCore,
  ) {}

  /** True when the query restricts the result. Cloud's enhanced search rejects unbounded queries. */
  get isBounded(): boolean {
    return this.query.where !== null;
  }

  matches(issue: IssueRecord, currentUser: UserRecord | null): boolean {
    return this.query.where === null || evaluate({ core: this.core, currentUser }, issue, this.query.where);
  }

  /** Filters and sorts. Without ORDER BY the order is by issue id, oldest first. */
  // NOTE: Jira does not document its order when ORDER BY is missing, so callers that page should always give one.
  run(issues: IssueRecord[], currentUser: UserRecord | null): IssueRecord[] {
    const env: Environment = { core: this.core, currentUser };
    const matched = issues.filter((issue) => this.matches(issue, currentUser));
    return matched.sort((a, b) => {
      for (const order of this.query.orderBy) {
        const result = compareSortValues(sortValue(env, a, order.field), sortValue(env, b, order.field));
        if (result !== 0) {
          return order.direction === 'asc' ? result : -result;
        }
      }
      return Number(a.id) - Number(b.id);
    });
  }
}

/**
 * Parses JQL and checks every field, operator and value against an empty
 * issue list, so errors surface even when nothing would match.
 */
export function compileJql(core: FakeJiraCore, jql: string): CompiledJql {
  const compiled = new CompiledJql(parseJql(jql), core);
  validate(core, compiled.query.where);
  for (const order of compiled.query.orderBy) {
    if (!SORTABLE_FIELDS.includes(order.field.toLowerCase())) {
      throw new JqlError(`Not able to sort using field '${order.field}'.`);
    }
  }
  return compiled;
}

function validate(core: FakeJiraCore, expression: JqlExpression | null): void {
  if (expression === null) {
    return;
  }
  switch (expression.type) {
    case 'and':
    case 'or':
      validate(core, expression.left);
      validate(core, expression.right);
      return;
    case 'not':
      validate(core, expression.operand);
      return;
    case 'clause':
      validateClause(core, expression);
  }
}

function validateClause(core: FakeJiraCore, clause: Extract<JqlExpression, { type: 'clause' }>): void {
  const accessor = resolveFieldAccessor(core, clause.field);
  if (!ALLOWED_OPERATORS[accessor.kind].includes(clause.operator)) {
    throw new JqlError(`The operator '${clause.operator.toUpperCase()}' is not supported by the '${clause.field}' field.`);
  }
  if (clause.operator === 'is' || clause.operator === 'is not') {
    if (clause.value.kind !== 'empty') {
      throw new JqlError(`The operator '${clause.operator.toUpperCase()}' only supports EMPTY or NULL.`);
    }
    return;
  }
  const env: Environment = { core, currentUser: null };
  const values = clause.value.kind === 'list' ? clause.value.items : [clause.value];
  for (const value of values) {
    scalar(env, accessor, value);
  }
}
