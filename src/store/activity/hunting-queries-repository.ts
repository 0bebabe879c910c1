import type { Connection } from '../db/repository.js';
import { NamedRecords } from '../db/named-records.js';
import { toSavedHuntingQuery, type HuntingQueryFields, type SavedHuntingQuery } from './hunting-mapper.js';

/** Saved advanced hunting queries. */
export class HuntingQueriesRepository extends NamedRecords<'hunting_queries', SavedHuntingQuery> {
  constructor(connection: Connection) {
    super(connection, 'hunting_queries', toSavedHuntingQuery);
  }

  async insert(fields: HuntingQueryFields, now: string): Promise<SavedHuntingQuery> {
    const row = await this.db
      .insertInto('hunting_queries')
      .values({ ...fields, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSavedHuntingQuery(row);
  }

  /** Replaces every field (a PUT); undefined when there is no such query. */
  async replace(id: number, fields: HuntingQueryFields, now: string): Promise<SavedHuntingQuery | undefined> {
    const row = await this.db
      .updateTable('hunting_queries')
      .set({ ...fields, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toSavedHuntingQuery(row);
  }
}
