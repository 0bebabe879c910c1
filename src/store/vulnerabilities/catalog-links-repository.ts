import { sql } from 'kysely';
import type { CatalogLinkKind } from '../../domain/catalog-links.js';
import type { Catalog } from '../db/schema.js';
import { Repository, type Connection } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';

/** The table a catalog's items live in, and its id column. */
export type CatalogItems =
  | { readonly table: 'software'; readonly key: 'software_id' }
  | { readonly table: 'recommendations'; readonly key: 'recommendation_id' };

/** One page of an item's links of one kind, as Defender's list (or the store) names them. */
export interface CatalogLinkPage {
  readonly kind: CatalogLinkKind;
  readonly itemId: string;
  readonly targetIds: readonly string[];
}

export interface CatalogEndpoint {
  id: number;
  machineId: string;
  computerDnsName: string | null;
  osPlatform: string | null;
}

export interface CatalogVulnerability {
  cveId: string;
  severity: string | null;
  cvssV3: number | null;
  description: string | null;
}

/**
 * The links of one catalog's items (a product's installations and CVEs, a recommendation's devices), written a
 * page at a time as Defender sends them: each link carries the run that saw it, so what an item no longer lists
 * is pruned once its pages are read, and nothing of an item is held in memory.
 */
export class CatalogLinksRepository extends Repository {
  readonly #catalog: Catalog;
  readonly #items: CatalogItems;

  constructor(connection: Connection, catalog: Catalog, items: CatalogItems) {
    super(connection);
    this.#catalog = catalog;
    this.#items = items;
  }

  /**
   * Writes pages of links and then, for the items whose pages are all read, drops what this run did not list,
   * in one transaction. The sync hands over thousands of links at a time: SQLite then writes each index page it
   * touches once per call, not once per page of an item, which was most of a catalog run's time.
   */
  async write(
    integrationId: string,
    runId: number,
    pages: readonly CatalogLinkPage[],
    finishedItems: readonly string[],
  ): Promise<void> {
    const rows = pages.flatMap(({ kind, itemId, targetIds }) =>
      [...new Set(targetIds)].map((targetId) => ({
        integration_id: integrationId,
        catalog: this.#catalog,
        kind,
        item_id: itemId,
        target_id: targetId,
        run_id: runId,
      })),
    );
    await this.db.transaction().execute(async (trx) => {
      await upsertRows(trx, 'catalog_links', rows, [
        'integration_id',
        'catalog',
        'item_id',
        'kind',
        'target_id',
      ]);
      if (finishedItems.length === 0) return;
      await trx
        .deleteFrom('catalog_links')
        .where('integration_id', '=', integrationId)
        .where('catalog', '=', this.#catalog)
        .where('item_id', 'in', [...finishedItems])
        .where('run_id', '<>', runId)
        .execute();
    });
  }

  /** How many items the integration has, and how many of them the run did not see. */
  async unseenCount(integrationId: string, runId: number): Promise<{ unseen: number; total: number }> {
    const row = await sql<{ unseen: number | string | null; total: number | string }>`
      select sum(case when run_id <> ${runId} then 1 else 0 end) as unseen, count(*) as total
      from ${sql.table(this.#items.table)} where integration_id = ${integrationId}`
      .execute(this.db)
      .then((r) => r.rows[0]);
    return { unseen: Number(row?.unseen ?? 0), total: Number(row?.total ?? 0) };
  }

  /** After a complete run: the items Defender no longer lists are gone, with their links. */
  async removeUnseen(integrationId: string, runId: number): Promise<number> {
    const { table, key } = this.#items;
    await sql`delete from catalog_links
      where integration_id = ${integrationId} and catalog = ${this.#catalog} and item_id in
        (select ${sql.ref(key)} from ${sql.table(table)} where integration_id = ${integrationId} and run_id <> ${runId})`.execute(
      this.db,
    );
    const removed = await sql`delete from ${sql.table(table)}
      where integration_id = ${integrationId} and run_id <> ${runId}`.execute(this.db);
    return Number(removed.numAffectedRows ?? 0n);
  }

  #linked(kind: CatalogLinkKind, integrationId: string, itemId: string) {
    return this.db
      .selectFrom('catalog_links as cl')
      .where('cl.integration_id', '=', integrationId)
      .where('cl.catalog', '=', this.#catalog)
      .where('cl.item_id', '=', itemId)
      .where('cl.kind', '=', kind);
  }

  /** The hub endpoints of an item, by DNS name; machines the hub has no endpoint for are left out. */
  endpoints(integrationId: string, itemId: string, page: PageRequest): Promise<Page<CatalogEndpoint>> {
    const query = this.#linked('machine', integrationId, itemId).innerJoin('endpoints as e', (join) =>
      join.onRef('e.integration_id', '=', 'cl.integration_id').onRef('e.machine_id', '=', 'cl.target_id'),
    );
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

  /** The CVEs of an item, described from the integration's CVE catalog where it has them; by CVE id. */
  vulnerabilities(
    integrationId: string,
    itemId: string,
    page: PageRequest,
  ): Promise<Page<CatalogVulnerability>> {
    const query = this.#linked('vulnerability', integrationId, itemId).leftJoin(
      'vulnerabilities as v',
      (join) =>
        join.onRef('v.integration_id', '=', 'cl.integration_id').onRef('v.cve_id', '=', 'cl.target_id'),
    );
    return fetchPage(
      page,
      query
        .select(['cl.target_id as cveId', 'v.severity', 'v.cvss_v3 as cvssV3', 'v.description'])
        .orderBy('cl.target_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }
}
