import type { Kysely } from 'kysely';

/**
 * Which process runs a sync (`host:pid`): a run left "running" by a live process on this host is still running
 * (a `defender-hub sync` beside a `serve`), one left by a dead process was interrupted.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('sync_runs').addColumn('runner', 'text').execute();
  };
}
