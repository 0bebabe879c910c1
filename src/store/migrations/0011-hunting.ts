import type { Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * Saved advanced hunting queries, and the results of runs made through the API, kept with their rows so the UI
 * and API can page through and export a result without running it again against the tenant's hunting quotas
 * (45 calls a minute, the CPU budget). Results are pruned 24 hours after their run.
 */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('hunting_queries')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('timespan', 'text')
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('hunting_results')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      // A result outlives the saved query it came from: it keeps its own copy of the query text.
      .addColumn('saved_query_id', 'bigint', (c) => c.references('hunting_queries.id').onDelete('set null'))
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('timespan', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      /** JSON [{name, type}] in the service's column order. */
      .addColumn('columns', 'text', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('hunting_results_created')
      .on('hunting_results')
      .columns(['created_at'])
      .execute();

    await db.schema
      .createTable('hunting_result_rows')
      .addColumn('result_id', 'bigint', (c) =>
        c.notNull().references('hunting_results.id').onDelete('cascade'),
      )
      /** 0-based and dense: the service's row order, and a page is a range of it. */
      .addColumn('position', 'integer', (c) => c.notNull())
      /** The row as the service answered it, JSON. */
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hunting_result_rows_pk', ['result_id', 'position'])
      .execute();
  };
}
