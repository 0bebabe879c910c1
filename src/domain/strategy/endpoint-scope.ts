import type { Expr } from './ast.js';
import { strategyFields } from './fields.js';

/**
 * Whether the expression names an endpoint field. One that does is decided per (patch × endpoint) pair; one that
 * does not is decided by the patch alone.
 */
export function namesEndpointField(expr: Expr): boolean {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return namesEndpointField(expr.left) || namesEndpointField(expr.right);
    case 'not':
      return namesEndpointField(expr.expr);
    default:
      return strategyFields[expr.field].scope === 'endpoint';
  }
}

/**
 * The parts of the strategy's top-level `and` chain that name no endpoint field. Each must hold on the patch
 * itself, so they narrow the candidate patches before any endpoint is read (none: every patch is a candidate).
 */
export function patchOnlyConjuncts(expr: Expr): Expr[] {
  return conjuncts(expr).filter((part) => !namesEndpointField(part));
}

/** The parts of a top-level `and` chain, each of which must hold. */
function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}
