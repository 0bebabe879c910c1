import { sql, type RawBuilder, type Transaction } from 'kysely';
import { levelAt, rankOf } from '../db/level-sql.js';
import { patchSummaryColumns } from './patch-queries.js';
import { exploitabilityLevels, severityLevels } from '../../domain/levels.js';
import type { Insertable } from 'kysely';
import type { Database, PatchesTable } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import type { Dialect } from '../db/dialect.js';
import { toPatchRow, type PatchRecord } from './patch-record.js';

/** A sorted JSON array of a column's distinct non-null values in the group. */
function jsonSet(dialect: Dialect, column: string): RawBuilder<string> {
  const ref = sql.ref(column);
  return dialect === 'sqlite'
    ? sql`json_group_array(distinct ${ref} order by ${ref}) filter (where ${ref} is not null)`
    : sql`coalesce(json_agg(distinct ${ref} order by ${ref}) filter (where ${ref} is not null), '[]')::text`;
}

/** Patches and the endpoints they apply to, recounted from the open findings. */
export class PatchesRepository extends Repository {
  /**
   * Defender.NetworkAccessible of the integration's patches from the CVE catalog as stored now: after a catalog
   * run (the patches' CVEs may have changed vector, or come into the catalog). Only changed rows are written.
   */
  async recountNetworkAccessible(integrationId: string): Promise<void> {
    await this.db.transaction().execute((trx) => recountNetworkAccessible(trx, this.dialect, integrationId));
  }

  /** After a complete findings run whose findings are all the open ones: its tally replaces the patches. */
  async replace(integrationId: string, patches: Iterable<PatchRecord>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('patches').where('integration_id', '=', integrationId).execute();
      // A patch row is wide (its endpoint list): a few per statement keep the statement small.
      let chunk: Insertable<PatchesTable>[] = [];
      const insert = async (): Promise<void> => {
        if (chunk.length > 0) await trx.insertInto('patches').values(chunk).execute();
        chunk = [];
      };
      for (const patch of patches) {
        chunk.push(toPatchRow(patch));
        if (chunk.length === 20) await insert();
      }
      await insert();
      await recountNetworkAccessible(trx, this.dialect, integrationId);
    });
  }

  /**
   * Replaces the integration's patches with a recount over its open findings, for a run that did not see all of
   * them: the `Defender.*` metadata by the domain's rules (highest severity and exploitability, a known exploit
   * above NoExploit, an update available when any finding says so), the devices each applies to, and which of
   * them are endpoints (a finding whose device was not one joins no endpoint).
   */
  async refresh(integrationId: string, now: string): Promise<void> {
    const severityRank = sql<number>`coalesce(max(${rankOf('f.severity', severityLevels)}), -1)`;
    const exploitRank = sql<number>`coalesce(max(${rankOf('f.exploitability_level', exploitabilityLevels)}), -1)`;
    const dialect = this.dialect;
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('patches').where('integration_id', '=', integrationId).execute();
      await trx
        .insertInto('patches')
        // Positional: the select below lists its values in this order.
        .columns([...patchSummaryColumns, 'endpoint_ids'])
        .expression(
          trx
            .selectFrom('findings as f')
            .leftJoin('endpoints as e', (join) =>
              join
                .onRef('e.integration_id', '=', 'f.integration_id')
                .onRef('e.machine_id', '=', 'f.machine_id')
                .on('f.imported', '=', 1),
            )
            .select([
              'f.integration_id',
              sql<string>`f.patch_key`.as('patch_key'),
              sql<string>`coalesce(max(f.fixing_update), max(f.fixing_update_id), f.patch_key)`.as('name'),
              sql<string>`max(f.fixing_update_id)`.as('fixing_update_id'),
              sql<string>`max(f.fixing_update_url)`.as('fixing_update_url'),
              sql<string>`max(f.software_vendor)`.as('software_vendor'),
              sql<string>`max(f.software_name)`.as('software_name'),
              levelAt(severityRank, severityLevels).as('severity'),
              severityRank.as('severity_rank'),
              levelAt(exploitRank, exploitabilityLevels).as('exploitability_level'),
              exploitRank.as('exploitability_rank'),
              sql<number>`case when ${exploitRank} > 0 then 1 else 0 end`.as('known_exploit'),
              sql<number>`max(case when f.update_available = 1 then 1 else 0 end)`.as('update_available'),
              // Set from the catalog below, in the same transaction.
              sql<number>`0`.as('network_accessible'),
              sql<number>`max(f.cvss_score)`.as('max_cvss'),
              jsonSet(dialect, 'f.cve_id').as('cves'),
              sql<number>`count(distinct f.cve_id)`.as('cve_count'),
              sql<number>`count(distinct f.machine_id)`.as('endpoint_count'),
              sql<number>`count(distinct case when f.imported = 0 then f.machine_id end)`.as(
                'devices_not_imported',
              ),
              sql<number>`count(*)`.as('open_findings'),
              jsonSet(dialect, 'f.software_version').as('software_versions'),
              sql<string>`${now}`.as('updated_at'),
              jsonSet(dialect, 'e.id').as('endpoint_ids'),
            ])
            .where('f.integration_id', '=', integrationId)
            .where('f.status', '=', 'open')
            .where('f.patch_key', 'is not', null)
            .groupBy(['f.integration_id', 'f.patch_key']),
        )
        .execute();
      await recountNetworkAccessible(trx, dialect, integrationId);
    });
  }
}

/**
 * A patch is network accessible when any CVE it fixes is, in its integration's catalog: its JSON list of CVEs
 * joined to the catalog by primary key. A CVE the catalog lacks, or whose vector names no attack vector, does
 * not count.
 */
async function recountNetworkAccessible(
  trx: Transaction<Database>,
  dialect: Dialect,
  integrationId: string,
): Promise<void> {
  const cves =
    dialect === 'sqlite'
      ? sql`json_each(patches.cves) as c`
      : sql`jsonb_array_elements_text(cast(patches.cves as jsonb)) as c(value)`;
  const accessible = sql<number>`case when exists (
      select 1 from ${cves}
      inner join vulnerabilities as v on v.integration_id = patches.integration_id and v.cve_id = c.value
      where v.network_accessible = 1) then 1 else 0 end`;
  await sql`update patches set network_accessible = ${accessible}
    where integration_id = ${integrationId} and network_accessible <> ${accessible}`.execute(trx);
}
