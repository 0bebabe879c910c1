import type { Kysely } from 'kysely';

/**
 * Findings of devices that are not endpoints (filtered out by the import filters, or unread: the token may lack
 * Machine.Read.All) are stored too, still keyed by integration × Defender's device id, so the endpoint views keep
 * their per-machine index. Each row says whether its device was an endpoint when the run wrote it (`imported`, 1
 * or 0), which the patch recount reads with the rest of the row. Every row stored before this migration belonged
 * to an endpoint, hence the default 1: a constant default, so neither database rewrites the table.
 *
 * `finding_devices` keeps what the export says of each device that is not an endpoint (its name, platform and
 * group), one row per such device with open vulnerability findings: for display, for the lists' count of such
 * devices, and as where the CVE exposure's count of them starts, so that count reads their findings only.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('findings')
      .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    for (const table of ['vulnerability_exposure', 'patches'])
      await db.schema
        .alterTable(table)
        .addColumn('devices_not_imported', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema
      .createTable('finding_devices')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn('device_name', 'text')
      .addColumn('os_platform', 'text')
      .addColumn('os_version', 'text')
      .addColumn('rbac_group_name', 'text')
      .addColumn('last_run_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('finding_devices_pk', ['integration_id', 'machine_id'])
      .execute();
  };
}
