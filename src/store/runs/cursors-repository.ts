import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';

/** Where each incremental dataset left off: the raw timestamp of the newest record stored. */
export class CursorsRepository extends Repository {
  async get(integrationId: string, dataset: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sync_cursors')
      .select('cursor')
      .where('integration_id', '=', integrationId)
      .where('dataset', '=', dataset)
      .executeTakeFirst();
    return row?.cursor;
  }

  async set(integrationId: string, dataset: string, cursor: string, now: string): Promise<void> {
    await this.setWithin(this.db, integrationId, dataset, cursor, now);
  }

  /** Within a transaction of the caller's: the cursor moves with the records it stands for. */
  async setWithin(
    db: Kysely<Database>,
    integrationId: string,
    dataset: string,
    cursor: string,
    now: string,
  ): Promise<void> {
    await upsertRows(
      db,
      'sync_cursors',
      [{ integration_id: integrationId, dataset, cursor, updated_at: now }],
      ['integration_id', 'dataset'],
    );
  }
}
