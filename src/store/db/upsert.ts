import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows per INSERT: below SQLite's bound-parameter limit for our widest table (findings, 25 columns). */
export const upsertChunkRows = 500;

/**
 * INSERT … ON CONFLICT (key) DO UPDATE SET every other column = excluded.column, in chunks. The same statement
 * runs on SQLite and PostgreSQL. Call it inside a transaction to commit a batch as one.
 */
export async function upsertRows<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  conflictColumns: readonly (keyof Database[T] & string)[],
  keepOnUpdate: readonly (keyof Database[T] & string)[] = [],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const skip = new Set<string>([...conflictColumns, ...keepOnUpdate]);
  const updateColumns = Object.keys(first).filter((c) => !skip.has(c));
  for (let i = 0; i < rows.length; i += upsertChunkRows) {
    const chunk = rows.slice(i, i + upsertChunkRows);
    // Kysely cannot relate a generic table's columns to `excluded.*` statically; the names come from the row.
    /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument */
    const tableName: string = table;
    await (db as Kysely<any>)
      .insertInto(tableName)
      .values(chunk as any)
      .onConflict((oc) =>
        oc
          .columns([...conflictColumns])
          .doUpdateSet(Object.fromEntries(updateColumns.map((c) => [c, sql.ref(`excluded.${c}`)]))),
      )
      .execute();
    /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument */
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
