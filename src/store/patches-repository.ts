import { sql, type Kysely, type RawBuilder } from 'kysely';
import { exploitabilityLevels, severityLevels } from '../domain/levels.js';
import type { Database } from './schema.js';
import type { Dialect } from './database.js';

/**
 * A level column's rank by the domain's scale (index in the scale, any case), null for an unknown word: the SQL
 * twin of `severityRank` / `exploitabilityRank`, built from the same scales.
 */
function rankOf(column: string, scale: readonly string[]): RawBuilder<number | null> {
  const cases = scale.map((level, rank) => sql`when ${level.toLowerCase()} then ${sql.lit(rank)}`);
  return sql`case lower(trim(${sql.ref(column)})) ${sql.join(cases, sql` `)} end`;
}

/** The scale's member at a rank column's value, null for -1. */
function levelAt(rank: RawBuilder<number>, scale: readonly string[]): RawBuilder<string | null> {
  const cases = scale.map((level, index) => sql`when ${sql.lit(index)} then ${sql.lit(level)}`);
  return sql`case ${rank} ${sql.join(cases, sql` `)} end`;
}

/** A sorted JSON array of a text column's distinct non-null values in the group. */
function jsonSet(dialect: Dialect, column: string): RawBuilder<string> {
  const ref = sql.ref(column);
  return dialect === 'sqlite'
    ? sql`json_group_array(distinct ${ref} order by ${ref}) filter (where ${ref} is not null)`
    : sql`coalesce(json_agg(distinct ${ref} order by ${ref}) filter (where ${ref} is not null), '[]')::text`;
}

/** Patches and the endpoints they apply to, recounted from the open findings. */
export class PatchesRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Replaces the integration's patches with a recount over its open findings: the `Defender.*` metadata by the
   * domain's rules (highest severity and exploitability, a known exploit above NoExploit, an update available
   * when any finding says so), and the endpoints each applies to. One transaction, so readers never see half.
   */
  async refresh(integrationId: string, now: string): Promise<void> {
    const severityRank = sql<number>`coalesce(max(${rankOf('severity', severityLevels)}), -1)`;
    const exploitRank = sql<number>`coalesce(max(${rankOf('exploitability_level', exploitabilityLevels)}), -1)`;
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('patch_endpoints').where('integration_id', '=', integrationId).execute();
      await trx.deleteFrom('patches').where('integration_id', '=', integrationId).execute();
      await trx
        .insertInto('patches')
        .columns([
          'integration_id',
          'patch_key',
          'name',
          'fixing_update_id',
          'fixing_update_url',
          'software_vendor',
          'software_name',
          'severity',
          'severity_rank',
          'exploitability_level',
          'exploitability_rank',
          'known_exploit',
          'update_available',
          'max_cvss',
          'cves',
          'cve_count',
          'endpoint_count',
          'open_findings',
          'software_versions',
          'updated_at',
        ])
        .expression(
          trx
            .selectFrom('findings')
            .select([
              'integration_id',
              sql<string>`patch_key`.as('patch_key'),
              sql<string>`coalesce(max(fixing_update), max(fixing_update_id), patch_key)`.as('name'),
              sql<string>`max(fixing_update_id)`.as('fixing_update_id'),
              sql<string>`max(fixing_update_url)`.as('fixing_update_url'),
              sql<string>`max(software_vendor)`.as('software_vendor'),
              sql<string>`max(software_name)`.as('software_name'),
              levelAt(severityRank, severityLevels).as('severity'),
              severityRank.as('severity_rank'),
              levelAt(exploitRank, exploitabilityLevels).as('exploitability_level'),
              exploitRank.as('exploitability_rank'),
              sql<number>`case when ${exploitRank} > 0 then 1 else 0 end`.as('known_exploit'),
              sql<number>`max(case when update_available = 1 then 1 else 0 end)`.as('update_available'),
              sql<number>`max(cvss_score)`.as('max_cvss'),
              jsonSet(this.#dialect, 'cve_id').as('cves'),
              sql<number>`count(distinct cve_id)`.as('cve_count'),
              sql<number>`count(distinct machine_id)`.as('endpoint_count'),
              sql<number>`count(*)`.as('open_findings'),
              jsonSet(this.#dialect, 'software_version').as('software_versions'),
              sql<string>`${now}`.as('updated_at'),
            ])
            .where('integration_id', '=', integrationId)
            .where('status', '=', 'open')
            .where('patch_key', 'is not', null)
            .groupBy(['integration_id', 'patch_key']),
        )
        .execute();
      await trx
        .insertInto('patch_endpoints')
        .columns(['integration_id', 'patch_key', 'endpoint_id'])
        .expression(
          trx
            .selectFrom('findings as f')
            .innerJoin('endpoints as e', (join) =>
              join
                .onRef('e.integration_id', '=', 'f.integration_id')
                .onRef('e.machine_id', '=', 'f.machine_id'),
            )
            .select(['f.integration_id', sql<string>`f.patch_key`.as('patch_key'), 'e.id'])
            .distinct()
            .where('f.integration_id', '=', integrationId)
            .where('f.status', '=', 'open')
            .where('f.patch_key', 'is not', null),
        )
        .execute();
    });
  }
}
