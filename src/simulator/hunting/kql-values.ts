import { iso7, TICKS_PER_DAY, TICKS_PER_SECOND } from '../time.js';
import type { KqlType } from './kql-ast.js';

/**
 * One cell. Datetimes and timespans are tick counts (100 ns, as Defender's 7 fractional digits), strings are
 * never null (Kusto has empty strings instead), `dynamic` holds arrays.
 */
export type Value = string | number | boolean | null | readonly unknown[];
export type Row = readonly Value[];

export interface Column {
  readonly name: string;
  readonly type: KqlType;
}

/** The .NET type names the hunting APIs put in their schema. */
const SCHEMA_TYPE: Record<KqlType, string> = {
  string: 'String',
  long: 'Int64',
  int: 'Int32',
  real: 'Double',
  bool: 'Boolean',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  dynamic: 'Object',
};

export function schemaType(type: KqlType): string {
  return SCHEMA_TYPE[type];
}

export function isNumeric(type: KqlType): boolean {
  return type === 'long' || type === 'int' || type === 'real';
}

/** Whether two types can be compared with `==` and ordered with `<`. */
export function comparable(a: KqlType, b: KqlType): boolean {
  return a === b || (isNumeric(a) && isNumeric(b));
}

/** A cell as it goes on the wire: datetimes as `2026-11-20T10:11:12.1234567Z`, timespans as `d.hh:mm:ss`. */
export function renderValue(value: Value, type: KqlType): unknown {
  if (value === null) return null;
  if (type === 'datetime' && typeof value === 'number') return iso7(value);
  if (type === 'timespan' && typeof value === 'number') return formatTimespan(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** The text a string operator (`has`, `contains`) sees for a cell of any type. */
export function textOf(value: Value, type: KqlType): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  const rendered = renderValue(value, type);
  return typeof rendered === 'string' ? rendered : String(value);
}

function formatTimespan(ticks: number): string {
  const sign = ticks < 0 ? '-' : '';
  const abs = Math.abs(ticks);
  const days = Math.floor(abs / TICKS_PER_DAY);
  const rest = abs % TICKS_PER_DAY;
  const seconds = Math.floor(rest / TICKS_PER_SECOND);
  const fraction = rest % TICKS_PER_SECOND;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  const frac = fraction === 0 ? '' : `.${String(fraction).padStart(7, '0')}`;
  return `${sign}${days > 0 ? `${days}.` : ''}${hh}:${mm}:${ss}${frac}`;
}

/** Ordinal order for sorting; nulls sort first (the evaluator flips that for descending keys). */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const left = typeof a === 'string' ? a : JSON.stringify(a);
  const right = typeof b === 'string' ? b : JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A key that is equal for equal cells (grouping, `distinct`, `dcount`). */
export function keyOf(values: readonly Value[]): string {
  return JSON.stringify(values);
}
