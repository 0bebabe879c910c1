import type { Kysely } from 'kysely';

/**
 * The health of an integration's credential: when the app registration says it expires (read through Graph
 * where Application.Read.All allows), when the hub last looked, and what that look found. All nullable: an
 * integration that was never checked has none of them.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const column of ['credential_expires_at', 'credential_checked_at', 'credential_check'])
      await db.schema.alterTable('integrations').addColumn(column, 'text').execute();
  };
}
