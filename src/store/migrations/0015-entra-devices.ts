import { sql, type Kysely } from 'kysely';

/**
 * Entra ID devices (Microsoft Graph `/v1.0/devices`) per integration, keyed by the directory object id. `device_id`
 * is the GUID Defender reports as a machine's `aadDeviceId`: the index on it serves the endpoint ↔ device join.
 * `device_id` is stored in lower case, and endpoints are indexed on `lower(aad_device_id)` for the other direction.
 * A complete run deletes the devices the directory no longer lists, within the removal bound.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('entra_devices')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('operating_system', 'text')
      .addColumn('operating_system_version', 'text')
      .addColumn('trust_type', 'text')
      .addColumn('is_compliant', 'integer')
      .addColumn('is_managed', 'integer')
      .addColumn('last_sign_in_at', 'text')
      .addColumn('account_enabled', 'integer')
      .addColumn('registration_at', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('first_synced_at', 'text', (c) => c.notNull())
      .addColumn('last_synced_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('entra_devices_pk', ['integration_id', 'object_id'])
      .execute();
    await db.schema
      .createIndex('entra_devices_device')
      .on('entra_devices')
      .columns(['integration_id', 'device_id', 'trust_type'])
      .execute();
    // The join from a device to its endpoint (the coverage gap), whatever case Defender spells the GUID in. stale
    // first and covering: the entra= filter then walks this index over the active endpoints instead of their rows.
    await sql`create index endpoints_aad_device on endpoints (stale, integration_id, lower(aad_device_id))`.execute(
      db,
    );
  };
}
