import { sql, type Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/** The sync job queue that PostgreSQL workers share (SQLite runs syncs in-process and never fills it). */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('sync_jobs')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_by', 'text')
      .addColumn('locked_at', 'text')
      .addColumn('run_id', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // At most one waiting or running job per integration × dataset: enqueueing twice is a no-op, and two
    // workers can never run the same tenant's dataset at once.
    await sql`create unique index sync_jobs_one_active on sync_jobs (integration_id, dataset) where status in ('queued', 'running')`.execute(
      db,
    );
    await db.schema.createIndex('sync_jobs_due').on('sync_jobs').columns(['status', 'run_after']).execute();
  };
}
