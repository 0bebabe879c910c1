import { columnList, conflictClause, type BulkRows, type BulkTable } from './bulk-table.js';

/**
 * One statement per batch: `INSERT … SELECT * FROM unnest($1::text[], $2::text[], …)` binds one array per column,
 * so a 5,000-row batch is 25 parameters for PostgreSQL to plan, not 125,000.
 */
export function postgresBulkStatement(
  spec: BulkTable,
  parts: readonly BulkRows[],
): { readonly text: string; readonly values: unknown[][] } {
  const arrays = spec.columns.map((column, c) => `$${c + 1}::${column.pgType}[]`).join(', ');
  return {
    text: `insert into "${spec.table}" (${columnList(spec)}) select * from unnest(${arrays})${conflictClause(spec)}`,
    values: columnArrays(spec, parts),
  };
}

/**
 * One array per column over the rows of the parts, each key once with its last values: PostgreSQL refuses to
 * upsert one key twice in a statement ("ON CONFLICT DO UPDATE command cannot affect row a second time"); SQLite
 * simply updates again.
 */
function columnArrays(spec: BulkTable, parts: readonly BulkRows[]): unknown[][] {
  const width = spec.columns.length;
  const keyColumns = (spec.conflict ?? []).map((name) => spec.columns.findIndex((c) => c.name === name));
  const columns = spec.columns.map(() => [] as unknown[]);
  const byKey = new Map<string, number>();
  let rows = 0;
  for (const { values, count } of parts) {
    for (let base = 0; base < count * width; base += width) {
      let at = rows;
      if (keyColumns.length > 0) {
        const key = JSON.stringify(keyColumns.map((c) => values[base + c]));
        const seen = byKey.get(key);
        if (seen === undefined) byKey.set(key, rows);
        else at = seen;
      }
      for (let c = 0; c < width; c++) (columns[c] as unknown[])[at] = values[base + c];
      if (at === rows) rows++;
    }
  }
  return columns;
}
