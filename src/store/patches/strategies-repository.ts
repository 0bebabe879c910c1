import { Repository } from '../db/repository.js';
import { toStrategy, type Strategy } from './strategy-mapper.js';

/** Saved patch strategies. */
export class StrategiesRepository extends Repository {
  async list(): Promise<Strategy[]> {
    const rows = await this.db.selectFrom('patch_strategies').selectAll().orderBy('name').execute();
    return rows.map(toStrategy);
  }

  async find(id: number): Promise<Strategy | undefined> {
    const row = await this.db
      .selectFrom('patch_strategies')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toStrategy(row);
  }

  async findByName(name: string): Promise<Strategy | undefined> {
    const row = await this.db
      .selectFrom('patch_strategies')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toStrategy(row);
  }

  async insert(strategy: {
    name: string;
    description: string | null;
    expression: string;
    now: string;
  }): Promise<Strategy> {
    const row = await this.db
      .insertInto('patch_strategies')
      .values({
        name: strategy.name,
        description: strategy.description,
        expression: strategy.expression,
        created_at: strategy.now,
        updated_at: strategy.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStrategy(row);
  }

  async update(
    id: number,
    change: { name?: string; description?: string | null; expression?: string; now: string },
  ): Promise<Strategy | undefined> {
    const { now, ...rest } = change;
    const row = await this.db
      .updateTable('patch_strategies')
      .set({ ...rest, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toStrategy(row);
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('patch_strategies').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
