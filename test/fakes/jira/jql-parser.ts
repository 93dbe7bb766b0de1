/**
 * Parser for the part of JQL the fake supports. Clauses are joined by AND, OR,
 * NOT and parentheses, with the operators = != ~ !~ > >= < <= IN, NOT IN, IS
 * and IS NOT. Values are quoted or bare text, lists, EMPTY/NULL and functions
 * such as `currentUser()`, and ORDER BY may follow. History operators (WAS,
 * CHANGED) are not supported and fail as a syntax error.
 */

export type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type JqlValue =
  | { kind: 'literal'; text: string }
  | { kind: 'empty' }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'list'; items: JqlValue[] };

export type JqlExpression =
  | { type: 'and' | 'or'; left: JqlExpression; right: JqlExpression }
  | { type: 'not'; operand: JqlExpression }
  | { type: 'clause'; field: string; operator: Operator; value: JqlValue };

export interface JqlOrder {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where: JqlExpression | null;
  orderBy: JqlOrder[];
}

/** A JQL syntax or validation error. The search routes return 400 with its message. */
export class JqlError extends Error {}

interface Token {
  type: 'word' | 'string' | 'operator' | '(' | ')' | ',' | 'end';
  text: string;
  position: number;
}

const OPERATOR_CHARS = '=!<>~';
const SPECIAL_CHARS = `()",'${OPERATOR_CHARS}`;

function readQuoted(jql: string, start: number): { text: string; end: number } {
  const quote = jql[start];
  let text = '';
  let index = start + 1;
  while (index < jql.length && jql[index] !== quote) {
    if (jql[index] === '\\' && index + 1 < jql.length) {
      index++;
    }
    text += jql[index];
    index++;
  }
  if (index >= jql.length) {
    throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed. (line 1, character ${start + 1})`);
  }
  return { text, end: index + 1 };
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < jql.length) {
    const char = jql[index];
    if (/\s/.test(char)) {
      index++;
    } else if (char === '"' || char === "'") {
      const { text, end } = readQuoted(jql, index);
      tokens.push({ type: 'string', text, position: index });
      index = end;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ type: char, text: char, position: index });
      index++;
    } else if (OPERATOR_CHARS.includes(char)) {
      const two = jql.slice(index, index + 2);
      const operator = ['!=', '!~', '>=', '<='].includes(two) ? two : char;
      if (operator === '!') {
        throw new JqlError(`Error in the JQL Query: The character '!' is a reserved JQL character. (line 1, character ${index + 1})`);
      }
      tokens.push({ type: 'operator', text: operator, position: index });
      index += operator.length;
    } else {
      let end = index;
      while (end < jql.length && !/\s/.test(jql[end]) && !SPECIAL_CHARS.includes(jql[end])) {
        end++;
      }
      tokens.push({ type: 'word', text: jql.slice(index, end), position: index });
      index = end;
    }
  }
  tokens.push({ type: 'end', text: '', position: jql.length });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.tokens[this.index + offset];
    return token !== undefined && token.type === 'word' && token.text.toLowerCase() === word;
  }

  private fail(expected: string): never {
    const token = this.peek();
    const got = token.type === 'end' ? 'the end of the query' : `'${token.text}'`;
    throw new JqlError(`Error in the JQL Query: Expecting ${expected} but got ${got}. (line 1, character ${token.position + 1})`);
  }

  parseQuery(): JqlQuery {
    let where: JqlExpression | null = null;
    if (this.peek().type !== 'end' && !(this.isKeyword('order') && this.isKeyword('by', 1))) {
      where = this.parseOr();
    }
    const orderBy: JqlOrder[] = [];
    if (this.isKeyword('order')) {
      this.take();
      if (!this.isKeyword('by')) {
        this.fail("'by'");
      }
      this.take();
      do {
        const field = this.take();
        if (field.type !== 'word' && field.type !== 'string') {
          this.index--;
          this.fail('a field name');
        }
        let direction: 'asc' | 'desc' = 'asc';
        if (this.isKeyword('asc') || this.isKeyword('desc')) {
          direction = this.take().text.toLowerCase() as 'asc' | 'desc';
        }
        orderBy.push({ field: field.text, direction });
      } while (this.peek().type === ',' && this.take());
    }
    if (this.peek().type !== 'end') {
      this.fail("'AND', 'OR' or 'ORDER BY'");
    }
    return { where, orderBy };
  }

  private parseOr(): JqlExpression {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.take();
      left = { type: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): JqlExpression {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      this.take();
      left = { type: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): JqlExpression {
    if (this.isKeyword('not')) {
      this.take();
      return { type: 'not', operand: this.parseNot() };
    }
    if (this.peek().type === '(') {
      this.take();
      const inner = this.parseOr();
      if (this.peek().type !== ')') {
        this.fail("')'");
      }
      this.take();
      return inner;
    }
    return this.parseClause();
  }

  private parseOperator(): Operator {
    const token = this.peek();
    if (token.type === 'operator') {
      this.take();
      return token.text as Operator;
    }
    if (this.isKeyword('in')) {
      this.take();
      return 'in';
    }
    if (this.isKeyword('not') && this.isKeyword('in', 1)) {
      this.index += 2;
      return 'not in';
    }
    if (this.isKeyword('is')) {
      this.take();
      if (this.isKeyword('not')) {
        this.take();
        return 'is not';
      }
      return 'is';
    }
    return this.fail(
      "operator. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'",
    );
  }

  private parseClause(): JqlExpression {
    const field = this.take();
    if (field.type !== 'word' && field.type !== 'string') {
      this.index--;
      this.fail('a field name');
    }
    const operator = this.parseOperator();
    const value = this.parseValue(operator === 'in' || operator === 'not in');
    return { type: 'clause', field: field.text, operator, value };
  }

  private parseValue(expectList: boolean): JqlValue {
    if (expectList) {
      if (this.peek().type !== '(') {
        this.fail("'('");
      }
      this.take();
      const items: JqlValue[] = [];
      if (this.peek().type !== ')') {
        items.push(this.parseValue(false));
        while (this.peek().type === ',') {
          this.take();
          items.push(this.parseValue(false));
        }
      }
      if (this.peek().type !== ')') {
        this.fail("')' or ','");
      }
      this.take();
      return { kind: 'list', items };
    }
    const token = this.take();
    if (token.type === 'string') {
      return { kind: 'literal', text: token.text };
    }
    if (token.type !== 'word') {
      this.index--;
      return this.fail('a value');
    }
    const lower = token.text.toLowerCase();
    if (lower === 'empty' || lower === 'null') {
      return { kind: 'empty' };
    }
    if (this.peek().type === '(') {
      this.take();
      const args: string[] = [];
      while (this.peek().type !== ')') {
        const argument = this.take();
        if (argument.type === 'end') {
          this.fail("')'");
        }
        if (argument.type !== ',') {
          args.push(argument.text);
        }
      }
      this.take();
      return { kind: 'function', name: lower, args };
    }
    return { kind: 'literal', text: token.text };
  }
}

/** Parses a JQL string. Throws `JqlError` with a Jira-style message on bad syntax. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parseQuery();
}
