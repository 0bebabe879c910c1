import type { Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * The API call ledger: the calls each tenant's application started in the last hour, and the pauses a 429 set, so
 * every process on a PostgreSQL store draws from one budget (SQLite keeps the budget in its one process and
 * leaves these tables empty).
 */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('api_calls')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('budget_key', 'text', (c) => c.notNull())
      .addColumn('api_class', 'text', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    // Counting a window reads the newest calls of one budget and class.
    await db.schema
      .createIndex('api_calls_window')
      .on('api_calls')
      .columns(['budget_key', 'api_class', 'started_at_ms'])
      .execute();
    // Pruning finds the calls no window counts any more, whichever budget made them.
    await db.schema.createIndex('api_calls_age').on('api_calls').column('started_at_ms').execute();
    await db.schema
      .createTable('api_pauses')
      .addColumn('budget_key', 'text', (c) => c.notNull())
      .addColumn('api_class', 'text', (c) => c.notNull())
      .addColumn('until_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('api_pauses_key', ['budget_key', 'api_class'])
      .execute();
  };
}
