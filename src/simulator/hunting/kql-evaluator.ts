import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Aggregate, KqlType, NamedExpression, QueryAst, SortKey, Stage } from './kql-ast.js';
import { KqlError } from './kql-error.js';
import { compileExpression, compilePredicate, type Compiled } from './kql-expressions.js';
import { parseKql } from './kql-parser.js';
import { compareValues, isNumeric, keyOf, type Column, type Row, type Value } from './kql-values.js';

/** What the query reads: its columns, and its rows in batches (a generator, so a 5-million-row table is never held). */
export interface HuntingTable {
  readonly name: string;
  readonly columns: readonly Column[];
  /** The column the query's time window applies to; tables without one (TVM snapshots) ignore the window. */
  readonly timestampColumn?: string;
  batches(): Iterable<readonly Row[]>;
}

export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export interface RunScope {
  readonly tables: ReadonlyMap<string, HuntingTable>;
  readonly now: number;
  readonly window: TimeWindow | undefined;
  /** Asked between batches; true stops the scan (the caller went away). */
  readonly cancelled?: () => boolean;
}

export interface QueryRun {
  readonly columns: readonly Column[];
  readonly batches: AsyncIterable<readonly Row[]>;
  /** Table rows read so far: the simulated CPU cost. */
  scanned(): number;
}

type Batches = AsyncIterable<readonly Row[]>;

interface Step {
  readonly columns: readonly Column[];
  readonly apply: (input: Batches) => Batches;
}

/** Rows read between two yields to the event loop, so one large scan does not stall other requests. */
const ROWS_PER_SLICE = 8192;
const OUTPUT_BATCH = 1024;

/**
 * Parses and type-checks the whole query before the first row is read (so a bad column is a 400, never a
 * half-sent answer), then returns the rows as a lazy pipeline: `take` stops the scan early.
 */
export function runKql(text: string, scope: RunScope): QueryRun {
  const ast = parseKql(text);
  return plan(ast, scope);
}

export function plan(ast: QueryAst, scope: RunScope): QueryRun {
  const table = scope.tables.get(ast.table);
  if (table === undefined) {
    throw new KqlError(
      'semantic',
      `Failed to resolve table expression named '${ast.table}'`,
      ast.tablePosition,
      `Tables in the Defender simulator: ${[...scope.tables.keys()].join(', ')}`,
    );
  }
  let columns: readonly Column[] = table.columns;
  const steps: Step[] = [];
  for (const stage of ast.stages) {
    const step = compileStage(stage, columns, scope.now);
    steps.push(step);
    columns = step.columns;
  }
  let scanned = 0;
  const counted = (count: number): void => {
    scanned += count;
  };
  let batches: Batches = source(table, scope, counted);
  for (const step of steps) batches = step.apply(batches);
  return { columns, batches, scanned: () => scanned };
}

async function* source(table: HuntingTable, scope: RunScope, counted: (n: number) => void): Batches {
  const inWindow = windowFilter(table, scope.window);
  let sinceYield = 0;
  for (const batch of table.batches()) {
    counted(batch.length);
    sinceYield += batch.length;
    if (sinceYield >= ROWS_PER_SLICE) {
      sinceYield = 0;
      await yieldToEventLoop();
      if (scope.cancelled?.() === true) return;
    }
    const rows = inWindow === undefined ? batch : batch.filter(inWindow);
    if (rows.length > 0) yield rows;
  }
}

function windowFilter(
  table: HuntingTable,
  window: TimeWindow | undefined,
): ((row: Row) => boolean) | undefined {
  if (window === undefined || table.timestampColumn === undefined) return undefined;
  const index = table.columns.findIndex((c) => c.name === table.timestampColumn);
  return (row) => {
    const at = row[index];
    return typeof at === 'number' && at >= window.from && at <= window.to;
  };
}

