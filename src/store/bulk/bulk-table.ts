/**
 * A table written in bulk: its columns in the order values are flattened, with the PostgreSQL type of each
 * (the unnest form needs one typed array per column), and the key an upsert updates on.
 */
export interface BulkTable {
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly pgType: string }[];
  /** The unique key of `ON CONFLICT … DO UPDATE`; undefined for a plain INSERT. */
  readonly conflict: readonly string[] | undefined;
  /** Columns a row seen again keeps as stored (its creation time): written for a new row only. */
  readonly keep?: readonly string[];
}

/** Rows flattened column by column, row after row: what crosses to a writer thread in one structured clone. */
export interface BulkRows {
  readonly values: unknown[];
  readonly count: number;
}

export function conflictClause(spec: BulkTable): string {
  if (spec.conflict === undefined) return '';
  const key = new Set([...spec.conflict, ...(spec.keep ?? [])]);
  const updates = spec.columns
    .filter((c) => !key.has(c.name))
    .map((c) => `"${c.name}" = excluded."${c.name}"`)
    .join(', ');
  return ` on conflict (${spec.conflict.map((c) => `"${c}"`).join(', ')}) do update set ${updates}`;
}

export function columnList(spec: BulkTable): string {
  return spec.columns.map((c) => `"${c.name}"`).join(', ');
}

/** Rows of one table written in transactions: appended piece by piece, committed as one. */
export interface BulkBatch {
  /** Queues rows for the next commit (the SQLite writer thread takes them at once, off this thread's heap). */
  append(rows: BulkRows): void;
  /**
   * Writes every row appended since the last commit as one transaction; resolves once it is committed, with the
   * milliseconds the database took to write it (the writer thread's own time, not the wait for its answer).
   */
  commit(): Promise<number>;
}

export interface BulkWriter {
  batch(spec: BulkTable): BulkBatch;
  close(): Promise<void>;
}
