import type { Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * Patches: a distinct fixing update per integration, recounted after each findings run from the open findings
 * (each finding carries the key of the update that fixes it), with the `Defender.*` metadata aggregated over
 * them, and the endpoints each patch applies to. Ranks order the level columns for filters and sorting.
 * Patch strategies: saved filter expressions over them. Daily snapshots per integration, for trends.
 */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('findings').addColumn('patch_key', 'text').execute();

    await db.schema
      .createTable('patches')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('patch_key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('fixing_update_id', 'text')
      .addColumn('fixing_update_url', 'text')
      .addColumn('software_vendor', 'text')
      .addColumn('software_name', 'text')
      .addColumn('severity', 'text')
      .addColumn('severity_rank', 'integer', (c) => c.notNull())
      .addColumn('exploitability_level', 'text')
      .addColumn('exploitability_rank', 'integer', (c) => c.notNull())
      .addColumn('known_exploit', 'integer', (c) => c.notNull())
      .addColumn('update_available', 'integer', (c) => c.notNull())
      .addColumn('max_cvss', 'real')
      /** JSON string[] of the CVEs it fixes, sorted. */
      .addColumn('cves', 'text', (c) => c.notNull())
      .addColumn('cve_count', 'integer', (c) => c.notNull())
      .addColumn('endpoint_count', 'integer', (c) => c.notNull())
      .addColumn('open_findings', 'integer', (c) => c.notNull())
      /** JSON string[] of the software versions it fixes. */
      .addColumn('software_versions', 'text', (c) => c.notNull())
      /**
       * JSON number[] of the endpoints (hub ids, ascending) it applies to: one value per patch rather than
       * millions of patch × endpoint rows for every findings run to write.
       */
      .addColumn('endpoint_ids', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('patches_pk', ['integration_id', 'patch_key'])
      .execute();
    await db.schema
      .createIndex('patches_severity')
      .on('patches')
      .columns(['severity_rank', 'endpoint_count'])
      .execute();

    await db.schema
      .createTable('patch_strategies')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      /** The expression in canonical form (formatStrategyExpression). */
      .addColumn('expression', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('daily_snapshots')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      /** UTC date, YYYY-MM-DD. */
      .addColumn('day', 'text', (c) => c.notNull())
      /** JSON { level: count } of active endpoints by the hub's risk level. */
      .addColumn('endpoints_by_risk', 'text', (c) => c.notNull())
      /** JSON { severity: count } of open vulnerability findings. */
      .addColumn('findings_by_severity', 'text', (c) => c.notNull())
      /** JSON { severity: count } of patches by Defender.SeverityLevel. */
      .addColumn('patches_by_severity', 'text', (c) => c.notNull())
      .addColumn('taken_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('daily_snapshots_pk', ['integration_id', 'day'])
      .execute();
  };
}
