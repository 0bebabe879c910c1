import type { Kysely } from 'kysely';
import { serialKey, serialKeyConstraint } from './serial-key.js';

export function up(dialect: 'sqlite' | 'postgres') {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('integrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('credential_type', 'text', (c) => c.notNull())
      .addColumn('credential_ciphertext', 'text', (c) => c.notNull())
      .addColumn('credential_set_at', 'text', (c) => c.notNull())
      .addColumn('api_base_url', 'text', (c) => c.notNull())
      .addColumn('authority_host', 'text')
      .addColumn('graph_base_url', 'text')
      .addColumn('ca_pem', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('imports', 'text', (c) => c.notNull())
      .addColumn('schedules', 'text', (c) => c.notNull())
      .addColumn('filters', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('endpoints')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn('computer_dns_name', 'text')
      .addColumn('os_platform', 'text')
      .addColumn('os_version', 'text')
      .addColumn('os_build', 'bigint')
      .addColumn('version', 'text')
      .addColumn('health_status', 'text')
      .addColumn('onboarding_status', 'text')
      .addColumn('risk_score', 'text')
      .addColumn('exposure_level', 'text')
      .addColumn('device_value', 'text')
      .addColumn('rbac_group_id', 'text')
      .addColumn('rbac_group_name', 'text')
      .addColumn('aad_device_id', 'text')
      .addColumn('last_ip_address', 'text')
      .addColumn('last_external_ip_address', 'text')
      .addColumn('machine_tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('ip_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('first_seen_raw', 'text')
      .addColumn('last_seen_raw', 'text')
      .addColumn('last_seen_at', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('stale', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('stale_since', 'text')
      .addColumn('last_run_id', 'bigint')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('endpoints_integration_machine', ['integration_id', 'machine_id'])
      .execute();
    await db.schema.createIndex('endpoints_dns_name').on('endpoints').column('computer_dns_name').execute();
    await db.schema
      .createIndex('endpoints_platform')
      .on('endpoints')
      .columns(['os_platform', 'integration_id'])
      .execute();

    await db.schema
      .createTable('vulnerabilities')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('cve_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('description', 'text')
      .addColumn('severity', 'text')
      .addColumn('cvss_v3', 'real')
      .addColumn('public_exploit', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('exploit_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('exploit_in_kit', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('epss', 'real')
      .addColumn('published_on', 'text')
      .addColumn('updated_on', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('vulnerabilities_pk', ['integration_id', 'cve_id'])
      .execute();

    await db.schema
      .createTable('findings')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('finding_key', 'text', (c) => c.notNull())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn('cve_id', 'text')
      .addColumn('software_vendor', 'text')
      .addColumn('software_name', 'text')
      .addColumn('software_version', 'text')
      .addColumn('severity', 'text')
      .addColumn('cvss_score', 'real')
      .addColumn('exploitability_level', 'text')
      .addColumn('fixing_update', 'text')
      .addColumn('fixing_update_id', 'text')
      .addColumn('fixing_update_url', 'text')
      .addColumn('update_available', 'integer')
      .addColumn('first_seen_raw', 'text')
      .addColumn('first_seen_at', 'text')
      .addColumn('last_seen_raw', 'text')
      .addColumn('last_seen_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('resolved_at', 'text')
      .addColumn('last_run_id', 'bigint')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('findings_integration_key', ['integration_id', 'finding_key'])
      .execute();
    await db.schema
      .createIndex('findings_machine')
      .on('findings')
      .columns(['integration_id', 'machine_id', 'status'])
      .execute();
    await db.schema.createIndex('findings_cve').on('findings').columns(['cve_id', 'status']).execute();

    for (const table of ['alerts', 'incidents'] as const) {
      const idColumn = table === 'alerts' ? 'alert_id' : 'incident_id';
      let builder = db.schema
        .createTable(table)
        .addColumn('integration_id', 'text', (c) =>
          c.notNull().references('integrations.id').onDelete('cascade'),
        )
        .addColumn(idColumn, 'text', (c) => c.notNull());
      builder =
        table === 'alerts'
          ? builder
              .addColumn('incident_id', 'text')
              .addColumn('title', 'text')
              .addColumn('severity', 'text')
              .addColumn('status', 'text')
              .addColumn('category', 'text')
              .addColumn('service_source', 'text')
              .addColumn('detection_source', 'text')
              .addColumn('machine_ids', 'text', (c) => c.notNull().defaultTo('[]'))
          : builder
              .addColumn('display_name', 'text')
              .addColumn('severity', 'text')
              .addColumn('status', 'text')
              .addColumn('classification', 'text')
              .addColumn('determination', 'text');
      await builder
        .addColumn('created_at_raw', 'text')
        .addColumn('last_update_raw', 'text', (c) => c.notNull())
        .addColumn('last_update_at', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['integration_id', idColumn])
        .execute();
      await db.schema
        .createIndex(`${table}_last_update`)
        .on(table)
        .columns(['integration_id', 'last_update_at'])
        .execute();
    }

    await db.schema
      .createTable('sync_runs')
      .addColumn('id', serialKey(dialect), serialKeyConstraint(dialect))
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('api_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('records_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('upserted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped_reasons', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completeness', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .execute();
    await db.schema
      .createIndex('sync_runs_integration')
      .on('sync_runs')
      .columns(['integration_id', 'dataset', 'started_at'])
      .execute();

    await db.schema
      .createTable('sync_cursors')
      .addColumn('integration_id', 'text', (c) =>
        c.notNull().references('integrations.id').onDelete('cascade'),
      )
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_cursors_pk', ['integration_id', 'dataset'])
      .execute();
  };
}
