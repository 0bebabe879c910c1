import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * The audit log: every change, sign-in and action request, with who, when, from where and the outcome. The
 * application only ever inserts into it (the repository has no update or delete).
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('at', 'text', (c) => c.notNull())
      // A username, `cli:<os user>`, or the name tried at a failed sign-in.
      .addColumn('actor', 'text')
      // session, token, cli or anonymous
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      // e.g. `POST /api/v1/integrations/:id/test`, `users add`
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      // success, failure or refused
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      // JSON, secrets masked: the request, the error code, before/after of a setting
      .addColumn('details', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
  };
}
