import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import { isolationTypes } from '../../domain/isolation.js';
import {
  machineActionRow,
  toIsolationAction,
  toStoredMachineAction,
  type MachineActionRecord,
  type MachineIsolationAction,
  type StoredMachineAction,
} from './machine-action-mapper.js';

export interface MachineActionFilter {
  readonly integrationId?: string | undefined;
  readonly machineId?: string | undefined;
  readonly type?: string | undefined;
  readonly status?: string | undefined;
}

const finalStatuses = ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'];

/** Response actions the hub sent and the tenant's machine actions synced from Defender, in one table. */
export class MachineActionsRepository extends Repository {
  /** Inserts or updates by Defender's action id; who asked through the hub is never overwritten by a sync. */
  async upsert(records: readonly MachineActionRecord[]): Promise<void> {
    await upsertRows(
      this.db,
      'machine_actions',
      records.map(machineActionRow),
      ['integration_id', 'action_id'],
      ['requested_by'],
    );
  }

  /** Stored last-update strings of these ids, so a sync writes only what changed. */
  async lastUpdates(integrationId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('machine_actions')
      .select(['action_id', 'last_update_raw', 'status'])
      .where('integration_id', '=', integrationId)
      .where('action_id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.action_id, `${r.status}|${r.last_update_raw ?? ''}`]));
  }

  #withEndpoint() {
    return this.db
      .selectFrom('machine_actions as a')
      .leftJoin('endpoints as e', (join) =>
        join.onRef('e.integration_id', '=', 'a.integration_id').onRef('e.machine_id', '=', 'a.machine_id'),
      );
  }

  async get(actionId: string): Promise<StoredMachineAction | undefined> {
    const row = await this.#withEndpoint()
      .selectAll('a')
      .select('e.id as endpoint_id')
      .where('a.action_id', '=', actionId)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredMachineAction(row);
  }

  /** Newest first. */
  list(filter: MachineActionFilter, page: PageRequest): Promise<Page<StoredMachineAction>> {
    let query = this.#withEndpoint();
    if (filter.integrationId !== undefined)
      query = query.where('a.integration_id', '=', filter.integrationId);
    if (filter.machineId !== undefined) query = query.where('a.machine_id', '=', filter.machineId);
    if (filter.type !== undefined) query = query.where('a.type', '=', filter.type);
    if (filter.status !== undefined) query = query.where('a.status', '=', filter.status);
    return fetchPage(
      page,
      query
        .selectAll('a')
        .select('e.id as endpoint_id')
        .orderBy('a.created_at', 'desc')
        .orderBy('a.action_id', 'desc'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows.map(toStoredMachineAction),
    );
  }

  /** The isolate and release actions of these machines, for their isolation state. */
  async isolationActions(
    integrationId: string,
    machineIds: readonly string[],
  ): Promise<MachineIsolationAction[]> {
    if (machineIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('machine_actions')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('machine_id', 'in', [...machineIds])
      .where('type', 'in', isolationTypes)
      .execute();
    return rows.map(toIsolationAction);
  }

  /** The creation time (raw) of the integration's oldest action not yet final: what a refresh reads from. */
  async oldestOpen(integrationId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('machine_actions')
      .select('created_raw')
      .where('integration_id', '=', integrationId)
      .where('status', 'not in', finalStatuses)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.created_raw;
  }
}
