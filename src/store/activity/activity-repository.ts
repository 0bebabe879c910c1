import type { Insertable, Kysely } from 'kysely';
import type { AlertsTable, Database, IncidentsTable } from '../db/schema.js';
import { Repository, type Connection } from '../db/repository.js';
import { upsertChunkRows, upsertRows } from '../db/upsert.js';
import { parseStringArray } from '../db/list-queries.js';
import type { CursorsRepository } from '../runs/cursors-repository.js';
import {
  alertRow,
  incidentRow,
  type ActivityRecordOf,
  type ActivityTable,
  type AlertRecord,
  type IncidentRecord,
} from './activity-records.js';

type Row<T extends ActivityTable> = T extends 'alerts' ? Insertable<AlertsTable> : Insertable<IncidentsTable>;

/**
 * Alerts and incidents: records that change over time and are read incrementally by last-update time. A batch
 * and the cursor that follows it commit together, so a crash never moves the cursor past unstored records.
 */
export class ActivityRepository<T extends ActivityTable> extends Repository {
  readonly #table: T;
  readonly #idColumn: 'alert_id' | 'incident_id';
  readonly #cursors: CursorsRepository;

  constructor(connection: Connection, table: T, cursors: CursorsRepository) {
    super(connection);
    this.#table = table;
    this.#idColumn = table === 'alerts' ? 'alert_id' : 'incident_id';
    this.#cursors = cursors;
  }

  /** Stored last-update strings of these ids, to tell a changed record from an overlap re-read. */
  async lastUpdates(integrationId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const idColumn = this.#idColumn;
    const rows = await this.db
      .selectFrom(this.#table as 'alerts')
      .select([`${idColumn as 'alert_id'} as id`, 'last_update_raw'])
      .where('integration_id', '=', integrationId)
      .where(idColumn as 'alert_id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.last_update_raw]));
  }

  /**
   * Stores a batch and the cursor it reached as one transaction. Returns the machines whose alerts changed
   * (named before or after), whose alert risk is then out of date; none for incidents.
   */
  async storeBatch(
    integrationId: string,
    dataset: string,
    records: readonly ActivityRecordOf<T>[],
    cursor: string | undefined,
    now: string,
  ): Promise<string[]> {
    const rows = records.map(
      (r) =>
        (this.#table === 'alerts'
          ? alertRow(r as AlertRecord, integrationId, now)
          : incidentRow(r as IncidentRecord, integrationId, now)) as Row<T>,
    );
    return this.db.transaction().execute(async (trx) => {
      let touched: string[] = [];
      if (rows.length > 0) {
        await upsertRows(
          trx,
          this.#table,
          rows as readonly Insertable<Database[T]>[],
          ['integration_id', this.#idColumn] as (keyof Database[T] & string)[],
        );
        if (this.#table === 'alerts')
          touched = await relinkAlertMachines(trx, integrationId, rows as readonly Insertable<AlertsTable>[]);
      }
      if (cursor !== undefined) await this.#cursors.setWithin(trx, integrationId, dataset, cursor, now);
      return touched;
    });
  }
}

/** Replaces the alert → machine links of these alerts; returns every machine linked before or after. */
async function relinkAlertMachines(
  trx: Kysely<Database>,
  integrationId: string,
  rows: readonly Insertable<AlertsTable>[],
): Promise<string[]> {
  const alertIds = rows.map((r) => r.alert_id);
  const before = await trx
    .deleteFrom('alert_machines')
    .where('integration_id', '=', integrationId)
    .where('alert_id', 'in', alertIds)
    .returning('machine_id')
    .execute();
  const links = rows.flatMap((r) =>
    parseStringArray(r.machine_ids).map((machineId) => ({
      integration_id: integrationId,
      alert_id: r.alert_id,
      machine_id: machineId,
    })),
  );
  for (let i = 0; i < links.length; i += upsertChunkRows)
    await trx
      .insertInto('alert_machines')
      .values(links.slice(i, i + upsertChunkRows))
      .onConflict((oc) => oc.doNothing())
      .execute();
  return [...new Set([...before.map((r) => r.machine_id), ...links.map((l) => l.machine_id)])];
}
