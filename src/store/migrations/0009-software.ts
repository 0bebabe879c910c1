import type { Kysely } from 'kysely';

/**
 * The tenant's software inventory as Defender summarises it (one row per product, with its exposure and
 * end-of-support status) and the machines each product is installed on, read per product, never per machine.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('software')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('software_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('vendor', 'text')
      .addColumn('weaknesses', 'integer')
      .addColumn('public_exploit', 'integer')
      .addColumn('active_alert', 'integer')
      .addColumn('exposed_machines', 'integer')
      .addColumn('installed_machines', 'integer')
      .addColumn('impact_score', 'real')
      .addColumn('end_of_support_status', 'text')
      .addColumn('end_of_support_date', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('software_pk', ['integration_id', 'software_id'])
      .execute();
    await db.schema
      .createTable('software_machines')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('software_id', 'text', (c) => c.notNull())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('software_machines_pk', ['integration_id', 'software_id', 'machine_id'])
      .execute();
    await db.schema
      .createIndex('software_machines_machine')
      .on('software_machines')
      .columns(['integration_id', 'machine_id'])
      .execute();
  };
}
