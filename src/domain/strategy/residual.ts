import { formatStrategyExpression, type Expr, type PredicateExpr } from './ast.js';
import { strategyFields } from './fields.js';

/**
 * What is left of a strategy on one patch once its patch conditions are known: an expression over endpoint
 * fields alone, or `true`/`false` when the patch settles it (every endpoint, or none). `patchHolds` answers a
 * patch-scope condition for that patch. Since every condition is two-valued, folding a known condition into
 * `and`/`or`/`not` keeps exactly the evaluator's answer on every endpoint.
 */
export function residualStrategy(
  expr: Expr,
  patchHolds: (condition: PredicateExpr) => boolean,
): Expr | boolean {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      // The value that settles the connective on its own: false for `and`, true for `or`.
      const settles = expr.kind === 'or';
      const left = residualStrategy(expr.left, patchHolds);
      if (left === settles) return settles;
      const right = residualStrategy(expr.right, patchHolds);
      if (right === settles) return settles;
      // What is left of either side is now the neutral value or an open expression.
      if (typeof left === 'boolean') return right;
      if (typeof right === 'boolean') return left;
      return { kind: expr.kind, left, right };
    }
    case 'not': {
      const inner = residualStrategy(expr.expr, patchHolds);
      return typeof inner === 'boolean' ? !inner : { kind: 'not', expr: inner };
    }
    default:
      return strategyFields[expr.field].scope === 'patch' ? patchHolds(expr) : expr;
  }
}

/**
 * The patch-scope conditions of a strategy, keyed by their canonical text: a condition written twice is one
 * question to ask of a patch.
 */
export function patchConditions(expr: Expr): Map<string, PredicateExpr> {
  const found = new Map<string, PredicateExpr>();
  const visit = (e: Expr): void => {
    if (e.kind === 'and' || e.kind === 'or') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'not') visit(e.expr);
    else if (strategyFields[e.field].scope === 'patch') found.set(formatStrategyExpression(e), e);
  };
  visit(expr);
  return found;
}
