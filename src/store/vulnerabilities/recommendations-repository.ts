import type { Insertable, Kysely } from 'kysely';
import type { Database, RecommendationsTable } from '../db/schema.js';
import { upsertRows } from '../db/upsert.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';

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

  async upsert(row: Insertable<RecommendationsTable>): Promise<void> {
    await upsertRows(this.#db, 'recommendations', [row], ['integration_id', 'recommendation_id']);
  }
}
