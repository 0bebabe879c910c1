import type {
  Aggregate,
  AggregateFunction,
  ComparisonOperator,
  Expression,
  NamedExpression,
  QueryAst,
  SortKey,
  Stage,
  StringOperator,
} from './kql-ast.js';
import { KqlError, positionAt, type SourcePosition } from './kql-error.js';
import { tokenize, type Token } from './kql-lexer.js';
import { parseIsoTicks } from '../time.js';

export const SUPPORTED_OPERATORS =
  'where, project, summarize, count, take, limit, order by, sort by, top, distinct';
const AGGREGATES: readonly AggregateFunction[] = ['count', 'dcount', 'min', 'max', 'sum'];

/** Real KQL tabular operators this simulator does not implement: refused as unsupported, not as bad syntax. */
const KNOWN_OPERATORS = new Set([
  'as',
  'consume',
  'evaluate',
  'extend',
  'externaldata',
  'facet',
  'find',
  'fork',
  'getschema',
  'invoke',
  'join',
  'lookup',
  'make-series',
  'mv-apply',
  'mv-expand',
  'parse',
  'parse-where',
  'partition',
  'print',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'range',
  'reduce',
  'render',
  'sample',
  'sample-distinct',
  'scan',
  'search',
  'serialize',
  'top-hitters',
  'top-nested',
  'union',
  'where-not',
]);

const COMPARISONS: readonly ComparisonOperator[] = ['==', '!=', '<', '<=', '>', '>=', '=~', '!~'];
const STRING_OPERATORS: readonly StringOperator[] = ['contains', 'has', 'startswith', 'endswith'];

/** Parses the supported subset of KQL: a table, then `|` and one tabular operator at a time. */
export function parseKql(text: string): QueryAst {
  return new Parser(text).query();
}

