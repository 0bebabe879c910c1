import type { Kysely, Selectable } from 'kysely';
import type { Database, SoftwareTable } from '../db/schema.js';
import { upsertChunkRows, upsertRows } from '../db/upsert.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';
import { softwareRow, type SoftwareRecord } from './software-record.js';
import { containsText, fetchPage, type Page, type PageRequest } from '../db/list-queries.js';

export type SoftwareRow = Selectable<SoftwareTable>;

export interface SoftwareFilter {
  readonly integrationId?: string | undefined;
  /** Part of the name or vendor. */
  readonly search?: string | undefined;
  /** Only products past or near their end of support (any status but None). */
  readonly endOfSupport?: boolean | undefined;
}

/** The CVE lists a findings run tallied, by software key (`vendor-_-name`, lower case), and that run's id. */
export interface FindingSoftwareCves {
  /** Undefined when nothing is stored (no CVE at all, or no findings run has tallied yet). */
  readonly runId: number | undefined;
  readonly cves: ReadonlyMap<string, readonly string[]>;
}

/** The software inventory per integration and the machines each product is installed on. */
export class SoftwareRepository {
  readonly #db: Kysely<Database>;

  /** The machines each product is installed on, and its CVEs. */
  readonly links: CatalogLinksRepository;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.links = new CatalogLinksRepository(db, 'software', { table: 'software', key: 'software_id' });
  }

  async upsert(record: SoftwareRecord): Promise<void> {
    await upsertRows(this.#db, 'software', [softwareRow(record)], ['integration_id', 'software_id']);
  }

  /** The findings run's tally replaces the previous one whole, in one transaction: a reader sees one run's set. */
  async replaceFindingCves(
    integrationId: string,
    runId: number,
    byProduct: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<void> {
    const rows = [...byProduct].flatMap(([softwareKey, cves]) =>
      [...cves].map((cveId) => ({
        integration_id: integrationId,
        software_key: softwareKey,
        cve_id: cveId,
        run_id: runId,
      })),
    );
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('finding_software_cves').where('integration_id', '=', integrationId).execute();
      for (let i = 0; i < rows.length; i += upsertChunkRows)
        await trx
          .insertInto('finding_software_cves')
          .values(rows.slice(i, i + upsertChunkRows))
          .execute();
    });
  }

  /** The integration's stored tally, read at once: one pair per product and CVE, not per machine. */
  async findingCves(integrationId: string): Promise<FindingSoftwareCves> {
    const rows = await this.#db
      .selectFrom('finding_software_cves')
      .select(['software_key', 'cve_id', 'run_id'])
      .where('integration_id', '=', integrationId)
      .orderBy('software_key')
      .orderBy('cve_id')
      .execute();
    const cves = new Map<string, string[]>();
    for (const row of rows) {
      const list = cves.get(row.software_key);
      if (list === undefined) cves.set(row.software_key, [row.cve_id]);
      else list.push(row.cve_id);
    }
    return { runId: rows[0]?.run_id, cves };
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
}
