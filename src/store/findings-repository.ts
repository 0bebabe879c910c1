import type { Kysely } from 'kysely';
import type { Database, NewFindingRow } from './schema.js';
import { upsertRows } from './upsert.js';

export class FindingsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Stores a batch as one transaction. A finding seen again is open again; first-seen is kept. */
  async upsertBatch(rows: readonly NewFindingRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db
      .transaction()
      .execute((trx) => upsertRows(trx, 'findings', rows, ['integration_id', 'finding_key']));
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
}
