import type { ComparisonOperator, Expr, StrategyValue } from './ast.js';
import { formatValue } from './ast.js';
import {
  canonicalLevel,
  describeFieldType,
  resolveStrategyField,
  strategyFieldNames,
  strategyFields,
  strategyOperators,
  suggestStrategyFields,
  type StrategyFieldDefinition,
  type StrategyFieldName,
  type StrategyOperator,
} from './fields.js';
import { StrategyLexer, shorten, type Keyword, type SourcePosition, type Token } from './lexer.js';
import { StrategyExpressionError, type StrategyExpressionProblem } from './strategy-expression-error.js';

/**
 * Caps for hostile input. Depth counts parentheses and `not`, which is what recurses in the parser. The
 * condition cap bounds the and/or chains, whose trees grow one level per condition: SQLite refuses
 * expressions deeper than 1,000, so the compiled SQL must stay well under it.
 */
export const strategyExpressionLimits = Object.freeze({
  maxLength: 10_000,
  maxDepth: 100,
  maxConditions: 256,
});

const endOfExpression = 'end of expression';
const comparisonOperators: ReadonlySet<string> = new Set<ComparisonOperator>([
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
]);

/**
 * Parses and type-checks a patch-strategy expression (the language is described in index.ts). Fields come back
 * in catalogue spelling and level values in canonical spelling. Throws StrategyExpressionError.
 */
export function parseStrategyExpression(source: string): Expr {
  checkLength(source);
  return new Parser(source).parse();
}

export type StrategyValidation =
  | { readonly ok: true; readonly expression: Expr }
  | { readonly ok: false; readonly error: StrategyExpressionProblem };

/** parseStrategyExpression for callers that want the problem as data (the API's validate endpoint). */
export function validateStrategyExpression(source: string): StrategyValidation {
  try {
    return { ok: true, expression: parseStrategyExpression(source) };
  } catch (error) {
    if (error instanceof StrategyExpressionError) return { ok: false, error: error.toProblem() };
    throw error;
  }
}

/** Refused before any lexing, so a megabyte of input costs one scan up to the limit. */
function checkLength(source: string): void {
  const { maxLength } = strategyExpressionLimits;
  if (source.length <= maxLength) return;
  const length = source.length.toLocaleString('en-US');
  throw new StrategyExpressionError(
    positionAt(source, maxLength),
    `at most ${maxLength.toLocaleString('en-US')} characters`,
    `${length} characters`,
    `the expression is ${length} characters long; the limit is ${maxLength.toLocaleString('en-US')}.`,
  );
}

/** The line and column of the character at `offset`, counted the way the lexer counts them. */
function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    const char = source[i];
    if (char === '\n' || (char === '\r' && source[i + 1] !== '\n')) {
      line++;
      column = 1;
    } else if (char !== '\r') {
      column++;
    }
  }
  return { line, column };
}

/** How a token is shown in a message: literals as written, the rest in quotes. */
function shown(token: Token): string {
  switch (token.kind) {
    case 'end':
      return endOfExpression;
    case 'string':
    case 'number':
      return shorten(token.text);
    case 'keyword':
      return token.keyword === 'true' || token.keyword === 'false' ? token.text : `"${token.text}"`;
    default:
      return `"${shorten(token.text)}"`;
  }
}

/** The `found` of an error: the token as written, or `end of expression`. */
function foundOf(token: Token): string {
  return token.kind === 'end' ? endOfExpression : shorten(token.text);
}

