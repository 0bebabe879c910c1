import type { ComparisonOperator, StrategyFieldName } from './fields.js';

export type { ComparisonOperator, StrategyFieldName } from './fields.js';

/**
 * The tree of a patch-strategy expression, as the parser builds it: plain JSON-safe data, fields in their
 * catalogue spelling, level values in their canonical spelling, string values exactly as written (comparisons
 * ignore case; the tree does not fold it away). `x not in (...)` is `not` around `in`.
 */
export type StrategyValue = string | number | boolean;

export interface AndExpr {
  readonly kind: 'and';
  readonly left: Expr;
  readonly right: Expr;
}

export interface OrExpr {
  readonly kind: 'or';
  readonly left: Expr;
  readonly right: Expr;
}

export interface NotExpr {
  readonly kind: 'not';
  readonly expr: Expr;
}

export interface CompareExpr {
  readonly kind: 'compare';
  readonly field: StrategyFieldName;
  readonly op: ComparisonOperator;
  readonly value: StrategyValue;
}

/** `values` is never empty. */
export interface InExpr {
  readonly kind: 'in';
  readonly field: StrategyFieldName;
  readonly values: readonly StrategyValue[];
}

export interface ContainsExpr {
  readonly kind: 'contains';
  readonly field: StrategyFieldName;
  readonly value: string;
}

export type Expr = AndExpr | OrExpr | NotExpr | CompareExpr | InExpr | ContainsExpr;

/** The conditions: what sits at the leaves of the tree. */
export type PredicateExpr = CompareExpr | InExpr | ContainsExpr;

// Binding strength: a child binding looser than its parent needs parentheses.
const strength = { or: 1, and: 2, not: 3, compare: 4, in: 4, contains: 4 } as const;

/**
 * Canonical text for a tree: catalogue spelling, lower-case keywords, double-quoted strings, numbers in full,
 * and only the parentheses the tree needs. It parses back to an equal tree, so it is what the hub stores.
 */
export function formatStrategyExpression(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `${operand(expr.left, expr.kind, false)} ${expr.kind} ${operand(expr.right, expr.kind, true)}`;
    case 'not':
      return formatNot(expr.expr);
    case 'compare':
      return `${expr.field} ${expr.op} ${formatValue(expr.value)}`;
    case 'in':
      return `${expr.field} in ${formatList(expr.values)}`;
    case 'contains':
      return `${expr.field} contains ${formatValue(expr.value)}`;
  }
}

/** and/or associate to the left, so a right child of the same strength keeps its parentheses. */
function operand(child: Expr, parent: 'and' | 'or', isRight: boolean): string {
  const text = formatStrategyExpression(child);
  const childStrength = strength[child.kind];
  const needsParentheses =
    childStrength < strength[parent] || (isRight && childStrength === strength[parent]);
  return needsParentheses ? `(${text})` : text;
}

function formatNot(inner: Expr): string {
  // `x not in (...)` reads better than `not (x in (...))` and parses to the same tree.
  if (inner.kind === 'in') return `${inner.field} not in ${formatList(inner.values)}`;
  if (inner.kind === 'not') return `not ${formatNot(inner.expr)}`;
  // A bare `not Cvss > 5` parses the same, but reads as if `not` applied to Cvss alone.
  return `not (${formatStrategyExpression(inner)})`;
}

function formatList(values: readonly StrategyValue[]): string {
  return `(${values.map(formatValue).join(', ')})`;
}

export function formatValue(value: StrategyValue): string {
  if (typeof value === 'string') return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  if (typeof value === 'number') return formatNumber(value);
  return value ? 'true' : 'false';
}

/**
 * Digits in full: JavaScript writes 1e21 and 1e-7 in exponent notation, which the language does not read.
 * The digits are the shortest that round-trip, so the expanded text reads back as the same number.
 */
export function formatNumber(value: number): string {
  const text = String(Object.is(value, -0) ? 0 : value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = '', head = '', tail = '', exponent = '0'] = match;
  const digits = head + tail;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits.padEnd(point, '0');
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