class Parser {
  readonly #text: string;
  readonly #tokens: Token[];
  #at = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  query(): QueryAst {
    const first = this.#peek();
    if (first.kind === 'eof') throw this.#syntax(first, 'The query is empty: start with a table name');
    if (first.kind === 'ident' && ['let', 'set', 'declare'].includes(first.text))
      throw this.#unsupported(first, `'${first.text}' statements`);
    if (first.kind !== 'ident') throw this.#syntax(first, 'A query starts with a table name');
    this.#next();
    const stages: Stage[] = [];
    while (this.#peek().kind !== 'eof') {
      const token = this.#peek();
      if (token.text === ';') throw this.#unsupported(token, 'several statements (;)');
      if (token.text !== '|') throw this.#syntax(token, 'Expected | before the next operator');
      this.#next();
      stages.push(this.#stage());
    }
    return { table: first.text, tablePosition: this.#position(first), stages };
  }

  #stage(): Stage {
    const token = this.#peek();
    if (token.kind !== 'ident') throw this.#syntax(token, `Expected an operator: ${SUPPORTED_OPERATORS}`);
    const name = this.#operatorName();
    const position = this.#position(token);
    switch (name) {
      case 'where':
      case 'filter':
        return { kind: 'where', predicate: this.#expression(), position };
      case 'project':
        return { kind: 'project', columns: this.#namedList('project'), position };
      case 'summarize':
        return this.#summarize(position);
      case 'take':
      case 'limit':
        return { kind: 'take', count: this.#count(), position };
      case 'order':
      case 'sort':
        this.#keyword('by');
        return { kind: 'sort', keys: this.#sortKeys(), position };
      case 'top': {
        const count = this.#count();
        this.#keyword('by');
        return { kind: 'top', count, key: this.#sortKey(), position };
      }
      case 'count':
        return { kind: 'count', position };
      case 'distinct':
        return { kind: 'distinct', columns: this.#namedList('distinct'), position };
      default:
        if (KNOWN_OPERATORS.has(name)) throw this.#unsupported(token, `the '${name}' operator`);
        throw this.#syntax(token, `'${name}' is not a tabular operator; supported: ${SUPPORTED_OPERATORS}`);
    }
  }

  /** `project-away`, `mv-expand`: a name may continue after a hyphen with no space around it. */
  #operatorName(): string {
    let name = this.#next().text;
    for (;;) {
      const dash = this.#peek();
      const after = this.#tokens[this.#at + 1];
      const previousEnd = this.#tokens[this.#at - 1]?.end;
      if (
        dash.text !== '-' ||
        dash.offset !== previousEnd ||
        after?.kind !== 'ident' ||
        after.offset !== dash.end
      )
        return name;
      this.#next();
      name += `-${this.#next().text}`;
    }
  }

  #summarize(position: SourcePosition): Stage {
    const aggregates: Aggregate[] = [];
    do aggregates.push(this.#aggregate());
    while (this.#accept(','));
    const by = this.#acceptKeyword('by') ? this.#namedList('summarize') : [];
    return { kind: 'summarize', aggregates, by, position };
  }

  #aggregate(): Aggregate {
    const start = this.#peek();
    let name: string | undefined;
    if (start.kind === 'ident' && this.#tokens[this.#at + 1]?.text === '=') {
      name = start.text;
      this.#at += 2;
    }
    const fnToken = this.#peek();
    if (fnToken.kind !== 'ident' || this.#tokens[this.#at + 1]?.text !== '(')
      throw this.#syntax(fnToken, 'Expected an aggregation such as count()');
    this.#next();
    const fn = AGGREGATES.find((candidate) => candidate === fnToken.text);
    if (fn === undefined)
      throw this.#unsupported(
        fnToken,
        `the aggregation '${fnToken.text}()' (supported: ${AGGREGATES.join(', ')})`,
      );
    this.#expect('(');
    const argument = this.#peek().text === ')' ? undefined : this.#expression();
    this.#expect(')');
    if (fn === 'count' && argument !== undefined) throw this.#syntax(fnToken, 'count() takes no argument');
    if (fn !== 'count' && argument === undefined) throw this.#syntax(fnToken, `${fn}() needs a column`);
    const columnName = argument?.kind === 'column' ? argument.name : undefined;
    return {
      name: name ?? (fn === 'count' ? 'count_' : `${fn}_${columnName ?? ''}`),
      fn,
      argument,
      position: this.#position(fnToken),
    };
  }

  /** `a, b = c, ...`: bare expressions must be columns, so every output column has a name. */
  #namedList(operator: string): NamedExpression[] {
    const items: NamedExpression[] = [];
    do {
      const start = this.#peek();
      const position = this.#position(start);
      if (start.kind === 'ident' && this.#tokens[this.#at + 1]?.text === '=') {
        this.#at += 2;
        items.push({ name: start.text, expression: this.#expression(), position });
        continue;
      }
      const expression = this.#expression();
      if (expression.kind !== 'column')
        throw this.#unsupported(start, `an unnamed expression in '${operator}' (write Name = expression)`);
      items.push({ name: expression.name, expression, position });
    } while (this.#accept(','));
    return items;
  }

  #sortKeys(): SortKey[] {
    const keys: SortKey[] = [];
    do keys.push(this.#sortKey());
    while (this.#accept(','));
    return keys;
  }

  /** KQL sorts descending unless told `asc`. */
  #sortKey(): SortKey {
    const position = this.#position(this.#peek());
    const expression = this.#expression();
    let descending = true;
    if (this.#acceptKeyword('asc')) descending = false;
    else this.#acceptKeyword('desc');
    const nulls = this.#peek();
    if (nulls.text === 'nulls') throw this.#unsupported(nulls, "'nulls first/last'");
    return { expression, descending, position };
  }

  #count(): number {
    const token = this.#next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || (token.value as number) < 0)
      throw this.#syntax(token, 'Expected a whole number of rows');
    return token.value as number;
  }

  #expression(): Expression {
    return this.#or();
  }

  #or(): Expression {
    let left = this.#and();
    while (this.#peek().text === 'or') {
      const position = this.#position(this.#next());
      left = { kind: 'logical', operator: 'or', left, right: this.#and(), position };
    }
    return left;
  }

  #and(): Expression {
    let left = this.#comparison();
    while (this.#peek().text === 'and') {
      const position = this.#position(this.#next());
      left = { kind: 'logical', operator: 'and', left, right: this.#comparison(), position };
    }
    return left;
  }

  #comparison(): Expression {
    const left = this.#additive();
    const token = this.#peek();
    const position = this.#position(token);
    const comparison = COMPARISONS.find((op) => op === token.text && token.kind === 'punct');
    if (comparison !== undefined) {
      this.#next();
      return { kind: 'compare', operator: comparison, left, right: this.#additive(), position };
    }
    const negated = token.text === '!' && this.#adjacentIdent();
    const word = negated ? this.#tokens[this.#at + 1] : token;
    if (word?.kind !== 'ident') return left;
    const caseSensitive = word.text.endsWith('_cs');
    const base = caseSensitive ? word.text.slice(0, -3) : word.text;
    const stringOperator = STRING_OPERATORS.find((op) => op === base);
    if (stringOperator !== undefined) {
      this.#at += negated ? 2 : 1;
      const right = this.#additive();
      return {
        kind: 'string-match',
        operator: stringOperator,
        negated,
        caseSensitive,
        left,
        right,
        position,
      };
    }
    if (word.text === 'in') {
      this.#at += negated ? 2 : 1;
      const caseInsensitive = this.#peek().text === '~' && this.#peek().offset === word.end;
      if (caseInsensitive) this.#next();
      return { kind: 'in', negated, caseInsensitive, operand: left, list: this.#list(), position };
    }
    if (negated) throw this.#unsupported(word, `the operator '!${word.text}'`);
    if (['matches', 'between', 'has_any', 'has_all', 'contains_any'].includes(word.text))
      throw this.#unsupported(word, `the operator '${word.text}'`);
    return left;
  }

  #adjacentIdent(): boolean {
    const bang = this.#peek();
    const next = this.#tokens[this.#at + 1];
    return next?.kind === 'ident' && next.offset === bang.end;
  }

  #list(): Expression[] {
    this.#expect('(');
    const items: Expression[] = [];
    if (this.#peek().text !== ')') {
      do items.push(this.#additive());
      while (this.#accept(','));
    }
    this.#expect(')');
    return items;
  }

  #additive(): Expression {
    let left = this.#primary();
    for (;;) {
      const token = this.#peek();
      if (token.kind !== 'punct' || (token.text !== '+' && token.text !== '-')) return left;
      this.#next();
      const operator = token.text;
      left = { kind: 'arithmetic', operator, left, right: this.#primary(), position: this.#position(token) };
    }
  }

  #primary(): Expression {
    const token = this.#next();
    const position = this.#position(token);
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', type: 'string', value: token.value, position };
      case 'number':
        return {
          kind: 'literal',
          type: Number.isInteger(token.value) && !token.text.includes('.') ? 'long' : 'real',
          value: token.value,
          position,
        };
      case 'timespan':
        return { kind: 'literal', type: 'timespan', value: token.value, position };
      case 'ident':
        return this.#identifier(token, position);
      case 'punct':
        if (token.text === '(') {
          const inner = this.#expression();
          this.#expect(')');
          return inner;
        }
        if (token.text === '-') return this.#negative(token);
        throw this.#syntax(token, 'Expected a column, a literal or a function call');
      default:
        throw this.#syntax(token, 'Expected a column, a literal or a function call');
    }
  }

  #negative(minus: Token): Expression {
    const token = this.#next();
    if ((token.kind === 'number' || token.kind === 'timespan') && token.offset === minus.end) {
      const type = token.kind === 'timespan' ? 'timespan' : token.text.includes('.') ? 'real' : 'long';
      return { kind: 'literal', type, value: -(token.value as number), position: this.#position(minus) };
    }
    throw this.#syntax(minus, 'Expected a number after -');
  }

  #identifier(token: Token, position: SourcePosition): Expression {
    if (token.text === 'true' || token.text === 'false')
      return { kind: 'literal', type: 'bool', value: token.text === 'true', position };
    if (token.text === 'datetime' && this.#peek().kind === 'datetime')
      return this.#datetime(this.#next(), position);
    if (['and', 'or', 'by'].includes(token.text))
      throw this.#syntax(token, 'Expected a column, a literal or a function call');
    if (this.#peek().text !== '(') return { kind: 'column', name: token.text, position };
    this.#next();
    const args: Expression[] = [];
    if (this.#peek().text !== ')') {
      do args.push(this.#expression());
      while (this.#accept(','));
    }
    this.#expect(')');
    return { kind: 'call', name: token.text, args, position };
  }

  #datetime(literal: Token, position: SourcePosition): Expression {
    const raw = String(literal.value).replace(/^["']|["']$/g, '');
    const ticks = parseIsoTicks(raw);
    if (ticks === undefined)
      throw this.#syntax(
        literal,
        `'${raw}' is not a date; write datetime(2026-01-01) or datetime(2026-01-01T10:00:00Z)`,
      );
    return { kind: 'literal', type: 'datetime', value: ticks, position };
  }

  #keyword(word: string): void {
    if (!this.#acceptKeyword(word)) throw this.#syntax(this.#peek(), `Expected '${word}'`);
  }

  #acceptKeyword(word: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'ident' || token.text !== word) return false;
    this.#next();
    return true;
  }

  #accept(punct: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'punct' || token.text !== punct) return false;
    this.#next();
    return true;
  }

  #expect(punct: string): void {
    if (!this.#accept(punct)) throw this.#syntax(this.#peek(), `Expected '${punct}'`);
  }

  #peek(): Token {
    return this.#tokens[this.#at] ?? this.#eof();
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#at < this.#tokens.length) this.#at++;
    return token;
  }

  #eof(): Token {
    return { kind: 'eof', text: '', value: '', offset: this.#text.length, end: this.#text.length };
  }

  #position(token: Token): SourcePosition {
    return positionAt(this.#text, token.offset);
  }

  #syntax(token: Token, hint: string): KqlError {
    const at = token.kind === 'eof' ? 'end of query' : token.text;
    return new KqlError('syntax', `Query could not be parsed at '${at}'`, this.#position(token), hint);
  }

  #unsupported(token: Token, what: string): KqlError {
    return new KqlError(
      'unsupported',
      `The Defender simulator does not support ${what}`,
      this.#position(token),
      `Supported operators: ${SUPPORTED_OPERATORS}`,
    );
  }
}
