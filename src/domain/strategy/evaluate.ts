import {
  formatValue,
  type ComparisonOperator,
  type Expr,
  type PredicateExpr,
  type StrategyValue,
} from './ast.js';
import {
  foldStrategyCase,
  strategyFields,
  type StrategyFieldDefinition,
  type StrategyFieldName,
} from './fields.js';

/**
 * The in-memory reference semantics of a strategy, one (patch × endpoint) pair at a time. The store's SQL
 * compiler must give the same answer on every row; the rules are spelled out in index.ts. In short: a condition
 * on a null (or unknown level) value is false, whatever the operator, `!=` included; `not` negates that
 * two-valued result, so on SQL it is `not coalesce(condition, false)`.
 */
export interface StrategyRow {
  readonly patch: {
    readonly severityLevel: string | null;
    readonly exploitabilityLevel: string | null;
    readonly knownExploitExists: boolean;
    readonly securityUpdateAvailable: boolean;
    readonly networkAccessible: boolean;
    readonly vendor: string | null;
    readonly software: string | null;
    readonly cvss: number | null;
    readonly name: string;
    readonly cveCount: number;
    readonly endpointCount: number;
  };
  readonly endpoint: {
    readonly profiles: readonly string[];
    readonly deviceGroup: string | null;
    readonly name: string | null;
    readonly riskLevel: string;
    readonly tags: readonly string[];
  };
}

type RowValue = string | number | boolean | null;

/** Every field's values on a row: one for most, any number for the multi-valued ones. */
const readers: { readonly [F in StrategyFieldName]: (row: StrategyRow) => readonly RowValue[] } = {
  'Defender.SeverityLevel': (row) => [row.patch.severityLevel],
  'Defender.ExploitabilityLevel': (row) => [row.patch.exploitabilityLevel],
  'Defender.KnownExploitExists': (row) => [row.patch.knownExploitExists],
  'Defender.SecurityUpdateAvailable': (row) => [row.patch.securityUpdateAvailable],
  'Defender.NetworkAccessible': (row) => [row.patch.networkAccessible],
  'Software.Vendor': (row) => [row.patch.vendor],
  'Software.Name': (row) => [row.patch.software],
  Cvss: (row) => [row.patch.cvss],
  'Patch.Name': (row) => [row.patch.name],
  'Patch.CveCount': (row) => [row.patch.cveCount],
  'Patch.EndpointCount': (row) => [row.patch.endpointCount],
  'Endpoint.Profile': (row) => row.endpoint.profiles,
  'Endpoint.DeviceGroup': (row) => [row.endpoint.deviceGroup],
  'Endpoint.Name': (row) => [row.endpoint.name],
  'Endpoint.RiskLevel': (row) => [row.endpoint.riskLevel],
  'Endpoint.Tag': (row) => row.endpoint.tags,
};

export function evaluateStrategy(expr: Expr, row: StrategyRow): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateStrategy(expr.left, row) && evaluateStrategy(expr.right, row);
    case 'or':
      return evaluateStrategy(expr.left, row) || evaluateStrategy(expr.right, row);
    case 'not':
      return !evaluateStrategy(expr.expr, row);
    default:
      return holds(expr, row);
  }
}

/**
 * What conditions compare: levels as their rank in the order, strings case-folded, numbers and booleans as
 * they are. Null stands for "nothing to compare", which makes every condition on it false.
 */
type Comparable = string | number | boolean;

function comparable(definition: StrategyFieldDefinition, value: RowValue): Comparable | null {
  switch (definition.type) {
    case 'level': {
      if (typeof value !== 'string') return null;
      const folded = foldStrategyCase(value);
      const rank = (definition.level ?? []).findIndex((level) => foldStrategyCase(level) === folded);
      return rank === -1 ? null : rank;
    }
    case 'string':
      return typeof value === 'string' ? foldStrategyCase(value) : null;
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value) ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
  }
}

/**
 * Whether an expression over endpoint fields alone (what residualStrategy leaves of a strategy on one patch)
 * holds on a device that is not an endpoint. Such a device has no endpoint fields: no profile and no tag, and no
 * group, name or risk level, so each condition is judged on no values (false, but `!=` on a multi-valued field,
 * which holds when none equals). A strategy selects such a device of a patch exactly when this holds.
 */
export function holdsWithoutEndpoint(residual: Expr): boolean {
  switch (residual.kind) {
    case 'and':
      return holdsWithoutEndpoint(residual.left) && holdsWithoutEndpoint(residual.right);
    case 'or':
      return holdsWithoutEndpoint(residual.left) || holdsWithoutEndpoint(residual.right);
    case 'not':
      return !holdsWithoutEndpoint(residual.expr);
    default:
      if (strategyFields[residual.field].scope !== 'endpoint')
        throw new TypeError(
          `holdsWithoutEndpoint: ${residual.field} is a patch field; pass what residualStrategy leaves.`,
        );
      return valuesHold(residual, []);
  }
}

function holds(predicate: PredicateExpr, row: StrategyRow): boolean {
  return valuesHold(predicate, readers[predicate.field](row));
}

function valuesHold(predicate: PredicateExpr, read: readonly RowValue[]): boolean {
  const definition = strategyFields[predicate.field];
  const values = read.map((value) => comparable(definition, value)).filter((value) => value !== null);
  // "No profile equals X": on one value this is plain !=, and a null still makes it false (no values).
  if (definition.multiValued && predicate.kind === 'compare' && predicate.op === '!=') {
    const target = operand(predicate.field, definition, predicate.value);
    return !values.some((value) => value === target);
  }
  return values.some(testOf(predicate, definition));
}

function testOf(
  predicate: PredicateExpr,
  definition: StrategyFieldDefinition,
): (value: Comparable) => boolean {
  switch (predicate.kind) {
    case 'in': {
      const targets = predicate.values.map((v) => operand(predicate.field, definition, v));
      return (value) => targets.includes(value);
    }
    case 'contains': {
      const needle = operand(predicate.field, definition, predicate.value);
      if (typeof needle !== 'string') throw misfit(predicate.field, 'contains', predicate.value);
      return (value) => typeof value === 'string' && value.includes(needle);
    }
    case 'compare':
      return comparison(predicate.field, predicate.op, operand(predicate.field, definition, predicate.value));
  }
}

function comparison(
  field: StrategyFieldName,
  op: ComparisonOperator,
  target: Comparable,
): (value: Comparable) => boolean {
  if (op === '=') return (value) => value === target;
  if (op === '!=') return (value) => value !== target;
  // Ordering applies to numbers and level ranks only; the parser never lets it reach a string or a boolean.
  if (typeof target !== 'number') throw misfit(field, op, target);
  const ordered = (value: Comparable): value is number => typeof value === 'number';
  switch (op) {
    case '<':
      return (value) => ordered(value) && value < target;
    case '<=':
      return (value) => ordered(value) && value <= target;
    case '>':
      return (value) => ordered(value) && value > target;
    case '>=':
      return (value) => ordered(value) && value >= target;
  }
}

/** A value from the tree, in comparable form; a tree built by hand can hold one that does not fit its field. */
function operand(
  field: StrategyFieldName,
  definition: StrategyFieldDefinition,
  value: StrategyValue,
): Comparable {
  const result = comparable(definition, value);
  if (result === null) throw misfit(field, '=', value);
  return result;
}

function misfit(field: StrategyFieldName, op: string, value: StrategyValue): TypeError {
  return new TypeError(
    `evaluateStrategy: ${field} ${op} ${formatValue(value)} does not type-check; ` +
      'evaluate only trees from parseStrategyExpression.',
  );
}
