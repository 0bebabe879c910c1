import { Repository } from '../db/repository.js';
import { toSavedHuntingQuery, type HuntingQueryFields, type SavedHuntingQuery } from './hunting-mapper.js';

/** Saved advanced hunting queries. */
export class HuntingQueriesRepository extends Repository {
  async list(): Promise<SavedHuntingQuery[]> {
    const rows = await this.db.selectFrom('hunting_queries').selectAll().orderBy('name').execute();
    return rows.map(toSavedHuntingQuery);
  }

  async find(id: number): Promise<SavedHuntingQuery | undefined> {
    const row = await this.db
      .selectFrom('hunting_queries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toSavedHuntingQuery(row);
  }

  async findByName(name: string): Promise<SavedHuntingQuery | undefined> {
    const row = await this.db
      .selectFrom('hunting_queries')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toSavedHuntingQuery(row);
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

  async remove(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('hunting_queries').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
