import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';

/**
 * Security recommendations and the exposure score, and one table of the links of catalog items (software
 * products, recommendations) to their machines and CVEs. Each link carries the run that last saw it, so an item's
 * links are written page by page as Defender sends them and the ones no longer listed pruned after, instead of
 * held in memory. Scores are double precision: PostgreSQL's `real` keeps six digits, fewer than Defender sends.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres')
      await sql`alter table software alter column impact_score type double precision`.execute(db);
    await db.schema
      .createTable('catalog_links')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      // 'software' or 'recommendation'
      .addColumn('catalog', 'text', (c) => c.notNull())
      // 'machine' (a machine id) or 'vulnerability' (a CVE id)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_links_pk', [
        'integration_id',
        'catalog',
        'item_id',
        'kind',
        'target_id',
      ])
      .execute();
    await db.schema
      .createIndex('catalog_links_target')
      .on('catalog_links')
      .columns(['integration_id', 'kind', 'target_id', 'catalog'])
      .execute();
    await sql`insert into catalog_links (integration_id, catalog, kind, item_id, target_id, run_id)
      select sm.integration_id, 'software', 'machine', sm.software_id, sm.machine_id, s.run_id
      from software_machines sm
      join software s on s.integration_id = sm.integration_id and s.software_id = sm.software_id`.execute(db);
    await db.schema.dropTable('software_machines').execute();

    await db.schema
      .createTable('recommendations')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('recommendation_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('product_name', 'text')
      .addColumn('vendor', 'text')
      .addColumn('category', 'text')
      .addColumn('remediation_type', 'text')
      .addColumn('status', 'text')
      .addColumn('recommended_version', 'text')
      .addColumn('severity_score', 'double precision')
      .addColumn('weaknesses', 'integer')
      .addColumn('public_exploit', 'integer')
      .addColumn('active_alert', 'integer')
      .addColumn('exposure_impact', 'double precision')
      .addColumn('config_score_impact', 'double precision')
      .addColumn('total_machines', 'integer')
      .addColumn('exposed_machines', 'integer')
      .addColumn('exposed_critical_devices', 'integer')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('recommendations_pk', ['integration_id', 'recommendation_id'])
      .execute();

    // Every reading is kept: the score's trend is what a security team reports on.
    await db.schema
      .createTable('exposure_scores')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      // '' for the organisation, else the device group's id
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('rbac_group_name', 'text')
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('time_raw', 'text', (c) => c.notNull())
      .addColumn('time_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exposure_scores_pk', ['integration_id', 'scope', 'time_at'])
      .execute();
  };
}
