import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { HubError } from '../errors.js';
import type { Database } from './schema.js';
import { up as initial } from './migrations/0001-initial.js';
import { up as jobs } from './migrations/0002-jobs.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL schema the tables live in, when not the default. */
  readonly schema: string | undefined;
  /** Where the data lives, without credentials (for logs and the ready line). */
  readonly location: string;
  close(): Promise<void>;
}

export class StoreError extends HubError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STORE_ERROR', message, options);
  }
}

// PostgreSQL returns bigint (count(*), bigserial ids) as strings; every such value here fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens the store named by a DATABASE_URL: `sqlite:PATH` (the embedded default) or `postgres://…`.
 */
export function openStore(databaseUrl: string, options: { schema?: string } = {}): Store {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new StoreError(`"${schema}" is not a valid schema name.`);
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    const url = new URL(databaseUrl);
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      schema,
      location: `postgres://${url.host}${url.pathname}${schema === undefined ? '' : ` (schema ${schema})`}`,
      close: async function (this: Store) {
        await this.db.destroy();
      },
    };
  }
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new StoreError(
      `DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl.split(':')[0] ?? ''}:…".`,
    );
  }
  const path = databaseUrl.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new SqliteDatabase(path);
  // WAL lets the API read while a sync writes; NORMAL is durable across process crashes in WAL mode.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 10000');
  // 64 MiB of page cache: index maintenance on multi-million-row tables is cache-bound at the 2 MiB default.
  connection.pragma('cache_size = -65536');
  connection.pragma('foreign_keys = ON');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) }),
    dialect: 'sqlite',
    schema: undefined,
    location: `sqlite:${path}`,
    close: async function (this: Store) {
      await this.db.destroy();
    },
  };
}

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': { up: initial(dialect) },
    '0002-jobs': { up: jobs(dialect) },
  };
}

/** Brings the schema to the newest version. Safe to run from several processes at once on PostgreSQL. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(migrations(store.dialect)) },
    ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StoreError(
      `The database migration failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
