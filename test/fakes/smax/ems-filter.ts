import { EmsValue } from './smax-types';

/**
 * Parser and evaluator for the subset of the EMS query language that
 * integrations send in `filter=`: comparisons (`=`, `!=`, `<>`, `<`, `<=`,
 * `>`, `>=` and the word forms `eq ne lt le gt ge`), `in (...)`, `and`, `or`,
 * `not` and parentheses. Literals are single-quoted strings with `''` for a
 * quote, numbers, `true`, `false` and `null`. Property names may be dotted
 * (`RequestedByPerson.Email`).
 */

export type Literal = string | number | boolean | null;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; property: string; op: CompareOp; value: Literal }
  | { kind: 'in'; property: string; values: Literal[] };

/** Invalid filter text; `position` is the 0-based offset where parsing stopped. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`Invalid filter at position ${position}: ${message}`);
  }
}

type Token =
  | { type: 'name'; text: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'op'; op: CompareOp; at: number }
  | { type: 'punct'; text: '(' | ')' | ','; at: number }
  | { type: 'end'; at: number };

const WORD_OPS: Record<string, CompareOp> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const SYMBOL_OPS: Array<[string, CompareOp]> = [
  ['<>', '!='],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ type: 'punct', text: char, at: i });
      i += 1;
      continue;
    }
    if (char === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) {
          throw new FilterSyntaxError('unterminated string literal', start);
        }
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: 'string', value, at: start });
      continue;
    }
    const symbol = SYMBOL_OPS.find(([spelling]) => text.startsWith(spelling, i));
    if (symbol) {
      tokens.push({ type: 'op', op: symbol[1], at: i });
      i += symbol[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character "${char}"`, i);
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

class FilterParser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.type !== 'end') {
      throw new FilterSyntaxError('expected "and", "or" or the end of the filter', rest.at);
    }
    return node;
  }

  private parseOr(): FilterNode {
    let node = this.parseAnd();
    while (this.acceptKeyword('or')) {
      node = { kind: 'or', left: node, right: this.parseAnd() };
    }
    return node;
  }

  private parseAnd(): FilterNode {
    let node = this.parseUnary();
    while (this.acceptKeyword('and')) {
      node = { kind: 'and', left: node, right: this.parseUnary() };
    }
    return node;
  }

  private parseUnary(): FilterNode {
    if (this.acceptKeyword('not')) {
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (this.acceptPunct('(')) {
      const node = this.parseOr();
      this.expectPunct(')');
      return node;
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const name = this.next();
    if (name.type !== 'name' || isKeyword(name.text)) {
      throw new FilterSyntaxError('expected a property name', name.at);
    }
    if (this.acceptKeyword('in')) {
      this.expectPunct('(');
      const values = [this.parseLiteral()];
      while (this.acceptPunct(',')) {
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', property: name.text, values };
    }
    const operator = this.next();
    let op: CompareOp | undefined;
    if (operator.type === 'op') {
      op = operator.op;
    } else if (operator.type === 'name') {
      op = WORD_OPS[operator.text.toLowerCase()];
    }
    if (!op) {
      throw new FilterSyntaxError(`expected a comparison operator after "${name.text}"`, operator.at);
    }
    return { kind: 'compare', property: name.text, op, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (token.type === 'string' || token.type === 'number') {
      return token.value;
    }
    if (token.type === 'name') {
      const word = token.text.toLowerCase();
      if (word === 'null') return null;
      if (word === 'true') return true;
      if (word === 'false') return false;
    }
    throw new FilterSyntaxError("expected a literal ('text', a number, true, false or null)", token.at);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') {
      this.index += 1;
    }
    return token;
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token.type === 'name' && token.text.toLowerCase() === word) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private acceptPunct(text: '(' | ')' | ','): boolean {
    const token = this.peek();
    if (token.type === 'punct' && token.text === text) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private expectPunct(text: '(' | ')'): void {
    if (!this.acceptPunct(text)) {
      throw new FilterSyntaxError(`expected "${text}"`, this.peek().at);
    }
  }
}

function isKeyword(word: string): boolean {
  return ['and', 'or', 'not', 'in', 'null', 'true', 'false'].includes(word.toLowerCase());
}

export function parseFilter(text: string): FilterNode {
  return new FilterParser(tokenize(text)).parse();
}

/** Returns a property value by name, or undefined when the record lacks it. */
export type PropertyReader = (property: string) => EmsValue | undefined;

export function evaluateFilter(node: FilterNode, read: PropertyReader): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, read) && evaluateFilter(node.right, read);
    case 'or':
      return evaluateFilter(node.left, read) || evaluateFilter(node.right, read);
    case 'not':
      return !evaluateFilter(node.operand, read);
    case 'in':
      return node.values.some((value) => compare(read(node.property), '=', value));
    case 'compare':
      return compare(read(node.property), node.op, node.value);
  }
}

/**
 * Compares a stored value with a literal. Numbers compare numerically with
 * numeric strings (ids are strings, so `Id=123` matches "123"); `null`
 * matches a missing or empty value; everything else compares as text.
 */
function compare(actual: EmsValue | undefined, op: CompareOp, literal: Literal): boolean {
  if (literal === null) {
    const empty = actual === undefined || actual === null || actual === '';
    if (op === '=') return empty;
    if (op === '!=') return !empty;
    return false;
  }
  if (actual === undefined || actual === null) {
    return op === '!=';
  }
  let order: number;
  if (typeof literal === 'number') {
    const value = typeof actual === 'number' ? actual : Number(actual);
    if (typeof actual === 'boolean' || (typeof actual === 'string' && actual.trim() === '') || Number.isNaN(value)) {
      return op === '!=';
    }
    order = Math.sign(value - literal);
  } else {
    order = compareText(String(actual), String(literal));
  }
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Lists the property names a filter reads, so they can be checked before any record is read. */
export function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.operand);
    case 'in':
    case 'compare':
      return [node.property];
  }
}

/** Orders two strings by UTF-16 code units, as `<` does, returning -1, 0 or 1. */
export function compareText(left: string, right: string): number {
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}
