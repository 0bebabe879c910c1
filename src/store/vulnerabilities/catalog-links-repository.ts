import { sql } from 'kysely';
import type { CatalogLinkKind } from '../../domain/catalog-links.js';
import type { Catalog } from '../db/schema.js';
import { Repository, type Connection } from '../db/repository.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import { CatalogLinkWriter } from './catalog-link-writer.js';

/** The table a catalog's items live in, and its id column. */
export type CatalogItems =
  | { readonly table: 'software'; readonly key: 'software_id' }
  | { readonly table: 'recommendations'; readonly key: 'recommendation_id' };

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

/** Completed items one prune names at most: their ids are bound parameters of one statement. */
const itemsPerPrune = 1000;

/**
 * The links of one catalog's items (a product's installations and CVEs, a recommendation's devices), written a
 * page at a time as Defender sends them: each link carries the run that saw it, so what an item no longer lists
 * is pruned once its pages are read, and nothing of an item is held in memory.
 */
export class CatalogLinksRepository extends Repository {
  readonly #catalog: Catalog;
  readonly #items: CatalogItems;
  readonly #bulk: BulkWriter;

  constructor(connection: Connection, bulk: BulkWriter, catalog: Catalog, items: CatalogItems) {
    super(connection);
    this.#bulk = bulk;
    this.#catalog = catalog;
    this.#items = items;
  }

  /** A pipelined writer of one run's links (see CatalogLinkWriter). */
  writer(integrationId: string, runId: number): CatalogLinkWriter {
    return new CatalogLinkWriter(this.#bulk, {
      integrationId,
      runId,
      catalog: this.#catalog,
      prune: (items) => this.#prune(integrationId, runId, items),
    });
  }

  /** Drops the links of the items that this run did not list: their pages are all read and stored. */
  async #prune(integrationId: string, runId: number, items: readonly string[]): Promise<void> {
    for (let at = 0; at < items.length; at += itemsPerPrune)
      await this.db
        .deleteFrom('catalog_links')
        .where('integration_id', '=', integrationId)
        .where('catalog', '=', this.#catalog)
        .where('item_id', 'in', items.slice(at, at + itemsPerPrune))
        .where('run_id', '<>', runId)
        .execute();
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
