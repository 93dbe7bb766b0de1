import { parseDateExpression } from './date-math';
import type { TicketDocument } from './search-index';

/**
 * Matches the `query` of `GET /tickets/search`.
 *
 * `database` mode behaves like Zammad without Elasticsearch. It is a
 * case-insensitive substring match on title, number and the articles' body, from,
 * to and subject, and a blank query matches every ticket.
 *
 * `elasticsearch` mode adds a small part of the query-string syntax: terms joined by
 * AND (the default) or OR, `field:value`, `field:>value` / `>=` / `<` / `<=`, quoted
 * values, `*` wildcards and date math such as `updated_at:>now-1h`.
 */
export function matchesTicketQuery(
  document: TicketDocument,
  query: string,
  mode: 'database' | 'elasticsearch',
  now: Date,
): boolean {
  const trimmed = query.trim();
  if (trimmed === '' || trimmed === '*') {
    return true;
  }
  if (mode === 'database') {
    return containsText(document, trimmed.toLowerCase());
  }
  return trimmed
    .split(/\s+OR\s+/)
    .some((alternative) => tokenize(alternative).every((term) => matchesTerm(document, term, now)));
}

function containsText(document: TicketDocument, needle: string): boolean {
  const texts = [document.ticket.title, document.ticket.number, ...document.articleTexts];
  return texts.some((value) => value.toLowerCase().includes(needle));
}

function tokenize(expression: string): string[] {
  const tokens = expression.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  return tokens.filter((token) => token !== 'AND');
}

function matchesTerm(document: TicketDocument, term: string, now: Date): boolean {
  const field = /^([\w.]+):(>=|<=|>|<)?(.+)$/.exec(term);
  if (!field) {
    return containsText(document, unquote(term).toLowerCase());
  }
  const [, name, comparison, rawValue] = field;
  const value = unquote(rawValue);
  const attribute = fieldValue(document, name);
  if (comparison) {
    return compare(attribute, comparison, value, now);
  }
  const candidates = Array.isArray(attribute) ? attribute : [attribute];
  return candidates.some((candidate) => matchesValue(candidate, value));
}

function fieldValue(document: TicketDocument, name: string): unknown {
  const aliases: Record<string, unknown> = {
    'state.name': document.stateName,
    state: document.stateName,
    'priority.name': document.priorityName,
    priority: document.priorityName,
    'group.name': document.groupName,
    group: document.groupName,
    tags: document.tags,
    tag: document.tags,
    'article.body': document.articleTexts,
  };
  if (name in aliases) {
    return aliases[name];
  }
  if (name in document.ticket) {
    return document.ticket[name as keyof typeof document.ticket];
  }
  return document.custom[name];
}

function matchesValue(candidate: unknown, value: string): boolean {
  if (candidate === null || candidate === undefined) {
    return false;
  }
  if (typeof candidate === 'number' || typeof candidate === 'boolean') {
    return String(candidate) === value;
  }
  const pattern = new RegExp(
    `^${value.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`,
    'i',
  );
  const textValue = String(candidate);
  return pattern.test(textValue) || (!value.includes('*') && textValue.toLowerCase().includes(value.toLowerCase()));
}

function compare(attribute: unknown, comparison: string, value: string, now: Date): boolean {
  if (attribute === null || attribute === undefined) {
    return false;
  }
  const asNumber = Number(attribute);
  const isDate = typeof attribute === 'string' && Number.isNaN(asNumber);
  const left = isDate ? new Date(attribute).getTime() : asNumber;
  const right = isDate ? parseDateExpression(value, now) : Number(value);
  switch (comparison) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    default:
      return left <= right;
  }
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1');
}
