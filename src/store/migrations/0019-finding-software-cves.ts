import type { Kysely } from 'kysely';

/**
 * Software → CVE pairs tallied by each complete findings run, so the software run takes a product's CVE list from
 * the export already read instead of one `GET /api/Software/{id}/vulnerabilities` per product. Empty until the
 * first findings run after this migration; until then the software run asks Defender as before.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('finding_software_cves')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('software_key', 'text', (c) => c.notNull())
      .addColumn('cve_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('finding_software_cves_pk', ['integration_id', 'software_key', 'cve_id'])
      .execute();
  };
}
