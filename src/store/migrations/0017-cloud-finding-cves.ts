import type { Kysely } from 'kysely';
import type { Dialect } from '../db/database.js';
import { insertFindingCves } from '../cloud/cloud-finding-cves.js';

/**
 * Cloud findings by CVE: one row per finding and CVE it names, so the CVE catalog, the patches and the resources
 * meet cloud findings through an index on the CVE rather than by reading each finding's JSON list. A row goes
 * with its finding (foreign key, on delete cascade), however the finding is removed: not seen by a run, its
 * subscription gone, or its integration deleted. The findings already stored are linked at once.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('cloud_finding_cves')
      .addColumn('integration_id', 'text', (c) => c.notNull())
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('cve_id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('resource_type', 'text')
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('patchable', 'integer')
      .addPrimaryKeyConstraint('cloud_finding_cves_pk', ['integration_id', 'finding_id', 'cve_id'])
      .addForeignKeyConstraint(
        'cloud_finding_cves_finding',
        ['integration_id', 'finding_id'],
        'cloud_findings',
        ['integration_id', 'finding_id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    // A CVE's cloud resources (the catalog, /vulnerabilities/:cveId/cloud-resources) …
    await db.schema
      .createIndex('cloud_finding_cves_cve')
      .on('cloud_finding_cves')
      .columns(['cve_id', 'status', 'integration_id', 'resource_id'])
      .execute();
    // … and a resource's CVEs (/cloud/resources).
    await db.schema
      .createIndex('cloud_finding_cves_resource')
      .on('cloud_finding_cves')
      .columns(['integration_id', 'resource_id', 'status', 'cve_id'])
      .execute();
    await insertFindingCves(db, dialect, 'all');
  };
}