function joinAlternatives(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

function operatorList(definition: StrategyFieldDefinition): string {
  return joinAlternatives(strategyOperators[definition.type]);
}

/** What a value of this field's type looks like, for "expected ..." */
function expectedValue(definition: StrategyFieldDefinition): string {
  switch (definition.type) {
    case 'string':
      return 'a string in quotes';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'level':
      return `one of ${(definition.level ?? []).join(', ')}`;
  }
}

/** Recursive descent: or → and → not → primary (a parenthesised expression or a condition). */
class Parser {
  readonly #lexer: StrategyLexer;
  #token: Token;
  #depth = 0;
  #conditions = 0;

  constructor(source: string) {
    this.#lexer = new StrategyLexer(source);
    this.#token = this.#lexer.next();
  }

  parse(): Expr {
    if (this.#token.kind === 'end') {
      throw this.#error(
        this.#token,
        'a field name',
        `the expression is empty: expected a field name, found ${endOfExpression}.`,
      );
    }
    const expr = this.#or(undefined);
    // A method, not `this.#token.kind`: TypeScript would keep the narrowing from the check above.
    if (!this.#atEnd()) {
      const orphan = this.#isPunctuation(')') ? 'There is no "(" to match it.' : '';
      throw this.#expected('"and", "or" or end of expression', '', orphan);
    }
    return expr;
  }

  #advance(): Token {
    const token = this.#token;
    this.#token = this.#lexer.next();
    return token;
  }

  #atEnd(): boolean {
    return this.#token.kind === 'end';
  }

  #isKeyword(keyword: Keyword): boolean {
    return this.#token.kind === 'keyword' && this.#token.keyword === keyword;
  }

  #isPunctuation(punctuation: string): boolean {
    return this.#token.kind === 'punctuation' && this.#token.punctuation === punctuation;
  }

  /** `after` is the token just read (`(`, `and`, `or`, `not`), named in the message if no condition follows. */
  #or(after: Token | undefined): Expr {
    let left = this.#and(after);
    while (this.#isKeyword('or')) {
      const operator = this.#advance();
      left = { kind: 'or', left, right: this.#and(operator) };
    }
    return left;
  }

  #and(after: Token | undefined): Expr {
    let left = this.#not(after);
    while (this.#isKeyword('and')) {
      const operator = this.#advance();
      left = { kind: 'and', left, right: this.#not(operator) };
    }
    return left;
  }

  #not(after: Token | undefined): Expr {
    if (!this.#isKeyword('not')) return this.#primary(after);
    this.#enter(this.#token);
    const operator = this.#advance();
    const expr: Expr = { kind: 'not', expr: this.#not(operator) };
    this.#depth--;
    return expr;
  }

  #primary(after: Token | undefined): Expr {
    const token = this.#token;
    if (this.#isPunctuation('(')) {
      this.#enter(token);
      this.#advance();
      const expr = this.#or(token);
      this.#closeGroup(token);
      this.#depth--;
      return expr;
    }
    if (token.kind === 'name') return this.#condition(token);
    throw this.#expected('a field name', after === undefined ? '' : ` after "${after.text}"`);
  }

  #closeGroup(open: Token): void {
    if (this.#isPunctuation(')')) {
      this.#advance();
      return;
    }
    const { line, column } = open.position;
    throw this.#expected('"and", "or" or ")"', ` to close the "(" at line ${line}, column ${column}`);
  }

  #enter(token: Token): void {
    const { maxDepth } = strategyExpressionLimits;
    this.#depth++;
    if (this.#depth <= maxDepth) return;
    throw this.#error(
      token,
      `at most ${maxDepth} levels of nesting`,
      `the expression nests more than ${maxDepth} levels deep (parentheses and "not"); simplify it.`,
    );
  }

  #condition(fieldToken: Token): Expr {
    const field = this.#field(fieldToken);
    this.#countCondition(fieldToken);
    this.#advance();
    const definition = strategyFields[field];
    const { operator, token } = this.#operator(field, definition);
    if (!strategyOperators[definition.type].includes(operator)) {
      throw this.#error(
        token,
        operatorList(definition),
        `${field} is ${describeFieldType(definition)}; "${operator}" does not apply to it (use ${operatorList(definition)}).`,
        operator,
      );
    }
    return this.#operand(field, definition, operator, token);
  }

  #field(token: Token): StrategyFieldName {
    const field = resolveStrategyField(token.text);
    if (field !== undefined) return field;
    const suggestions = suggestStrategyFields(token.text);
    const advice =
      suggestions.length > 0
        ? `did you mean ${joinAlternatives(suggestions.map((s) => `"${s}"`))}?`
        : `the fields are ${strategyFieldNames.slice(0, -1).join(', ')} and ${strategyFieldNames.at(-1) ?? ''}.`;
    throw this.#error(token, 'a field name', `unknown field "${shorten(token.text)}"; ${advice}`);
  }

  #countCondition(token: Token): void {
    const { maxConditions } = strategyExpressionLimits;
    this.#conditions++;
    if (this.#conditions <= maxConditions) return;
    throw this.#error(
      token,
      `at most ${maxConditions} conditions`,
      `the expression has more than ${maxConditions} conditions; combine values with "in" instead.`,
    );
  }

  /** Reads the operator after a field; `token` is where it starts, for errors about it. */
  #operator(
    field: StrategyFieldName,
    definition: StrategyFieldDefinition,
  ): { operator: StrategyOperator; token: Token } {
    const token = this.#token;
    if (token.kind === 'punctuation' && comparisonOperators.has(token.punctuation)) {
      this.#advance();
      return { operator: token.punctuation as ComparisonOperator, token };
    }
    if (token.kind === 'keyword' && (token.keyword === 'in' || token.keyword === 'contains')) {
      this.#advance();
      return { operator: token.keyword, token };
    }
    if (token.kind === 'keyword' && token.keyword === 'not') {
      this.#advance();
      if (!this.#isKeyword('in')) throw this.#expected('"in"', ' after "not"');
      this.#advance();
      return { operator: 'not in', token };
    }
    const hint = definition.type === 'boolean' ? `Write "${field} = true" to test a boolean field.` : '';
    throw this.#expected(`an operator (${operatorList(definition)})`, ` after ${field}`, hint);
  }

  #operand(
    field: StrategyFieldName,
    definition: StrategyFieldDefinition,
    operator: StrategyOperator,
    operatorToken: Token,
  ): Expr {
    const after = ` after "${operatorToken.text}"`;
    switch (operator) {
      case 'in':
        return { kind: 'in', field, values: this.#list(field, definition, after) };
      case 'not in':
        return {
          kind: 'not',
          expr: { kind: 'in', field, values: this.#list(field, definition, ' after "in"') },
        };
      case 'contains':
        // Only string fields take contains, so the value is a string.
        return { kind: 'contains', field, value: String(this.#value(field, definition, after)) };
      default:
        return { kind: 'compare', field, op: operator, value: this.#value(field, definition, after) };
    }
  }

  #list(field: StrategyFieldName, definition: StrategyFieldDefinition, after: string): StrategyValue[] {
    if (!this.#isPunctuation('(')) throw this.#expected('"("', after);
    this.#advance();
    if (this.#isPunctuation(')')) {
      throw this.#error(
        this.#token,
        'a value',
        `the list after "in" is empty: expected a value, found ${shown(this.#token)}.`,
      );
    }
    const values = [this.#value(field, definition, ' after "("')];
    for (;;) {
      if (this.#isPunctuation(')')) break;
      if (!this.#isPunctuation(',')) throw this.#expected('"," or ")"', ' in the list');
      this.#advance();
      values.push(this.#value(field, definition, ' after ","'));
    }
    this.#advance();
    return values;
  }

  /** A literal of the field's type; level values come back in canonical spelling. */
  #value(field: StrategyFieldName, definition: StrategyFieldDefinition, after: string): StrategyValue {
    const token = this.#token;
    const value = literalOf(token);
    if (value === undefined) {
      const quoteIt =
        token.kind === 'name' && (definition.type === 'string' || definition.type === 'level')
          ? `Text goes in quotes: "${shorten(token.text)}".`
          : '';
      throw this.#expected('a value', after, quoteIt);
    }
    const wanted = definition.type === 'level' ? 'string' : definition.type;
    if (typeof value !== wanted) {
      const expected = expectedValue(definition);
      const description = describeFieldType(definition);
      const inQuotes = definition.type === 'level' ? 'one of them in quotes' : expected;
      throw this.#error(
        token,
        expected,
        `${field} is ${description}; expected ${inQuotes}, found ${shown(token)}.`,
      );
    }
    this.#advance();
    return typeof value === 'string' && definition.type === 'level'
      ? this.#level(field, definition, token, value)
      : value;
  }

  #level(field: StrategyFieldName, definition: StrategyFieldDefinition, token: Token, value: string): string {
    const level = canonicalLevel(definition, value);
    if (level !== undefined) return level;
    throw this.#error(
      token,
      expectedValue(definition),
      `${field} is ${describeFieldType(definition)}; ${formatValue(shorten(value))} is not one of them.`,
    );
  }

  /** "expected X, found Y." at the current token, with the token's own hint (e.g. `&&`) or the caller's. */
  #expected(expected: string, context: string, hint = ''): StrategyExpressionError {
    const token = this.#token;
    const tokenHint = token.kind === 'invalid' ? token.hint : '';
    const advice = [hint, tokenHint].filter((h) => h !== '').join(' ');
    return this.#error(
      token,
      expected,
      `expected ${expected}${context}, found ${shown(token)}.${advice === '' ? '' : ` ${advice}`}`,
    );
  }

  #error(token: Token, expected: string, detail: string, found = foundOf(token)): StrategyExpressionError {
    return new StrategyExpressionError(token.position, expected, found, detail);
  }
}

function literalOf(token: Token): StrategyValue | undefined {
  if (token.kind === 'string' || token.kind === 'number') return token.value;
  if (token.kind === 'keyword' && token.keyword === 'true') return true;
  if (token.kind === 'keyword' && token.keyword === 'false') return false;
  return undefined;
}
