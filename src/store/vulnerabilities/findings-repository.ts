import type { Connection } from '../db/repository.js';
import { sql } from 'kysely';
import { Repository } from '../db/repository.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import { findingsWriter, type FindingsWriter } from './findings-writer.js';

/** Keys per statement: well under either database's parameter limit. */
const keysPerStatement = 1000;

export class FindingsRepository extends Repository {
  readonly #bulk: BulkWriter;

  constructor(connection: Connection, bulk: BulkWriter) {
    super(connection);
    this.#bulk = bulk;
  }

  /** A pipelined writer for one run; `onStored` counts the rows of each committed batch. */
  writer(onStored: (count: number) => void): FindingsWriter {
    return findingsWriter(this.#bulk, onStored);
  }

  async openCount(integrationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async unseenOpenCount(integrationId: string, runId: number): Promise<number> {
    const row = await this.db
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
    const result = await this.db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: now, updated_at: now })
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Open findings the changes say are fixed: resolved, with the date. Returns how many were open. */
  async resolveKeys(integrationId: string, findingKeys: readonly string[], now: string): Promise<number> {
    let resolved = 0;
    for (let i = 0; i < findingKeys.length; i += keysPerStatement) {
      const result = await this.db
        .updateTable('findings')
        .set({ status: 'resolved', resolved_at: now, updated_at: now })
        .where('integration_id', '=', integrationId)
        .where('finding_key', 'in', findingKeys.slice(i, i + keysPerStatement))
        .where('status', '=', 'open')
        .executeTakeFirst();
      resolved += Number(result.numUpdatedRows);
    }
    return resolved;
  }

  /**
   * Recounts the integration's exposure per CVE from its open findings, replacing the previous count: the devices
   * exposed, endpoints or not, then how many of them are not endpoints. Call it once `finding_devices` holds the
   * run's devices that are not endpoints: the second count starts from them, so it reads only their index entries
   * (none when every device is an endpoint), and the first reads the per-machine index alone, never a row.
   */
  async refreshExposure(integrationId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('vulnerability_exposure').where('integration_id', '=', integrationId).execute();
      await trx
        .insertInto('vulnerability_exposure')
        .columns(['integration_id', 'cve_id', 'exposed_endpoints', 'open_findings'])
        .expression(
          trx
            .selectFrom('findings')
            .select([
              'integration_id',
              sql<string>`cve_id`.as('cve_id'),
              sql<number>`count(distinct machine_id)`.as('exposed_endpoints'),
              sql<number>`count(*)`.as('open_findings'),
            ])
            .where('integration_id', '=', integrationId)
            .where('status', '=', 'open')
            .where('cve_id', 'is not', null)
            .groupBy(['integration_id', 'cve_id']),
        )
        .execute();
      // A cross join, as SQLite then keeps the devices outside: joined the other way round, it probed them once
      // per finding (300 ms against 30 ms at 20,000 machines with 2,000 devices not imported).
      const unimported = trx
        .selectFrom('finding_devices as d')
        .crossJoin('findings as f')
        .select(['f.cve_id', sql<number>`count(distinct f.machine_id)`.as('devices')])
        .where('d.integration_id', '=', integrationId)
        .whereRef('f.integration_id', '=', 'd.integration_id')
        .whereRef('f.machine_id', '=', 'd.machine_id')
        .where('f.status', '=', 'open')
        .where('f.cve_id', 'is not', null)
        .groupBy('f.cve_id');
      await trx
        .updateTable('vulnerability_exposure')
        .from(unimported.as('u'))
        .set((eb) => ({ devices_not_imported: eb.ref('u.devices') }))
        .where('vulnerability_exposure.integration_id', '=', integrationId)
        .whereRef('vulnerability_exposure.cve_id', '=', 'u.cve_id')
        .execute();
    });
  }
}
