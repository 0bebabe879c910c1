import type { Insertable, Kysely } from 'kysely';
import type { Database, VulnerabilitiesTable } from '../db/schema.js';
import { upsertRows } from '../db/upsert.js';

export class VulnerabilitiesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async upsertBatch(rows: readonly Insertable<VulnerabilitiesTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db
      .transaction()
      .execute((trx) => upsertRows(trx, 'vulnerabilities', rows, ['integration_id', 'cve_id']));
  }
}
