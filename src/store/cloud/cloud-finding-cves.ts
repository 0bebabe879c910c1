import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';

/** The members of `cloud_findings.cve_ids` (aliased `f`) as a relation `c(value)`, by each database's JSON function. */
function cveElements(dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'sqlite'
    ? sql`json_each(f.cve_ids) as c`
    : sql`jsonb_array_elements_text(f.cve_ids::jsonb) as c(value)`;
}

/** Some findings of one integration, or every finding (the migration's backfill). */
export type FindingSelection =
  { readonly integrationId: string; readonly findingIds: readonly string[] } | 'all';

/**
 * Writes the link rows of the selected findings from their stored rows, in SQL so the JSON list never comes back
 * to the process. A finding's resource is its assessment's (the one /cloud/resources lists): the finding's own
 * resource is often a part of it (a registry's image, a server's database). CVE ids are upper-cased to meet the
 * Defender for Endpoint catalog's; `distinct` folds a CVE a finding names twice in different case.
 */
export async function insertFindingCves(
  db: Kysely<Database>,
  dialect: Dialect,
  selection: FindingSelection,
): Promise<void> {
  if (selection !== 'all' && selection.findingIds.length === 0) return;
  const where =
    selection === 'all'
      ? sql``
      : sql`where f.integration_id = ${selection.integrationId} and f.finding_id in (${sql.join(selection.findingIds)})`;
  await sql`insert into cloud_finding_cves
      (integration_id, finding_id, cve_id, subscription_id, resource_id, resource_type, severity, status, patchable)
    select distinct f.integration_id, f.finding_id, upper(c.value), f.subscription_id,
      coalesce(a.resource_id, f.resource_id),
      case when a.resource_id is null then f.resource_type else a.resource_type end,
      f.severity, f.status, f.patchable
    from cloud_findings as f
    cross join ${cveElements(dialect)}
    left join cloud_assessments as a on a.integration_id = f.integration_id and a.assessment_id = f.assessment_id
    ${where}`.execute(db);
}
