import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import {
  foldStrategyCase,
  strategyFields,
  type ComparisonOperator,
  type Expr,
  type PredicateExpr,
  type StrategyFieldDefinition,
  type StrategyFieldName,
  type StrategyValue,
} from '../../domain/strategy/index.js';
import type { Dialect } from '../db/dialect.js';

/**
 * Compiles a parsed patch strategy to a SQL condition with exactly the answers of `evaluateStrategy` (the
 * contract is in src/domain/strategy/index.ts). Every value is a bound parameter.
 *
 * The condition refers to the aliases `p` (patches) and `e` (endpoints), so the query must name them so, as
 * `patchEndpointPairs` does (each patch joined to the endpoints of its `endpoint_ids`).
 *
 * How each kind of field is read:
 * - levels by their rank column, a rank outside the field's scale (-1) counting as null;
 * - booleans by their 0/1 column;
 * - strings folded with ASCII-only lower() (`collate "C"` on PostgreSQL, whose other collations fold more),
 *   against values folded by foldStrategyCase; `contains` is strpos/instr, so % and _ are plain characters;
 * - Endpoint.Profile and Endpoint.Tag through an exists over the endpoint's profiles or its JSON tag array.
 */
export function compileStrategy(expr: Expr, dialect: Dialect): Expression<SqlBool> {
  return compile(expr, dialect);
}

function compile(expr: Expr, dialect: Dialect): RawBuilder<SqlBool> {
  switch (expr.kind) {
    case 'and':
      return sql<SqlBool>`(${compile(expr.left, dialect)} and ${compile(expr.right, dialect)})`;
    case 'or':
      return sql<SqlBool>`(${compile(expr.left, dialect)} or ${compile(expr.right, dialect)})`;
    case 'not':
      // Every condition below is already two-valued (never null), so this `not` is the evaluator's `!`.
      return sql<SqlBool>`(not ${compile(expr.expr, dialect)})`;
    default:
      return predicate(expr, dialect);
  }
}

/** A test of one comparable SQL value: the condition, which may be null when the value is. */
type ValueTest = (value: RawBuilder<unknown>) => RawBuilder<SqlBool>;

function predicate(expr: PredicateExpr, dialect: Dialect): RawBuilder<SqlBool> {
  const definition = strategyFields[expr.field];
  const source = sources[expr.field];
  if (source.kind === 'multi') return multiValued(expr, source.over, dialect);
  const value = comparableValue(definition, source, dialect);
  return sql<SqlBool>`coalesce(${testOf(expr, definition, dialect)(value)}, false)`;
}

// ---------------------------------------------------------------------------------------------------------
// Where each field lives

type SingleSource =
  | { readonly kind: 'rank'; readonly column: string }
  | { readonly kind: 'flag'; readonly column: string }
  | { readonly kind: 'number'; readonly column: string; readonly real?: true }
  | { readonly kind: 'text'; readonly column: string };
type MultiSource = { readonly kind: 'multi'; readonly over: 'profiles' | 'tags' };

const sources: { readonly [F in StrategyFieldName]: SingleSource | MultiSource } = {
  'Defender.SeverityLevel': { kind: 'rank', column: 'p.severity_rank' },
  'Defender.ExploitabilityLevel': { kind: 'rank', column: 'p.exploitability_rank' },
  'Defender.KnownExploitExists': { kind: 'flag', column: 'p.known_exploit' },
  'Defender.SecurityUpdateAvailable': { kind: 'flag', column: 'p.update_available' },
  'Defender.NetworkAccessible': { kind: 'flag', column: 'p.network_accessible' },
  'Software.Vendor': { kind: 'text', column: 'p.software_vendor' },
  'Software.Name': { kind: 'text', column: 'p.software_name' },
  Cvss: { kind: 'number', column: 'p.max_cvss', real: true },
  'Patch.Name': { kind: 'text', column: 'p.name' },
  'Patch.CveCount': { kind: 'number', column: 'p.cve_count' },
  'Patch.EndpointCount': { kind: 'number', column: 'p.endpoint_count' },
  'Endpoint.Profile': { kind: 'multi', over: 'profiles' },
  'Endpoint.DeviceGroup': { kind: 'text', column: 'e.rbac_group_name' },
  'Endpoint.Name': { kind: 'text', column: 'e.computer_dns_name' },
  'Endpoint.RiskLevel': { kind: 'rank', column: 'e.risk_rank' },
  'Endpoint.Tag': { kind: 'multi', over: 'tags' },
};

