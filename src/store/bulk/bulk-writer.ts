import type { Kysely } from 'kysely';
import type { SqliteConnection } from '../db/sqlite-connection.js';
import type { BulkBatch, BulkRows, BulkWriter } from './bulk-table.js';
import { BackgroundBulkWriter } from './background-bulk-writer.js';
import { SqliteBulkWriter } from './sqlite-bulk.js';
import { bulkWriteFailure } from './bulk-write-error.js';

export type { BulkBatch, BulkWriter } from './bulk-table.js';

/** A batch whose rows wait in this thread until the commit hands them over at once. */
function localBatch(write: (parts: readonly BulkRows[]) => Promise<void>): BulkBatch {
  let parts: BulkRows[] = [];
  return {
    append: (rows) => {
      if (rows.count > 0) parts.push(rows);
    },
    commit: async () => {
      const taken = parts;
      parts = [];
      if (taken.length === 0) return 0;
      const started = performance.now();
      await write(taken);
      return performance.now() - started;
    },
  };
}

/** Bulk writes on a thread with a PostgreSQL connection of its own (the pool's schema, if any). */
export function postgresBulkWriter(connectionString: string, schema: string | undefined): BulkWriter {
  return new BackgroundBulkWriter('postgres-write-worker', { connectionString, schema }, 'PostgreSQL');
}

/**
 * A file gets a writer thread; an in-memory database has no second connection, so its writes run on the main
 * one, holding Kysely's connection so they never interleave with another transaction.
 */
export function sqliteBulkWriter<DB>(db: Kysely<DB>, connection: SqliteConnection, path: string): BulkWriter {
  if (path !== ':memory:') return new BackgroundBulkWriter('sqlite-write-worker', { path }, 'SQLite');
  const writer = new SqliteBulkWriter(connection);
  return {
    batch: (spec) =>
      localBatch((parts) =>
        db.connection().execute(() => {
          try {
            writer.write(spec, parts);
            return Promise.resolve();
          } catch (error) {
            return Promise.reject(bulkWriteFailure(error));
          }
        }),
      ),
    close: () => Promise.resolve(),
  };
}
