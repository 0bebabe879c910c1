import type { Kysely } from 'kysely';
import type { Database, MachineActionRow, NewMachineActionRow } from './schema.js';
import { upsertRows } from './upsert.js';
import { fetchPage, type Page, type PageRequest } from './list-queries.js';
import { changesIsolation } from '../domain/isolation.js';

export interface MachineActionFilter {
  readonly integrationId?: string | undefined;
  readonly machineId?: string | undefined;
  readonly type?: string | undefined;
  readonly status?: string | undefined;
}

const finalStatuses = ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'];

/** Response actions the hub sent and the tenant's machine actions synced from Defender, in one table. */
export class MachineActionsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Inserts or updates by Defender's action id; who asked through the hub is never overwritten by a sync. */
  async upsert(rows: readonly NewMachineActionRow[]): Promise<void> {
    await upsertRows(this.#db, 'machine_actions', rows, ['integration_id', 'action_id'], ['requested_by']);
  }

  /** Stored last-update strings of these ids, so a sync writes only what changed. */
  async lastUpdates(integrationId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('machine_actions')
      .select(['action_id', 'last_update_raw', 'status'])
      .where('integration_id', '=', integrationId)
      .where('action_id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.action_id, `${r.status}|${r.last_update_raw ?? ''}`]));
  }

  async get(actionId: string): Promise<MachineActionRow | undefined> {
    return this.#db
      .selectFrom('machine_actions')
      .selectAll()
      .where('action_id', '=', actionId)
      .executeTakeFirst();
  }

  /** Newest first. */
  list(filter: MachineActionFilter, page: PageRequest): Promise<Page<MachineActionRow>> {
    let query = this.#db.selectFrom('machine_actions');
    if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
    if (filter.machineId !== undefined) query = query.where('machine_id', '=', filter.machineId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return fetchPage(
      page,
      query.selectAll().orderBy('created_at', 'desc').orderBy('action_id', 'desc'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  /** The isolate and release actions of these machines, for their isolation state. */
  async isolationActions(integrationId: string, machineIds: readonly string[]): Promise<MachineActionRow[]> {
    if (machineIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('machine_actions')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('machine_id', 'in', [...machineIds])
      .where('type', 'in', ['Isolate', 'Unisolate'])
      .execute();
    return rows.filter((r) => changesIsolation(r.type));
  }

  /** The machine's actions of one type that have not reached a final state, newest first. */
  async pending(integrationId: string, machineId: string, type: string): Promise<MachineActionRow[]> {
    return this.#db
      .selectFrom('machine_actions')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('machine_id', '=', machineId)
      .where('type', '=', type)
      .where('status', 'not in', finalStatuses)
      .orderBy('created_at', 'desc')
      .execute();
  }
}
