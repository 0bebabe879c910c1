import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SoftwareTable } from './schema.js';
import { upsertChunkRows, upsertRows } from './upsert.js';
import { containsText, fetchPage, type Page, type PageRequest } from './list-queries.js';

export type SoftwareRow = Selectable<SoftwareTable>;

export interface SoftwareFilter {
  readonly integrationId?: string | undefined;
  /** Part of the name or vendor. */
  readonly search?: string | undefined;
  /** Only products past or near their end of support (any status but None). */
  readonly endOfSupport?: boolean | undefined;
}

/** The software inventory per integration and the machines each product is installed on. */
export class SoftwareRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** One product and the machines it is on now, replacing what was stored of it, as one transaction. */
  async store(row: Insertable<SoftwareTable>, machineIds: readonly string[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await upsertRows(trx, 'software', [row], ['integration_id', 'software_id']);
      await trx
        .deleteFrom('software_machines')
        .where('integration_id', '=', row.integration_id)
        .where('software_id', '=', row.software_id)
        .execute();
      const distinct = [...new Set(machineIds)];
      for (let i = 0; i < distinct.length; i += upsertChunkRows)
        await trx
          .insertInto('software_machines')
          .values(
            distinct.slice(i, i + upsertChunkRows).map((machineId) => ({
              integration_id: row.integration_id,
              software_id: row.software_id,
              machine_id: machineId,
            })),
          )
          .execute();
    });
  }

  /** After a complete run: products Defender no longer lists are gone, with their machines. */
  async removeUnseen(integrationId: string, runId: number): Promise<number> {
    const unseen = this.#db
      .selectFrom('software')
      .select('software_id')
      .where('integration_id', '=', integrationId)
      .where('run_id', '<>', runId);
    await this.#db
      .deleteFrom('software_machines')
      .where('integration_id', '=', integrationId)
      .where('software_id', 'in', unseen)
      .execute();
    const removed = await this.#db
      .deleteFrom('software')
      .where('integration_id', '=', integrationId)
      .where('run_id', '<>', runId)
      .executeTakeFirst();
    return Number(removed.numDeletedRows);
  }

  /** Most exposed first. */
  list(filter: SoftwareFilter, page: PageRequest): Promise<Page<SoftwareRow>> {
    let query = this.#db.selectFrom('software');
    if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
    const search = filter.search?.trim();
    if (search !== undefined && search !== '')
      query = query.where((eb) =>
        eb.or([containsText(eb.ref('name'), search), containsText(eb.ref('vendor'), search)]),
      );
    if (filter.endOfSupport === true)
      query = query
        .where('end_of_support_status', 'is not', null)
        .where('end_of_support_status', '<>', 'None');
    return fetchPage(
      page,
      query
        .selectAll()
        .orderBy('exposed_machines', 'desc')
        .orderBy('installed_machines', 'desc')
        .orderBy('integration_id')
        .orderBy('software_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  /** By Defender's id, in one integration or, without one, the first integration that has it. */
  async get(softwareId: string, integrationId?: string): Promise<SoftwareRow | undefined> {
    let query = this.#db.selectFrom('software').selectAll().where('software_id', '=', softwareId);
    if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
    return query.orderBy('integration_id').executeTakeFirst();
  }

  /** The endpoints a product is installed on, by DNS name; machines the hub has no endpoint for are left out. */
  endpoints(
    integrationId: string,
    softwareId: string,
    page: PageRequest,
  ): Promise<
    Page<{ id: number; machineId: string; computerDnsName: string | null; osPlatform: string | null }>
  > {
    const query = this.#db
      .selectFrom('software_machines as sm')
      .innerJoin('endpoints as e', (join) =>
        join.onRef('e.integration_id', '=', 'sm.integration_id').onRef('e.machine_id', '=', 'sm.machine_id'),
      )
      .where('sm.integration_id', '=', integrationId)
      .where('sm.software_id', '=', softwareId);
    return fetchPage(
      page,
      query
        .select([
          'e.id',
          'e.machine_id as machineId',
          'e.computer_dns_name as computerDnsName',
          'e.os_platform as osPlatform',
        ])
        .orderBy('e.computer_dns_name')
        .orderBy('e.id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }
}
