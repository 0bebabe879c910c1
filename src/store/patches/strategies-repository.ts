import type { Connection } from '../db/repository.js';
import { NamedRecords } from '../db/named-records.js';
import { toStrategy, type Strategy } from './strategy-mapper.js';

/** Saved patch strategies. */
export class StrategiesRepository extends NamedRecords<'patch_strategies', Strategy> {
  constructor(connection: Connection) {
    super(connection, 'patch_strategies', toStrategy);
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
}
