import type { Kysely } from 'kysely';

/**
 * Indexes for strategies that name endpoint fields, whose endpoint conditions are evaluated once over every
 * endpoint and whose candidate patches are walked in the matches' order:
 * - the endpoint fields a strategy can name, beside the id, so that pass reads a narrow index instead of the
 *   wide rows (each carries Defender's whole machine record);
 * - the patches in the matches' order, so each batch of the walk is read in order instead of sorted again.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createIndex('endpoints_strategy_fields')
      .on('endpoints')
      .columns(['id', 'integration_id', 'risk_rank', 'rbac_group_name', 'computer_dns_name', 'machine_tags'])
      .execute();
    await db.schema
      .createIndex('patches_match_order')
      .on('patches')
      .columns(['severity_rank desc', 'endpoint_count desc', 'integration_id', 'patch_key'])
      .execute();
  };
}