/** The column as the evaluator compares it: null wherever the evaluator has nothing to compare. */
function comparableValue(
  definition: StrategyFieldDefinition,
  source: SingleSource,
  dialect: Dialect,
): RawBuilder<unknown> {
  const column = sql.ref(source.column);
  switch (source.kind) {
    case 'rank': {
      // A rank outside the scale is an unknown level, which the evaluator treats as null.
      const highest = (definition.level ?? []).length - 1;
      return sql`case when ${column} between ${0} and ${highest} then ${column} end`;
    }
    case 'flag':
      return sql`${column}`;
    case 'text':
      return folded(column, dialect);
    case 'number':
      return source.real === true && dialect === 'postgres'
        ? realAsJavaScriptReadsIt(column)
        : sql`${column}`;
  }
}

/**
 * A PostgreSQL `real` as the hub reads it: node-pg parses the float4's shortest text, so 7.1 stored reads as
 * the double 7.1, while a plain cast to double gives 7.099999904632568 and `Cvss >= 7.1` would miss it. The
 * evaluator counts NaN as null; PostgreSQL holds NaN equal to itself and above every number.
 */
function realAsJavaScriptReadsIt(column: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`nullif(cast(cast(${column} as text) as double precision), cast(${'NaN'} as double precision))`;
}

/** ASCII-only lower case, like foldStrategyCase. */
function folded(text: RawBuilder<unknown>, dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`lower(${text} collate "C")` : sql`lower(${text})`;
}

// ---------------------------------------------------------------------------------------------------------
// Conditions on one value

function testOf(predicate: PredicateExpr, definition: StrategyFieldDefinition, dialect: Dialect): ValueTest {
  switch (predicate.kind) {
    case 'in':
      return isAnyOf(predicate.values, definition, dialect);
    case 'contains':
      return containsText(predicate.value, dialect);
    case 'compare':
      return comparison(predicate.op, predicate.value, definition, dialect);
  }
}

function comparison(
  op: ComparisonOperator,
  target: StrategyValue,
  definition: StrategyFieldDefinition,
  dialect: Dialect,
): ValueTest {
  const operator = sqlOperators[op];
  // Ordering applies to numbers and level ranks only, as in the evaluator; the parser never lets it through.
  const ordered = definition.type === 'number' || definition.type === 'level';
  if (typeof operator !== 'string' || (!ordered && op !== '=' && op !== '!=')) throw misfit(target);
  const operand = operandOf(definition, target, dialect);
  if (operand === undefined) {
    // A text no stored value can equal: `=` never holds, `!=` holds on every non-null value.
    return op === '!=' ? (value) => sql<SqlBool>`${value} is not null` : () => sql<SqlBool>`false`;
  }
  return (value) => sql<SqlBool>`${value} ${sql.raw(operator)} ${operand}`;
}

// A lookup rather than the operator's own text, so a hand-built tree cannot put arbitrary text into the SQL.
const sqlOperators: Readonly<Record<ComparisonOperator, string>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function isAnyOf(
  values: readonly StrategyValue[],
  definition: StrategyFieldDefinition,
  dialect: Dialect,
): ValueTest {
  const operands = values
    .map((v) => operandOf(definition, v, dialect))
    .filter((operand) => operand !== undefined);
  if (operands.length === 0) return () => sql<SqlBool>`false`;
  return (value) => sql<SqlBool>`${value} in (${sql.join(operands)})`;
}

