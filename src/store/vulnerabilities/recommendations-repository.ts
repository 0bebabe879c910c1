import type { Connection } from '../db/repository.js';
import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';
import { recommendationRow, type RecommendationRecord } from './recommendation-record.js';

/** Security recommendations per integration and the devices each is about. */
export class RecommendationsRepository extends Repository {
  /** The devices each recommendation is about. */
  readonly links: CatalogLinksRepository;

  constructor(connection: Connection, bulk: BulkWriter) {
    super(connection);
    this.links = new CatalogLinksRepository(connection, bulk, 'recommendation', {
      table: 'recommendations',
      key: 'recommendation_id',
    });
  }

  async upsert(record: RecommendationRecord): Promise<void> {
    await upsertRows(
      this.db,
      'recommendations',
      [recommendationRow(record)],
      ['integration_id', 'recommendation_id'],
    );
  }
}
