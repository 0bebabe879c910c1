import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * Local users with roles, their UI sessions and their API tokens. Session and token values are never stored:
 * only their SHA-256, so a copy of the database opens no session. Passwords are scrypt hashes.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('users')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      // Lower case: sign-in ignores the case of the name.
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('password_set_at', 'text', (c) => c.notNull())
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('last_login_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
  };
}
