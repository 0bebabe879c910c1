import { sql, type Kysely, type RawBuilder } from 'kysely';
import { levelAt, rankOf } from './level-sql.js';
import { exploitabilityLevels, severityLevels } from '../domain/levels.js';
import type { Insertable } from 'kysely';
import type { Database, PatchesTable } from './schema.js';
import type { Dialect } from './database.js';
import type { BulkWriter } from './bulk/bulk-writer.js';
import { BulkRowWriter } from './findings-writer.js';
import { upsertChunkRows } from './upsert.js';

export type NewPatchRow = Insertable<PatchesTable>;

export interface PatchEndpointPair {
  readonly integrationId: string;
  readonly patchKey: string;
  readonly endpointId: number;
  readonly runId: number;
}

/** The pairs table for bulk upserts: a pair seen again takes the run that saw it. */
const pairsTable = {
  table: 'patch_endpoints',
  columns: [
    { name: 'integration_id', pgType: 'text' },
    { name: 'patch_key', pgType: 'text' },
    { name: 'endpoint_id', pgType: 'bigint' },
    { name: 'last_run_id', pgType: 'bigint' },
  ],
  conflict: ['integration_id', 'patch_key', 'endpoint_id'],
};

function putPair(values: unknown[], rowIndex: number, pair: PatchEndpointPair): void {
  const at = rowIndex * 4;
  values[at] = pair.integrationId;
  values[at + 1] = pair.patchKey;
  values[at + 2] = pair.endpointId;
  values[at + 3] = pair.runId;
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
  readonly #bulk: BulkWriter;

  constructor(db: Kysely<Database>, dialect: Dialect, bulk: BulkWriter) {
    this.#db = db;
    this.#dialect = dialect;
    this.#bulk = bulk;
  }

  /** A pipelined writer of the patch × endpoint pairs a findings run sees, beside its findings writer. */
  pairsWriter(): BulkRowWriter<PatchEndpointPair> {
    return new BulkRowWriter(this.#bulk, pairsTable, putPair, () => undefined);
  }

  /**
   * After a complete findings run whose findings are all the open ones: drops the pairs it did not see and
   * replaces the patches with the ones it tallied, their endpoint counts taken from the pairs.
   */
  async replace(
    integrationId: string,
    runId: number,
    patches: readonly Omit<NewPatchRow, 'endpoint_count'>[],
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('patch_endpoints')
        .where('integration_id', '=', integrationId)
        .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
        .execute();
      const counted = await trx
        .selectFrom('patch_endpoints')
        .select(['patch_key', sql<number>`count(*)`.as('n')])
        .where('integration_id', '=', integrationId)
        .groupBy('patch_key')
        .execute();
      const endpoints = new Map(counted.map((r) => [r.patch_key, r.n]));
      await trx.deleteFrom('patches').where('integration_id', '=', integrationId).execute();
      const rows = patches.map((p) => ({ ...p, endpoint_count: endpoints.get(p.patch_key) ?? 0 }));
      for (let i = 0; i < rows.length; i += upsertChunkRows / 2)
        await trx
          .insertInto('patches')
          .values(rows.slice(i, i + upsertChunkRows / 2))
          .execute();
    });
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
