import type { Kysely, Selectable } from 'kysely';
import type { Database, PatchStrategiesTable } from '../db/schema.js';

export type StrategyRow = Selectable<PatchStrategiesTable>;

/** Saved patch strategies. */
export class StrategiesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  list(): Promise<StrategyRow[]> {
    return this.#db.selectFrom('patch_strategies').selectAll().orderBy('name').execute();
  }

  find(id: number): Promise<StrategyRow | undefined> {
    return this.#db.selectFrom('patch_strategies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<StrategyRow | undefined> {
    return this.#db.selectFrom('patch_strategies').selectAll().where('name', '=', name).executeTakeFirst();
  }

  insert(row: {
    name: string;
    description: string | null;
    expression: string;
    now: string;
  }): Promise<StrategyRow> {
    return this.#db
      .insertInto('patch_strategies')
      .values({
        name: row.name,
        description: row.description,
        expression: row.expression,
        created_at: row.now,
        updated_at: row.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  update(
    id: number,
    change: { name?: string; description?: string | null; expression?: string; now: string },
  ): Promise<StrategyRow | undefined> {
    const { now, ...rest } = change;
    return this.#db
      .updateTable('patch_strategies')
      .set({ ...rest, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.#db.deleteFrom('patch_strategies').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
