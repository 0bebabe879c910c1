import type { Insertable, Kysely } from 'kysely';
import type { Database, ExposureScoresTable } from '../db/schema.js';
import { upsertRows } from '../db/upsert.js';

/** Exposure score readings, the organisation's and each device group's, kept over time. */
export class ExposureScoresRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Readings already stored (same scope and time) are replaced, so a re-run of a sync adds nothing. */
  async record(rows: readonly Insertable<ExposureScoresTable>[]): Promise<void> {
    await upsertRows(this.#db, 'exposure_scores', rows, ['integration_id', 'scope', 'time_at']);
  }
}
