import { sql } from 'kysely';
import { Repository } from '../db/repository.js';

/** Tables a sync rewrites wholesale, whose planner statistics and visibility it then refreshes. */
export type RewrittenTable = 'endpoints' | 'patches';

/** Tables a sync fills in bulk, whose planner statistics it then refreshes. */
export type FilledTable = 'findings';

/** Housekeeping the databases need after a sync rewrote many rows. */
export class MaintenanceRepository extends Repository {
  /**
   * On PostgreSQL, VACUUM (ANALYZE) the tables a run rewrote. A machines or findings run updates most endpoint
   * rows, leaving as many dead versions and a visibility map that no longer lets a count be read from an index
   * alone, and a first sync leaves no statistics at all: until autovacuum gets to it, counting the endpoints of
   * one risk level visits every row's heap page. SQLite updates in place and needs none of this.
   */
  async afterRewrite(tables: readonly RewrittenTable[]): Promise<void> {
    if (this.dialect !== 'postgres') return;
    for (const table of tables) await sql`vacuum (analyze) ${sql.table(table)}`.execute(this.db);
  }

  /**
   * On PostgreSQL, ANALYZE the tables a run filled: a first full read of the findings leaves millions of rows and no
   * statistics until autovacuum gets to them, so the next run's lookups by key or by machine were planned as scans
   * of the whole table (a run of changes took 12 s to resolve 9,000 fixed findings at 20,000 machines). ANALYZE
   * samples a fixed number of rows, whatever the table's size; a VACUUM of the findings would read them all.
   */
  async refreshStatistics(tables: readonly FilledTable[]): Promise<void> {
    if (this.dialect !== 'postgres') return;
    for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(this.db);
  }
}
