import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** What the hub asks of a SQLite connection: Kysely's interface, plus plain SQL and a transaction. */
export interface SqliteConnection extends SqliteDatabase {
  prepare(sql: string): SqliteConnectionStatement;
  exec(sql: string): void;
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction(work: () => void): void;
}

export interface SqliteConnectionStatement extends SqliteStatement {
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}

/**
 * Node's built-in SQLite (`node:sqlite`): nothing to compile on install, and it stored findings faster than
 * better-sqlite3 13 did, side by side in the 20,000-machine `npm run bench:sync` (raw inserts 11,362 against
 * 8,077 rows/s).
 */
class NodeSqliteConnection implements SqliteConnection {
  readonly #database: DatabaseSync;

  constructor(path: string) {
    this.#database = new DatabaseSync(path);
  }

  prepare(sql: string): SqliteConnectionStatement {
    const statement = this.#database.prepare(sql);
    return {
      // Kysely reads rows only from statements that return columns (SELECT, or anything with RETURNING).
      reader: statement.columns().length > 0,
      all: (parameters) => statement.all(...bind(parameters)),
      run: (parameters) => statement.run(...bind(parameters)),
      iterate: (parameters) => statement.iterate(...bind(parameters)),
    };
  }

  exec(sql: string): void {
    this.#database.exec(sql);
  }

  transaction(work: () => void): void {
    this.#database.exec('begin');
    try {
      work();
    } catch (error) {
      if (this.#database.isTransaction) this.#database.exec('rollback');
      throw error;
    }
    this.#database.exec('commit');
  }

  close(): void {
    if (this.#database.isOpen) this.#database.close();
  }
}

/** Kysely and the bulk writer bind only SQLite's own types (numbers, strings, bigints, bytes, null). */
function bind(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters as SQLInputValue[];
}

/** A connection to the hub's SQLite file with the settings every connection to it must share. */
export function openSqliteConnection(path: string, options: { cacheMiB: number }): SqliteConnection {
  const connection = new NodeSqliteConnection(path);
  // First: every later pragma may need a lock, and another process opening the same file (two CLI commands
  // at once, the CLI beside a running server) holds one for a moment; without a timeout that is a hard error.
  // Two connections also write this file from one process (the main one and the bulk writer thread).
  connection.exec('pragma busy_timeout = 10000');
  // Only a new database takes it (before its first table): 16 KiB pages hold more index entries each, so a
  // batch's scattered index updates touch fewer pages; findings store about a quarter faster than at 4 KiB.
  connection.exec('pragma page_size = 16384');
  // WAL lets the API read while a sync writes; NORMAL is durable across process crashes in WAL mode.
  connection.exec('pragma journal_mode = WAL');
  connection.exec('pragma synchronous = NORMAL');
  connection.exec(`pragma cache_size = -${options.cacheMiB * 1024}`);
  connection.exec('pragma foreign_keys = ON');
  return connection;
}
