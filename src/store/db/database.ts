import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { HubError } from '../../errors.js';
import type { Database } from './schema.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { SearchPathPostgresDialect } from './postgres-dialect.js';
import { postgresBulkWriter, sqliteBulkWriter, type BulkWriter } from '../bulk/bulk-writer.js';

import type { Dialect } from './dialect.js';
import { migrations } from '../migrations/index.js';

export type { Dialect } from './dialect.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL schema the tables live in, when not the default. */
  readonly schema: string | undefined;
  /** Where the data lives, without credentials (for logs and the ready line). */
  readonly location: string;
  /** Batch writes of thousands of rows (findings), off the main thread where the database allows. */
  readonly bulk: BulkWriter;
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
    const db = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) });
    const bulk = postgresBulkWriter(databaseUrl, schema);
    return {
      db,
      dialect: 'postgres',
      schema,
      location: `postgres://${url.host}${url.pathname}${schema === undefined ? '' : ` (schema ${schema})`}`,
      bulk,
      close: async () => {
        await bulk.close();
        await db.destroy();
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
  // The bulk writes run on the writer thread's connection with its own, larger cache; this one serves reads and
  // the smaller writes, where the operating system's page cache does most of the work.
  const connection = openSqliteConnection(path, { cacheMiB: 16 });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  const bulk = sqliteBulkWriter(db, connection, path);
  return {
    db,
    dialect: 'sqlite',
    schema: undefined,
    location: `sqlite:${path}`,
    bulk,
    close: async () => {
      await bulk.close();
      await db.destroy();
    },
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
