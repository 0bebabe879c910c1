import { sql, type Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

/**
 * Endpoint risk and profiles.
 * - Endpoints keep their computed risk level and the two parts a sync computes (exposure from findings, alert
 *   risk from alerts); Defender's riskScore and exposureLevel are already columns. `risk_rank` orders the level.
 * - `alert_machines` links an alert to the machines its evidence names, so an endpoint's alerts are an index
 *   lookup rather than a scan of every alert's JSON.
 * - `profiles` (OS profiles an integration created, and the hub's own rule profiles) and `endpoint_profiles`.
 */
export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const [column, type, fallback] of [
      ['risk_level', 'text', 'None'],
      ['risk_rank', 'integer', 0],
      ['exposure_risk', 'text', 'None'],
      ['alert_risk', 'text', 'None'],
    ] as const) {
      await db.schema
        .alterTable('endpoints')
        .addColumn(column, type, (c) => c.notNull().defaultTo(fallback))
        .execute();
    }
    // The list filtered by risk level pages in name order (its default) straight from the index.
    await db.schema
      .createIndex('endpoints_risk')
      .on('endpoints')
      .columns(['stale', 'risk_rank', 'computer_dns_name', 'id'])
      .execute();

    await db.schema
      .createTable('alert_machines')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_machines_pk', ['integration_id', 'alert_id', 'machine_id'])
      .execute();
    await db.schema
      .createIndex('alert_machines_machine')
      .on('alert_machines')
      .columns(['integration_id', 'machine_id'])
      .execute();
    const elements =
      dialect === 'sqlite'
        ? sql`json_each(a.machine_ids) j`
        : sql`jsonb_array_elements_text(a.machine_ids::jsonb) as j(value)`;
    await sql`insert into alert_machines (integration_id, alert_id, machine_id)
      select distinct a.integration_id, a.alert_id, j.value from alerts a, ${elements}`.execute(db);

    await db.schema
      .createTable('profiles')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      // Null for the hub's own rule profiles; set for the OS profiles an integration created.
      .addColumn('integration_id', 'text', (c) => c.references('integrations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      /** JSON ProfileRule for rule profiles. */
      .addColumn('rule', 'text')
      .addColumn('match_score', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('profiles_integration_name')
      .on('profiles')
      .columns(['integration_id', 'name'])
      .unique()
      .where(sql.ref('integration_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('profiles_rule_name')
      .on('profiles')
      .column('name')
      .unique()
      .where(sql.ref('integration_id'), 'is', null)
      .execute();

    await db.schema
      .createTable('endpoint_profiles')
      .addColumn('endpoint_id', 'bigint', (c) => c.notNull().references('endpoints.id').onDelete('cascade'))
      .addColumn('profile_id', 'bigint', (c) => c.notNull().references('profiles.id').onDelete('cascade'))
      .addColumn('match_score', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('endpoint_profiles_pk', ['endpoint_id', 'profile_id'])
      .execute();
    await db.schema
      .createIndex('endpoint_profiles_profile')
      .on('endpoint_profiles')
      .columns(['profile_id', 'endpoint_id'])
      .execute();
  };
}
