import type { Insertable, Kysely } from 'kysely';
import type { AlertsTable, Database, IncidentsTable } from './schema.js';
import { upsertRows } from './upsert.js';
import type { CursorsRepository } from './cursors-repository.js';

type ActivityTable = 'alerts' | 'incidents';
type Row<T extends ActivityTable> = T extends 'alerts' ? Insertable<AlertsTable> : Insertable<IncidentsTable>;

/**
 * Alerts and incidents: records that change over time and are read incrementally by last-update time. A batch
 * and the cursor that follows it commit together, so a crash never moves the cursor past unstored records.
 */
export class ActivityRepository<T extends ActivityTable> {
  readonly #db: Kysely<Database>;
  readonly #table: T;
  readonly #idColumn: 'alert_id' | 'incident_id';
  readonly #cursors: CursorsRepository;

  constructor(db: Kysely<Database>, table: T, cursors: CursorsRepository) {
    this.#db = db;
    this.#table = table;
    this.#idColumn = table === 'alerts' ? 'alert_id' : 'incident_id';
    this.#cursors = cursors;
  }

  /** Stored last-update strings of these ids, to tell a changed record from an overlap re-read. */
  async lastUpdates(integrationId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const idColumn = this.#idColumn;
    const rows = await this.#db
      .selectFrom(this.#table as 'alerts')
      .select([`${idColumn as 'alert_id'} as id`, 'last_update_raw'])
      .where('integration_id', '=', integrationId)
      .where(idColumn as 'alert_id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.last_update_raw]));
  }

  async storeBatch(
    integrationId: string,
    dataset: string,
    rows: readonly Row<T>[],
    cursor: string | undefined,
    now: string,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      if (rows.length > 0) {
        await upsertRows(
          trx,
          this.#table,
          rows as readonly Insertable<Database[T]>[],
          ['integration_id', this.#idColumn] as (keyof Database[T] & string)[],
        );
      }
      if (cursor !== undefined) await this.#cursors.set(trx, integrationId, dataset, cursor, now);
    });
  }
}
