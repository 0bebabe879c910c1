import type { Kysely } from 'kysely';

/**
 * Response actions and the tenant's machine actions, in one table: those the hub sent (with who asked and the
 * request) and those synced from Defender (made in the portal or by other tools). An endpoint's isolation
 * state is read from its isolate/release rows. Integrations gain the devices they protect from isolation.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('machine_actions')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('action_id', 'text', (c) => c.notNull())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('scope', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requestor', 'text')
      .addColumn('requestor_comment', 'text')
      /** Who asked through the hub (`api`, `cli:alice`); null for actions made elsewhere. */
      .addColumn('requested_by', 'text')
      .addColumn('computer_dns_name', 'text')
      .addColumn('created_raw', 'text', (c) => c.notNull())
      /** ISO 8601 UTC, for ordering; the raw strings keep Defender's seven digits. */
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_update_raw', 'text')
      .addColumn('last_update_at', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('machine_actions_pk', ['integration_id', 'action_id'])
      .execute();
    await db.schema
      .createIndex('machine_actions_machine')
      .on('machine_actions')
      .columns(['integration_id', 'machine_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('machine_actions_created')
      .on('machine_actions')
      .columns(['created_at'])
      .execute();
    await db.schema
      .alterTable('integrations')
      .addColumn('protected_devices', 'text', (c) =>
        c.notNull().defaultTo('{"tags":[],"deviceGroups":[],"namePatterns":[]}'),
      )
      .execute();
  };
}
