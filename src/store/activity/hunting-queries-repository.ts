import type { Kysely, Selectable } from 'kysely';
import type { Database, HuntingQueriesTable } from '../db/schema.js';

export type HuntingQueryRow = Selectable<HuntingQueriesTable>;

export interface HuntingQueryFields {
  readonly name: string;
  readonly query: string;
  readonly timespan: string | null;
  readonly description: string | null;
}

/** Saved advanced hunting queries. */
export class HuntingQueriesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  list(): Promise<HuntingQueryRow[]> {
    return this.#db.selectFrom('hunting_queries').selectAll().orderBy('name').execute();
  }

  find(id: number): Promise<HuntingQueryRow | undefined> {
    return this.#db.selectFrom('hunting_queries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<HuntingQueryRow | undefined> {
    return this.#db.selectFrom('hunting_queries').selectAll().where('name', '=', name).executeTakeFirst();
  }

  insert(fields: HuntingQueryFields, now: string): Promise<HuntingQueryRow> {
    return this.#db
      .insertInto('hunting_queries')
      .values({ ...fields, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Replaces every field (a PUT); undefined when there is no such query. */
  replace(id: number, fields: HuntingQueryFields, now: string): Promise<HuntingQueryRow | undefined> {
    return this.#db
      .updateTable('hunting_queries')
      .set({ ...fields, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.#db.deleteFrom('hunting_queries').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
