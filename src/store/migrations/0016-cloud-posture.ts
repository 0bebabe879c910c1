import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/**
 * Defender for Cloud posture per integration (product `cloud`): the subscriptions it reads and how the last read
 * went, the secure scores (current, and one reading per day for the trend), the assessments and their
 * sub-assessments (findings). Every row carries the run that last saw it, so a complete read removes the rest.
 * The integration gains its Azure Resource Manager host and the subscriptions it is limited to.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('integrations').addColumn('arm_base_url', 'text').execute();
    // JSON list of subscription ids; '[]' = every subscription the app can read
    await db.schema
      .alterTable('integrations')
      .addColumn('subscriptions', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();

    const integration = (c: ColumnDefinitionBuilder) =>
      c.notNull().references('integrations.id').onDelete('cascade');

    await db.schema
      .createTable('cloud_subscriptions')
      .addColumn('integration_id', 'text', integration)
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('state', 'text')
      .addColumn('last_read_at', 'text')
      .addColumn('last_read_ok', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_subscriptions_pk', ['integration_id', 'subscription_id'])
      .execute();

    await db.schema
      .createTable('cloud_secure_scores')
      .addColumn('integration_id', 'text', integration)
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('score_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('current', 'double precision', (c) => c.notNull())
      .addColumn('max', 'double precision', (c) => c.notNull())
      .addColumn('percentage', 'double precision', (c) => c.notNull())
      .addColumn('weight', 'integer', (c) => c.notNull())
      // JSON list of the score's controls: {id, name, displayName, current, max, percentage, healthy, unhealthy, notApplicable}
      .addColumn('controls', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_secure_scores_pk', ['integration_id', 'subscription_id', 'name'])
      .execute();

    // One reading per score and day (the day's last), kept for the trend.
    await db.schema
      .createTable('cloud_secure_score_days')
      .addColumn('integration_id', 'text', integration)
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('current', 'double precision', (c) => c.notNull())
      .addColumn('max', 'double precision', (c) => c.notNull())
      .addColumn('percentage', 'double precision', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_secure_score_days_pk', [
        'integration_id',
        'subscription_id',
        'name',
        'day',
      ])
      .execute();

    await db.schema
      .createTable('cloud_assessments')
      .addColumn('integration_id', 'text', integration)
      .addColumn('assessment_id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('resource_type', 'text')
      .addColumn('display_name', 'text', (c) => c.notNull())
      // healthy, unhealthy, notApplicable
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('remediation', 'text')
      .addColumn('portal_url', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_assessments_pk', ['integration_id', 'assessment_id'])
      .execute();
    await db.schema
      .createIndex('cloud_assessments_subscription')
      .on('cloud_assessments')
      .columns(['integration_id', 'subscription_id', 'run_id'])
      .execute();
    await db.schema
      .createIndex('cloud_assessments_resource')
      .on('cloud_assessments')
      .columns(['resource_id'])
      .execute();

    await db.schema
      .createTable('cloud_findings')
      .addColumn('integration_id', 'text', integration)
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('assessment_id', 'text')
      .addColumn('vulnerability_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('resource_type', 'text')
      // Defender's kind of finding (additionalData.assessedResourceType): ServerVulnerability, …
      .addColumn('assessed_resource_type', 'text')
      // JSON list of CVE ids
      .addColumn('cve_ids', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('patchable', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_findings_pk', ['integration_id', 'finding_id'])
      .execute();
    await db.schema
      .createIndex('cloud_findings_subscription')
      .on('cloud_findings')
      .columns(['integration_id', 'subscription_id', 'run_id'])
      .execute();
  };
}
