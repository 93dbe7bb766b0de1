import { parseDateExpression, relativeRangeMs } from './date-math';
import { unprocessable } from './errors';
import { isObject } from './params';
import type { TicketDocument } from './search-index';

/**
 * Evaluates the `condition` of `POST /tickets/search`, the selector structure that
 * Zammad's triggers and overviews use. Two forms are accepted: a map
 * `{"ticket.state_id": {"operator": "is", "value": ["2"]}, ...}` whose entries must all
 * hold, and the expert form `{"operator": "AND"|"OR"|"NOT", "conditions": [...]}` whose
 * entries carry a `name`. Comparisons follow Zammad's SQL selector: `after (absolute)`
 * is `>=`, `before (absolute)` is `<=`.
 */
export function matchesCondition(document: TicketDocument, condition: unknown, now: Date): boolean {
  if (!isObject(condition)) {
    throw unprocessable('Invalid condition, expected an object');
  }
  if (typeof condition.operator === 'string' && Array.isArray(condition.conditions)) {
    return matchesGroup(document, condition.operator, condition.conditions, now);
  }
  return Object.entries(condition).every(([name, selector]) => matchesSelector(document, name, selector, now));
}

function matchesGroup(document: TicketDocument, operator: string, conditions: unknown[], now: Date): boolean {
  const results = conditions.map((entry) => {
    if (!isObject(entry)) {
      throw unprocessable('Invalid condition entry, expected an object');
    }
    if (Array.isArray(entry.conditions)) {
      return matchesGroup(document, String(entry.operator), entry.conditions, now);
    }
    return matchesSelector(document, String(entry.name), entry, now);
  });
  switch (operator.toUpperCase()) {
    case 'AND':
      return results.every(Boolean);
    case 'OR':
      return results.some(Boolean);
    case 'NOT':
      return !results.some(Boolean);
    default:
      throw unprocessable(`Invalid condition group operator '${operator}'`);
  }
}

function matchesSelector(document: TicketDocument, name: string, selector: unknown, now: Date): boolean {
  if (!isObject(selector) || typeof selector.operator !== 'string') {
    throw unprocessable(`Invalid condition for '${name}', expected {"operator": ..., "value": ...}`);
  }
  const attribute = readAttribute(document, name);
  const operator = selector.operator;
  const { value, range } = selector;
  if (name === 'ticket.tags') {
    return matchesTags(attribute as string[], operator, value, name);
  }
  switch (operator) {
    case 'is':
      return toList(value).includes(attribute === null ? '' : String(attribute));
    case 'is not':
      return !toList(value).includes(attribute === null ? '' : String(attribute));
    case 'contains':
      return text(attribute).includes(String(value ?? '').toLowerCase());
    case 'contains not':
      return !text(attribute).includes(String(value ?? '').toLowerCase());
    case 'starts with':
      return text(attribute).startsWith(String(value ?? '').toLowerCase());
    case 'ends with':
      return text(attribute).endsWith(String(value ?? '').toLowerCase());
    default:
      return matchesDate(attribute, operator, value, range, now, name);
  }
}

function matchesDate(
  attribute: unknown,
  operator: string,
  value: unknown,
  range: unknown,
  now: Date,
  name: string,
): boolean {
  if (attribute === null || attribute === undefined) {
    return false;
  }
  const time = new Date(String(attribute)).getTime();
  const current = now.getTime();
  const span = relativeRangeMs(value, range);
  switch (operator) {
    case 'after (absolute)':
      return time >= parseDateExpression(String(value), now);
    case 'before (absolute)':
      return time <= parseDateExpression(String(value), now);
    case 'within last (relative)':
      return time >= current - span && time <= current;
    case 'within next (relative)':
      return time >= current && time <= current + span;
    case 'before (relative)':
      return time <= current - span;
    case 'after (relative)':
      return time >= current + span;
    case 'till (relative)':
      return time <= current + span;
    case 'from (relative)':
      return time >= current - span;
    case 'today': {
      const day = now.toISOString().slice(0, 10);
      return new Date(time).toISOString().slice(0, 10) === day;
    }
    default:
      throw unprocessable(`Invalid operator '${operator}' for '${name}'`);
  }
}

function matchesTags(tags: string[], operator: string, value: unknown, name: string): boolean {
  const wanted = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  switch (operator) {
    case 'contains all':
      return wanted.every((tag) => tags.includes(tag));
    case 'contains one':
      return wanted.some((tag) => tags.includes(tag));
    case 'contains all not':
      return !wanted.every((tag) => tags.includes(tag));
    case 'contains one not':
      return !wanted.some((tag) => tags.includes(tag));
    default:
      throw unprocessable(`Invalid operator '${operator}' for '${name}'`);
  }
}

function readAttribute(document: TicketDocument, name: string): unknown {
  const match = /^ticket\.(.+)$/.exec(name);
  if (!match) {
    throw unprocessable(`Unknown condition attribute '${name}', the fake supports ticket.* attributes`);
  }
  const key = match[1];
  if (key === 'tags') {
    return document.tags;
  }
  if (key in document.ticket) {
    return document.ticket[key as keyof typeof document.ticket];
  }
  if (key in document.custom) {
    return document.custom[key];
  }
  throw unprocessable(`Unknown condition attribute '${name}'`);
}

function toList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((entry) => (entry === null ? '' : String(entry)));
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).toLowerCase();
}
