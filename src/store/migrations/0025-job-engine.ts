import { sql, type Kysely } from 'kysely';

/**
 * Sync jobs move to pg-boss, which keeps its own tables in a schema of its own. The hand-written queue's table
 * goes; with PostgreSQL, what waited or ran in it is kept in `carried_sync_jobs` until the job engine's first
 * start queues it again (the engine's tables do not exist yet while this runs). SQLite never filled the table.
 */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres')
      await sql`create table carried_sync_jobs as
        select distinct integration_id, dataset, options from sync_jobs where status in ('queued', 'running')`.execute(
        db,
      );
    await db.schema.dropTable('sync_jobs').execute();
  };
}
