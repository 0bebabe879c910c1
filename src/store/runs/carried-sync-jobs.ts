import { sql, type Kysely } from 'kysely';
import { datasetNames, type DatasetName } from '../../domain/datasets.js';
import type { Database } from '../db/schema.js';

/** A job the queue before pg-boss held when the hub moved to the job engine. */
export interface CarriedSyncJob {
  readonly integrationId: string;
  readonly dataset: DatasetName;
  readonly full: boolean;
  readonly force: boolean;
}

function optionsOf(text: string): { full?: unknown; force?: unknown } {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * PostgreSQL: what migration 0025 kept of the old queue, handed over once to the job engine. `take` answers the
 * jobs and leaves them in place; `clear` drops the table once they are queued, so a crash in between queues
 * them again (the engine keeps one waiting job per integration and dataset, so nothing runs twice for it).
 */
export class CarriedSyncJobs {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async take(): Promise<CarriedSyncJob[]> {
    if (!(await this.#exists())) return [];
    const rows = await this.#db.selectFrom('carried_sync_jobs').selectAll().execute();
    return rows
      .filter((row) => (datasetNames as readonly string[]).includes(row.dataset))
      .map((row) => {
        const options = optionsOf(row.options);
        return {
          integrationId: row.integration_id,
          dataset: row.dataset as DatasetName,
          full: options.full === true,
          force: options.force === true,
        };
      });
  }

  async clear(): Promise<void> {
    await this.#db.schema.dropTable('carried_sync_jobs').ifExists().execute();
  }

  async #exists(): Promise<boolean> {
    const { rows } = await sql<{
      found: string | null;
    }>`select to_regclass('carried_sync_jobs')::text as found`.execute(this.#db);
    return rows[0]?.found != null;
  }
}
