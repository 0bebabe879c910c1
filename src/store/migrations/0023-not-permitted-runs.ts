import type { Kysely } from 'kysely';

/**
 * The features a sync run did not read because the app lacks every permission that serves them
 * (domain/permissions.ts), as a JSON list of feature names; null for runs that read all they were asked to. A run
 * that read none of its features has the status `notPermitted` (a text column: no constraint to change).
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('sync_runs').addColumn('not_permitted', 'text').execute();
  };
}
