import type { Insertable } from 'kysely';
import type { VulnerabilitiesTable } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';

export class VulnerabilitiesRepository extends Repository {
  async upsertBatch(rows: readonly Insertable<VulnerabilitiesTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .transaction()
      .execute((trx) => upsertRows(trx, 'vulnerabilities', rows, ['integration_id', 'cve_id']));
  }
}
