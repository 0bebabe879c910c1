import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { upsertRows } from '../db/upsert.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';
import { recommendationRow, type RecommendationRecord } from './recommendation-record.js';

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
}
