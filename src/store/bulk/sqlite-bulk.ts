import type { SqliteConnection, SqliteConnectionStatement } from '../db/sqlite-connection.js';
import { columnList, conflictClause, type BulkRows, type BulkTable } from './bulk-table.js';

/** Rows per statement: a prepared 100-row INSERT binds 2,500 values for findings, far below SQLite's limit. */
const statementRows = 100;

/**
 * Runs bulk upserts on one SQLite connection with prepared statements kept per shape, so a batch costs
 * no SQL compilation: each INSERT is parsed once per connection, not once per chunk.
 */
export class SqliteBulkWriter {
  readonly #connection: SqliteConnection;
  readonly #statements = new Map<string, SqliteConnectionStatement>();

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  /** Writes every part in one transaction. */
  write(spec: BulkTable, parts: readonly BulkRows[]): void {
    const width = spec.columns.length;
    const full = this.#statement(spec, statementRows);
    const single = this.#statement(spec, 1);
    this.#connection.transaction(() => {
      for (const { values, count } of parts) {
        let row = 0;
        for (; row + statementRows <= count; row += statementRows)
          full.run(values.slice(row * width, (row + statementRows) * width));
        for (; row < count; row++) single.run(values.slice(row * width, (row + 1) * width));
      }
    });
  }

  #statement(spec: BulkTable, rowCount: number): SqliteConnectionStatement {
    const key = `${spec.table}|${String(spec.conflict)}|${rowCount}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(${spec.columns.map(() => '?').join(', ')})`;
      statement = this.#connection.prepare(
        `insert into "${spec.table}" (${columnList(spec)}) values ${Array.from({ length: rowCount }, () => tuple).join(', ')}${conflictClause(spec)}`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }
}