function compileStage(stage: Stage, columns: readonly Column[], now: number): Step {
  switch (stage.kind) {
    case 'where': {
      const test = compilePredicate(stage.predicate, { columns, now, operator: 'where' });
      return { columns, apply: (input) => mapBatches(input, (batch) => batch.filter(test)) };
    }
    case 'project':
      return project(stage.columns, columns, now, 'project');
    case 'take':
      return { columns, apply: (input) => take(input, stage.count) };
    case 'sort':
      return sortStep(stage.keys, columns, now, 'sort', undefined);
    case 'top':
      return sortStep([stage.key], columns, now, 'top', stage.count);
    case 'count':
      return { columns: [{ name: 'Count', type: 'long' }], apply: count };
    case 'distinct':
      return distinct(stage.columns, columns, now);
    case 'summarize':
      return summarize(stage.aggregates, stage.by, columns, now);
  }
}

function uniqueNames(
  items: readonly { name: string; position: NamedExpression['position'] }[],
  operator: string,
): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name))
      throw new KqlError(
        'semantic',
        `'${operator}' operator: the column '${item.name}' is given twice`,
        item.position,
      );
    seen.add(item.name);
  }
}

function compileNamed(
  items: readonly NamedExpression[],
  columns: readonly Column[],
  now: number,
  operator: string,
): { columns: Column[]; compiled: Compiled[] } {
  uniqueNames(items, operator);
  const compiled = items.map((item) => compileExpression(item.expression, { columns, now, operator }));
  return {
    columns: items.map((item, i) => ({ name: item.name, type: compiled[i]?.type ?? 'string' })),
    compiled,
  };
}

function project(
  items: readonly NamedExpression[],
  columns: readonly Column[],
  now: number,
  operator: string,
): Step {
  const out = compileNamed(items, columns, now, operator);
  const evaluators = out.compiled.map((c) => c.evaluate);
  return {
    columns: out.columns,
    apply: (input) =>
      mapBatches(input, (batch) => batch.map((row) => evaluators.map((evaluate) => evaluate(row)))),
  };
}

async function* mapBatches(input: Batches, change: (batch: readonly Row[]) => readonly Row[]): Batches {
  for await (const batch of input) {
    const rows = change(batch);
    if (rows.length > 0) yield rows;
  }
}

/** Returning from the loop closes the upstream generators, which stops the table scan. */
async function* take(input: Batches, limit: number): Batches {
  let remaining = limit;
  if (remaining === 0) return;
  for await (const batch of input) {
    const rows = batch.length <= remaining ? batch : batch.slice(0, remaining);
    remaining -= rows.length;
    yield rows;
    if (remaining === 0) return;
  }
}

async function* count(input: Batches): Batches {
  let total = 0;
  for await (const batch of input) total += batch.length;
  yield [[total]];
}

async function collect(input: Batches): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of input) for (const row of batch) rows.push(row);
  return rows;
}

function* chunks(rows: readonly Row[]): Iterable<readonly Row[]> {
  for (let at = 0; at < rows.length; at += OUTPUT_BATCH) yield rows.slice(at, at + OUTPUT_BATCH);
}

/** Kusto puts nulls first when ascending and last when descending. */
function sortStep(
  keys: readonly SortKey[],
  columns: readonly Column[],
  now: number,
  operator: string,
  limit: number | undefined,
): Step {
  const compiled = keys.map((key) => ({
    evaluate: compileExpression(key.expression, { columns, now, operator }).evaluate,
    direction: key.descending ? -1 : 1,
  }));
  const order = (a: Row, b: Row): number => {
    for (const key of compiled) {
      const diff = compareValues(key.evaluate(a), key.evaluate(b));
      if (diff !== 0) return diff * key.direction;
    }
    return 0;
  };
  return {
    columns,
    apply: async function* (input) {
      const rows = (await collect(input)).sort(order);
      yield* chunks(limit === undefined ? rows : rows.slice(0, limit));
    },
  };
}

