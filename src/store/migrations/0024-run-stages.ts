import type { Kysely } from 'kysely';

/**
 * Where a sync run's time went: seconds per stage (reading pages, writing, the tallies after the last page), as
 * a JSON object. Null for runs before this column and for runs that timed nothing.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('sync_runs').addColumn('stages', 'text').execute();
  };
}