function containsText(needle: string, dialect: Dialect): ValueTest {
  const text = foldStrategyCase(needle);
  if (!storable(text, dialect)) return () => sql<SqlBool>`false`;
  // Position functions rather than LIKE: no character of the needle is special, and '' is found in any text.
  return dialect === 'postgres'
    ? (value) => sql<SqlBool>`strpos(${value}, ${text}) > 0`
    : (value) => sql<SqlBool>`instr(${value}, ${text}) > 0`;
}

/**
 * A value from the tree, bound in the comparable form of its field; undefined for a text no stored value can
 * hold. A tree that does not type-check (built by hand, not parsed) is refused like the evaluator refuses it.
 */
function operandOf(
  definition: StrategyFieldDefinition,
  value: StrategyValue,
  dialect: Dialect,
): RawBuilder<unknown> | undefined {
  switch (definition.type) {
    case 'level': {
      const folded = typeof value === 'string' ? foldStrategyCase(value) : undefined;
      const rank = (definition.level ?? []).findIndex((level) => foldStrategyCase(level) === folded);
      if (rank === -1) throw misfit(value);
      return sql`${rank}`;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw misfit(value);
      return sql`${value ? 1 : 0}`;
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) throw misfit(value);
      // A JS number can be fractional; PostgreSQL would otherwise type the parameter as the integer column's.
      return dialect === 'postgres' ? sql`cast(${value} as double precision)` : sql`${value}`;
    case 'string': {
      if (typeof value !== 'string') throw misfit(value);
      const text = foldStrategyCase(value);
      return storable(text, dialect) ? sql`${text}` : undefined;
    }
  }
}

/**
 * Whether a text column can hold this exact text. Neither driver stores a lone UTF-16 surrogate (both write
 * U+FFFD instead, which would then match), and PostgreSQL refuses NUL outright; the evaluator would compare
 * such a value with the text the hub reads back and find it nowhere.
 */
function storable(text: string, dialect: Dialect): boolean {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return false;
  return dialect === 'sqlite' || !text.includes('\u0000');
}

function misfit(value: StrategyValue): TypeError {
  return new TypeError(
    `compileStrategy: ${JSON.stringify(value)} does not fit its field; compile only trees from parseStrategyExpression.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Multi-valued fields

/**
 * =, in and contains: some value matches. != : no value equals, which is why it is `not exists (… =)` rather
 * than `exists (… <>)`. Both forms are two-valued already (exists is never null).
 */
function multiValued(
  predicate: PredicateExpr,
  over: MultiSource['over'],
  dialect: Dialect,
): RawBuilder<SqlBool> {
  const definition = strategyFields[predicate.field];
  if (predicate.kind === 'compare' && predicate.op === '!=') {
    const equal = comparison('=', predicate.value, definition, dialect);
    return sql<SqlBool>`(not ${anyValue(over, dialect, equal)})`;
  }
  return anyValue(over, dialect, testOf(predicate, definition, dialect));
}

function anyValue(over: MultiSource['over'], dialect: Dialect, test: ValueTest): RawBuilder<SqlBool> {
  if (over === 'profiles') {
    return sql<SqlBool>`exists (select 1 from endpoint_profiles as ep inner join profiles as pr on pr.id = ep.profile_id where ep.endpoint_id = ${sql.ref('e.id')} and ${test(folded(sql.ref('pr.name'), dialect))})`;
  }
  const tags = sql.ref('e.machine_tags');
  return dialect === 'postgres'
    ? sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(cast(${tags} as jsonb)) as t(value) where ${test(folded(sql.ref('t.value'), dialect))})`
    : sql<SqlBool>`exists (select 1 from json_each(${tags}) as t where ${test(folded(sql.ref('t.value'), dialect))})`;
}
