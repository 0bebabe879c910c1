/**
 * The patch-strategy filter language: a saved expression over patch metadata and a few endpoint fields,
 * evaluated per (patch × device) pair. Pure: no I/O. The store compiles the same tree to SQL and must give
 * exactly the answers of evaluateStrategy, so the semantics below are the contract. A device that is not an
 * endpoint (its findings are stored all the same) has no endpoint fields: holdsWithoutEndpoint judges it.
 *
 * Syntax
 * - `FIELD op VALUE` with op one of = != < <= > >=; `FIELD in (V1, V2, ...)` (never empty);
 *   `FIELD not in (...)`, which is `not (FIELD in (...))`; `FIELD contains "text"`.
 * - `not` binds tighter than `and`, `and` tighter than `or`; both associate to the left; parentheses group.
 * - Keywords (and, or, not, in, contains, true, false) and field names are case-insensitive; fields come back
 *   in catalogue spelling. There is no null literal.
 * - Values: strings in "double" or 'single' quotes, escaping only \" \' and \\ (raw newlines are allowed);
 *   numbers like 7, -2, 7.5 (no exponent, no leading dot); true and false.
 * - Errors carry a 1-based line and column (UTF-16 code units; \n, \r\n and \r each end a line).
 * - Limits: 10,000 characters, 100 levels of parentheses and `not`, 256 conditions.
 *
 * Types (checked at parse time)
 * - string: = != in contains, compared ignoring ASCII case (see foldStrategyCase); `contains` is a plain
 *   substring test with no wildcards.
 * - number: = != < <= > >= in.   boolean: = != with true or false.
 * - level: = != < <= > >= in, by the field's order, lowest first; values must name a level (any case) and are
 *   stored in canonical spelling.
 *
 * Evaluation: two-valued, SQL-like for nulls
 * - A condition whose field value is null is false, whatever the operator: `Cvss != 5` is false when Cvss is
 *   null. A level value that is not one of the field's levels (in any case) counts as null.
 * - `not` is the negation of that two-valued result: `not (Cvss = 5)` is true when Cvss is null. So
 *   `x != v` and `not (x = v)` differ exactly on nulls, and `x not in (...)` is true on a null x. In SQL, each
 *   condition is `coalesce(<condition>, false)` and `not` applies to that.
 * - Multi-valued fields (Endpoint.Profile, Endpoint.Tag): =, in and contains hold when any of the endpoint's
 *   values matches; != holds when none equals (true for an endpoint with none). There are no nulls among them.
 */

export type {
  AndExpr,
  CompareExpr,
  ComparisonOperator,
  ContainsExpr,
  Expr,
  InExpr,
  NotExpr,
  OrExpr,
  PredicateExpr,
  StrategyFieldName,
  StrategyValue,
} from './ast.js';
export { formatStrategyExpression } from './ast.js';
export type {
  StrategyFieldDefinition,
  StrategyFieldDescription,
  StrategyFieldScope,
  StrategyFieldType,
  StrategyOperator,
} from './fields.js';
export {
  describeStrategyFields,
  foldStrategyCase,
  strategyFieldNames,
  strategyFields,
  strategyOperators,
} from './fields.js';
export type { StrategyValidation } from './parser.js';
export { parseStrategyExpression, strategyExpressionLimits, validateStrategyExpression } from './parser.js';
export type { StrategyRow } from './evaluate.js';
export { evaluateStrategy, holdsWithoutEndpoint } from './evaluate.js';
export { patchConditions, residualStrategy } from './residual.js';
export { namesEndpointField, patchOnlyConjuncts } from './endpoint-scope.js';
export type { StrategyExpressionProblem } from './strategy-expression-error.js';
export { STRATEGY_EXPRESSION_ERROR_CODE, StrategyExpressionError } from './strategy-expression-error.js';
