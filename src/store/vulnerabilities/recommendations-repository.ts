import type { Kysely, Selectable } from 'kysely';
import type { Database, RecommendationsTable } from '../db/schema.js';
import type { EndpointKey } from '../endpoints/endpoint-queries.js';
import { upsertRows } from '../db/upsert.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';
import { recommendationRow, type RecommendationRecord } from './recommendation-record.js';
import { containsText, fetchPage, type Page, type PageRequest } from '../db/list-queries.js';

export type RecommendationRow = Selectable<RecommendationsTable>;

export interface RecommendationFilter {
  readonly integrationId?: string | undefined;
  /** Part of the recommendation's name, product or vendor. */
  readonly search?: string | undefined;
  readonly remediationType?: string | undefined;
  readonly status?: string | undefined;
  readonly category?: string | undefined;
  readonly publicExploit?: boolean | undefined;
}

/** Security recommendations per integration and the devices each is about. */
export class RecommendationsRepository {
  readonly #db: Kysely<Database>;
  /** The devices each recommendation is about. */
  readonly links: CatalogLinksRepository;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.links = new CatalogLinksRepository(db, 'recommendation', {
      table: 'recommendations',
      key: 'recommendation_id',
    });
  }

  async upsert(record: RecommendationRecord): Promise<void> {
    await upsertRows(
      this.#db,
      'recommendations',
      [recommendationRow(record)],
      ['integration_id', 'recommendation_id'],
    );
  }

  /** Most exposure impact first, as the Defender portal ranks them. */
  list(filter: RecommendationFilter, page: PageRequest): Promise<Page<RecommendationRow>> {
    let query = this.#db.selectFrom('recommendations');
    if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
    const search = filter.search?.trim();
    if (search !== undefined && search !== '')
      query = query.where((eb) =>
        eb.or(
          (['name', 'product_name', 'vendor'] as const).map((column) => containsText(eb.ref(column), search)),
        ),
      );
    for (const [column, value] of [
      ['remediation_type', filter.remediationType],
      ['status', filter.status],
      ['category', filter.category],
    ] as const)
      if (value !== undefined) query = query.where(column, '=', value);
    if (filter.publicExploit !== undefined)
      query = query.where('public_exploit', '=', filter.publicExploit ? 1 : 0);
    return fetchPage(
      page,
      query
        .selectAll()
        .orderBy('exposure_impact', 'desc')
        .orderBy('integration_id')
        .orderBy('recommendation_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  /** By Defender's id, in one integration or, without one, the first integration that has it. */
  async get(recommendationId: string, integrationId?: string): Promise<RecommendationRow | undefined> {
    let query = this.#db
      .selectFrom('recommendations')
      .selectAll()
      .where('recommendation_id', '=', recommendationId);
    if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
    return query.orderBy('integration_id').executeTakeFirst();
  }

  /** The recommendations that concern one endpoint, most exposure impact first. */
  forEndpoint(endpoint: EndpointKey, page: PageRequest): Promise<Page<RecommendationRow>> {
    const query = this.#db
      .selectFrom('catalog_links as cl')
      .innerJoin('recommendations as r', (join) =>
        join
          .onRef('r.integration_id', '=', 'cl.integration_id')
          .onRef('r.recommendation_id', '=', 'cl.item_id'),
      )
      .where('cl.integration_id', '=', endpoint.integrationId)
      .where('cl.kind', '=', 'machine')
      .where('cl.target_id', '=', endpoint.machineId)
      .where('cl.catalog', '=', 'recommendation');
    return fetchPage(
      page,
      query.selectAll('r').orderBy('r.exposure_impact', 'desc').orderBy('r.recommendation_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }
}
