import type { Expression, KqlType, StringOperator } from './kql-ast.js';
import { KqlError } from './kql-error.js';
import { comparable, isNumeric, textOf, type Column, type Row, type Value } from './kql-values.js';

export interface Compiled {
  readonly type: KqlType;
  readonly evaluate: (row: Row) => Value;
}

export interface ExpressionScope {
  readonly columns: readonly Column[];
  /** The service's "now" (ticks), for `ago()` and `now()`. */
  readonly now: number;
  /** The operator the expression belongs to, for messages (`'where' operator: ...`). */
  readonly operator: string;
}

type Expr<K extends Expression['kind']> = Extract<Expression, { kind: K }>;

export const SUPPORTED_FUNCTIONS =
  'ago, now, not, isempty, isnotempty, isnull, isnotnull, tolower, toupper, tostring, strlen';

/** Type-checks an expression against the columns it runs over and turns it into a function of a row. */
export function compileExpression(expression: Expression, scope: ExpressionScope): Compiled {
  switch (expression.kind) {
    case 'column':
      return column(expression, scope);
    case 'literal': {
      const value = expression.value;
      return { type: expression.type, evaluate: () => value };
    }
    case 'call':
      return call(expression, scope);
    case 'logical':
      return logical(expression, scope);
    case 'compare':
      return compare(expression, scope);
    case 'string-match':
      return stringMatch(expression, scope);
    case 'in':
      return membership(expression, scope);
    case 'arithmetic':
      return arithmetic(expression, scope);
  }
}

/** A predicate for `where`: the expression must be boolean, and null counts as false. */
export function compilePredicate(expression: Expression, scope: ExpressionScope): (row: Row) => boolean {
  const compiled = compileExpression(expression, scope);
  if (compiled.type !== 'bool')
    throw typeError(expression, scope, `the filter must be a boolean, not ${compiled.type}`);
  return (row) => compiled.evaluate(row) === true;
}

function column(expression: Expr<'column'>, scope: ExpressionScope): Compiled {
  const index = scope.columns.findIndex((c) => c.name === expression.name);
  const found = scope.columns[index];
  if (found === undefined) {
    throw new KqlError(
      'semantic',
      `'${scope.operator}' operator: Failed to resolve scalar expression named '${expression.name}'`,
      expression.position,
      `Columns here: ${scope.columns.map((c) => c.name).join(', ')}`,
    );
  }
  return { type: found.type, evaluate: (row) => row[index] ?? null };
}

function typeError(expression: Expression, scope: ExpressionScope, what: string): KqlError {
  return new KqlError('semantic', `'${scope.operator}' operator: ${what}`, expression.position);
}

function argument(expression: Expr<'call'>, scope: ExpressionScope, count: number): Compiled[] {
  if (expression.args.length !== count)
    throw typeError(
      expression,
      scope,
      `${expression.name}() takes ${count} argument${count === 1 ? '' : 's'}`,
    );
  return expression.args.map((arg) => compileExpression(arg, scope));
}

function call(expression: Expr<'call'>, scope: ExpressionScope): Compiled {
  const { name } = expression;
  switch (name) {
    case 'now':
      argument(expression, scope, 0);
      return { type: 'datetime', evaluate: () => scope.now };
    case 'ago': {
      const [span] = argument(expression, scope, 1);
      if (span?.type !== 'timespan') throw typeError(expression, scope, 'ago() takes a timespan such as 7d');
      return { type: 'datetime', evaluate: (row) => minus(scope.now, span.evaluate(row)) };
    }
    case 'not': {
      const [inner] = argument(expression, scope, 1);
      if (inner?.type !== 'bool') throw typeError(expression, scope, 'not() takes a boolean');
      return { type: 'bool', evaluate: (row) => inner.evaluate(row) === false };
    }
    case 'isempty':
    case 'isnotempty': {
      const [inner] = argument(expression, scope, 1);
      const wanted = name === 'isempty';
      return { type: 'bool', evaluate: (row) => isEmpty(inner?.evaluate(row) ?? null) === wanted };
    }
    case 'isnull':
    case 'isnotnull': {
      const [inner] = argument(expression, scope, 1);
      const wanted = name === 'isnull';
      return { type: 'bool', evaluate: (row) => ((inner?.evaluate(row) ?? null) === null) === wanted };
    }
    case 'tolower':
    case 'toupper':
    case 'tostring': {
      const [inner] = argument(expression, scope, 1);
      if (inner === undefined) throw typeError(expression, scope, `${name}() takes one argument`);
      const change =
        name === 'tolower'
          ? (s: string) => s.toLowerCase()
          : name === 'toupper'
            ? (s: string) => s.toUpperCase()
            : (s: string) => s;
      return { type: 'string', evaluate: (row) => change(textOf(inner.evaluate(row), inner.type)) };
    }
    case 'strlen': {
      const [inner] = argument(expression, scope, 1);
      if (inner === undefined) throw typeError(expression, scope, 'strlen() takes one argument');
      return { type: 'long', evaluate: (row) => textOf(inner.evaluate(row), inner.type).length };
    }
    default:
      throw new KqlError(
        'unsupported',
        `The Defender simulator does not support the function '${name}()'`,
        expression.position,
        `Supported functions: ${SUPPORTED_FUNCTIONS}`,
      );
  }
}

