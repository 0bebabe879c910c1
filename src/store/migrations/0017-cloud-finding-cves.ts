import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';

/**
 * Cloud findings by CVE: one row per finding and CVE it names, so the CVE catalog, the patches and the resources
 * meet cloud findings through an index on the CVE rather than by reading each finding's JSON list. A row goes
 * with its finding (foreign key, on delete cascade), however the finding is removed: not seen by a run, its
 * subscription gone, or its integration deleted. The findings already stored are linked at once.
 *
 * The backfill is written out here as it stood when the migration shipped, not a call to the live link writer:
 * a later change to that writer must not change what this past migration did.
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
    const cves =
      dialect === 'sqlite'
        ? sql`json_each(f.cve_ids) as c`
        : sql`jsonb_array_elements_text(f.cve_ids::jsonb) as c(value)`;
    await sql`insert into cloud_finding_cves
        (integration_id, finding_id, cve_id, subscription_id, resource_id, resource_type, severity, status, patchable)
      select distinct f.integration_id, f.finding_id, upper(c.value), f.subscription_id,
        coalesce(a.resource_id, f.resource_id),
        case when a.resource_id is null then f.resource_type else a.resource_type end,
        f.severity, f.status, f.patchable
      from cloud_findings as f
      cross join ${cves}
      left join cloud_assessments as a on a.integration_id = f.integration_id and a.assessment_id = f.assessment_id`.execute(
      db,
    );
  };
}