function distinct(items: readonly NamedExpression[], columns: readonly Column[], now: number): Step {
  const out = compileNamed(items, columns, now, 'distinct');
  return {
    columns: out.columns,
    apply: async function* (input) {
      const seen = new Set<string>();
      for await (const batch of input) {
        const rows: Row[] = [];
        for (const row of batch) {
          const values = out.compiled.map((c) => c.evaluate(row));
          const key = keyOf(values);
          if (seen.has(key)) continue;
          seen.add(key);
          rows.push(values);
        }
        if (rows.length > 0) yield rows;
      }
    },
  };
}

interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

function aggregateType(aggregate: Aggregate, argument: Compiled | undefined): KqlType {
  if (aggregate.fn === 'count' || aggregate.fn === 'dcount') return 'long';
  const type = argument?.type ?? 'long';
  if (aggregate.fn === 'sum' && !isNumeric(type) && type !== 'timespan')
    throw new KqlError(
      'semantic',
      `'summarize' operator: sum() needs a number, not ${type}`,
      aggregate.position,
    );
  if (aggregate.fn === 'sum') return type === 'int' ? 'long' : type;
  return type;
}

function accumulator(aggregate: Aggregate, argument: Compiled | undefined): () => Accumulator {
  const evaluate = argument?.evaluate ?? (() => null);
  switch (aggregate.fn) {
    case 'count':
      return () => {
        let n = 0;
        return {
          add: () => {
            n++;
          },
          result: () => n,
        };
      };
    case 'dcount':
      return () => {
        const seen = new Set<string>();
        return {
          add: (row) => {
            const value = evaluate(row);
            if (value !== null) seen.add(keyOf([value]));
          },
          result: () => seen.size,
        };
      };
    case 'sum':
      return () => {
        let total = 0;
        return {
          add: (row) => {
            const value = evaluate(row);
            if (typeof value === 'number') total += value;
          },
          result: () => total,
        };
      };
    case 'min':
    case 'max': {
      const sign = aggregate.fn === 'min' ? -1 : 1;
      return () => {
        let best: Value = null;
        return {
          add: (row) => {
            const value = evaluate(row);
            if (value !== null && (best === null || compareValues(value, best) * sign > 0)) best = value;
          },
          result: () => best,
        };
      };
    }
  }
}

/** Group columns first, then the aggregates, as Kusto orders them. */
function summarize(
  aggregates: readonly Aggregate[],
  by: readonly NamedExpression[],
  columns: readonly Column[],
  now: number,
): Step {
  const groups = compileNamed(by, columns, now, 'summarize');
  const scope = { columns, now, operator: 'summarize' };
  const compiledAggregates = aggregates.map((aggregate) => {
    const argument =
      aggregate.argument === undefined ? undefined : compileExpression(aggregate.argument, scope);
    return {
      column: { name: aggregate.name, type: aggregateType(aggregate, argument) },
      make: accumulator(aggregate, argument),
    };
  });
  uniqueNames([...by, ...aggregates], 'summarize');
  return {
    columns: [...groups.columns, ...compiledAggregates.map((a) => a.column)],
    apply: async function* (input) {
      const table = new Map<string, { keys: Value[]; accumulators: Accumulator[] }>();
      for await (const batch of input) {
        for (const row of batch) {
          const keys = groups.compiled.map((c) => c.evaluate(row));
          const id = keyOf(keys);
          let group = table.get(id);
          if (group === undefined) {
            group = { keys, accumulators: compiledAggregates.map((a) => a.make()) };
            table.set(id, group);
          }
          for (const acc of group.accumulators) acc.add(row);
        }
      }
      // Without `by`, Kusto answers one row even over no input (count() = 0).
      if (table.size === 0 && by.length === 0)
        table.set('', { keys: [], accumulators: compiledAggregates.map((a) => a.make()) });
      const rows = [...table.values()].map((g) => [...g.keys, ...g.accumulators.map((a) => a.result())]);
      yield* chunks(rows);
    },
  };
}