function isEmpty(value: Value): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function minus(a: Value, b: Value): Value {
  return typeof a === 'number' && typeof b === 'number' ? a - b : null;
}

function logical(expression: Expr<'logical'>, scope: ExpressionScope): Compiled {
  const left = compileExpression(expression.left, scope);
  const right = compileExpression(expression.right, scope);
  if (left.type !== 'bool' || right.type !== 'bool')
    throw typeError(expression, scope, `'${expression.operator}' joins boolean conditions`);
  const evaluate =
    expression.operator === 'and'
      ? (row: Row) => left.evaluate(row) === true && right.evaluate(row) === true
      : (row: Row) => left.evaluate(row) === true || right.evaluate(row) === true;
  return { type: 'bool', evaluate };
}

function compare(expression: Expr<'compare'>, scope: ExpressionScope): Compiled {
  const left = compileExpression(expression.left, scope);
  const right = compileExpression(expression.right, scope);
  const { operator } = expression;
  if (operator === '=~' || operator === '!~') {
    if (left.type !== 'string' || right.type !== 'string')
      throw typeError(expression, scope, `'${operator}' compares strings`);
    const equal = operator === '=~';
    return {
      type: 'bool',
      evaluate: (row) => (lower(left.evaluate(row)) === lower(right.evaluate(row))) === equal,
    };
  }
  if (!comparable(left.type, right.type))
    throw typeError(expression, scope, `Cannot compare values of types ${left.type} and ${right.type}`);
  if (left.type === 'dynamic')
    throw typeError(expression, scope, `'${operator}' cannot compare dynamic values`);
  const test = COMPARE[operator];
  return {
    type: 'bool',
    evaluate: (row) => {
      const a = left.evaluate(row);
      const b = right.evaluate(row);
      if (a === null || b === null) return false;
      return test(a as string | number | boolean, b as string | number | boolean);
    },
  };
}

const COMPARE: Record<
  '==' | '!=' | '<' | '<=' | '>' | '>=',
  (a: string | number | boolean, b: string | number | boolean) => boolean
> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function lower(value: Value): string | null {
  return typeof value === 'string' ? value.toLowerCase() : null;
}

/** Kusto terms are runs of letters and digits; `has` matches whole terms (or a prefix/suffix run of them). */
function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? ' ';
    const after = haystack[at + needle.length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
  }
  return false;
}

const MATCHERS: Record<StringOperator, (haystack: string, needle: string) => boolean> = {
  contains: (h, n) => h.includes(n),
  has: hasTerm,
  startswith: (h, n) => h.startsWith(n),
  endswith: (h, n) => h.endsWith(n),
};

function stringMatch(expression: Expr<'string-match'>, scope: ExpressionScope): Compiled {
  const left = compileExpression(expression.left, scope);
  const right = compileExpression(expression.right, scope);
  if (right.type !== 'string')
    throw typeError(expression, scope, `'${expression.operator}' looks for a string, not ${right.type}`);
  const match = MATCHERS[expression.operator];
  const fold = expression.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const { negated } = expression;
  return {
    type: 'bool',
    evaluate: (row) => {
      const found = match(
        fold(textOf(left.evaluate(row), left.type)),
        fold(textOf(right.evaluate(row), 'string')),
      );
      return found !== negated;
    },
  };
}

function membership(expression: Expr<'in'>, scope: ExpressionScope): Compiled {
  const operand = compileExpression(expression.operand, scope);
  const items = expression.list.map((item) => compileExpression(item, scope));
  for (const [i, item] of items.entries()) {
    if (!comparable(operand.type, item.type) || (expression.caseInsensitive && item.type !== 'string')) {
      const position = expression.list[i]?.position ?? expression.position;
      throw new KqlError(
        'semantic',
        `'${scope.operator}' operator: 'in' list holds a ${item.type}, the value is a ${operand.type}`,
        position,
      );
    }
  }
  const fold = expression.caseInsensitive ? (v: Value) => lower(v) : (v: Value) => v;
  const { negated } = expression;
  return {
    type: 'bool',
    evaluate: (row) => {
      const value = fold(operand.evaluate(row));
      if (value === null) return false;
      const found = items.some((item) => fold(item.evaluate(row)) === value);
      return found !== negated;
    },
  };
}

function arithmetic(expression: Expr<'arithmetic'>, scope: ExpressionScope): Compiled {
  const left = compileExpression(expression.left, scope);
  const right = compileExpression(expression.right, scope);
  const type = arithmeticType(expression.operator, left.type, right.type);
  if (type === undefined)
    throw typeError(
      expression,
      scope,
      `Cannot apply '${expression.operator}' to ${left.type} and ${right.type}`,
    );
  const sign = expression.operator === '+' ? 1 : -1;
  return {
    type,
    evaluate: (row) => {
      const a = left.evaluate(row);
      const b = right.evaluate(row);
      return typeof a === 'number' && typeof b === 'number' ? a + sign * b : null;
    },
  };
}

function arithmeticType(operator: '+' | '-', a: KqlType, b: KqlType): KqlType | undefined {
  if (isNumeric(a) && isNumeric(b)) return a === 'real' || b === 'real' ? 'real' : 'long';
  if (a === 'datetime' && b === 'timespan') return 'datetime';
  if (a === 'timespan' && b === 'timespan') return 'timespan';
  if (operator === '-' && a === 'datetime' && b === 'datetime') return 'timespan';
  return undefined;
}
