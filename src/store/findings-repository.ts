import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { BulkWriter } from './bulk/bulk-writer.js';
import { findingsWriter, type FindingsWriter } from './findings-writer.js';

export class FindingsRepository {
  readonly #db: Kysely<Database>;
  readonly #bulk: BulkWriter;

  constructor(db: Kysely<Database>, bulk: BulkWriter) {
    this.#db = db;
    this.#bulk = bulk;
  }

  /** A pipelined writer for one run; `onStored` counts the rows of each committed batch. */
  writer(onStored: (count: number) => void): FindingsWriter {
    return findingsWriter(this.#bulk, onStored);
  }

  async openCount(integrationId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async unseenOpenCount(integrationId: string, runId: number): Promise<number> {
    const row = await this.#db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Open findings a complete run did not see are fixed: resolved, with the date. */
  async resolveUnseen(integrationId: string, runId: number, now: string): Promise<number> {
    const result = await this.#db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: now, updated_at: now })
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Recounts the integration's exposure per CVE from its open findings, replacing the previous count: the devices
   * exposed, endpoints or not, and how many of them are not endpoints (by the rows' flag, so no join).
   */
  async refreshExposure(integrationId: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('vulnerability_exposure').where('integration_id', '=', integrationId).execute();
      await trx
        .insertInto('vulnerability_exposure')
        .columns(['integration_id', 'cve_id', 'exposed_endpoints', 'devices_not_imported', 'open_findings'])
        .expression(
          trx
            .selectFrom('findings')
            .select([
              'integration_id',
              sql<string>`cve_id`.as('cve_id'),
              sql<number>`count(distinct machine_id)`.as('exposed_endpoints'),
              sql<number>`count(distinct case when imported = 0 then machine_id end)`.as(
                'devices_not_imported',
              ),
              sql<number>`count(*)`.as('open_findings'),
            ])
            .where('integration_id', '=', integrationId)
            .where('status', '=', 'open')
            .where('cve_id', 'is not', null)
            .groupBy(['integration_id', 'cve_id']),
        )
        .execute();
    });
  }
}
