import { Repository } from '../db/repository.js';
import { parseStoredJson } from '../db/list-queries.js';
import { upsertChunkRows } from '../db/upsert.js';
import {
  toHuntingRow,
  toStoredHuntingResult,
  type HuntingRecord,
  type NewHuntingResult,
  type StoredHuntingResult,
} from './hunting-mapper.js';

export interface StoredHuntingRow {
  readonly position: number;
  readonly row: HuntingRecord;
}

/** Results of hunting runs and their rows, in the service's order. */
export class HuntingResultsRepository extends Repository {
  /**
   * Stores a result and its rows in one transaction, after deleting the results created before `pruneBefore`:
   * a reader sees a result whole or not at all, and old results never pile up.
   */
  async insert(result: NewHuntingResult, pruneBefore: string): Promise<StoredHuntingResult> {
    const texts = result.rows.map((row) => JSON.stringify(row));
    const id = await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('hunting_result_rows')
        .where(
          'result_id',
          'in',
          trx.selectFrom('hunting_results').select('id').where('created_at', '<', pruneBefore),
        )
        .execute();
      await trx.deleteFrom('hunting_results').where('created_at', '<', pruneBefore).execute();
      const inserted = await trx
        .insertInto('hunting_results')
        .values({
          integration_id: result.integrationId,
          saved_query_id: result.savedQueryId,
          query: result.query,
          timespan: result.timespan,
          source: result.source,
          columns: JSON.stringify(result.columns),
          row_count: texts.length,
          created_at: result.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let at = 0; at < texts.length; at += upsertChunkRows) {
        const chunk = texts.slice(at, at + upsertChunkRows);
        await trx
          .insertInto('hunting_result_rows')
          .values(chunk.map((data, i) => ({ result_id: inserted.id, position: at + i, data })))
          .execute();
      }
      return inserted.id;
    });
    const { rows: _rows, ...rest } = result;
    return { ...rest, id, rowCount: texts.length };
  }

  /** Deletes up to `limit` results created before `cutoff`, with their rows; answers how many went. */
  async pruneBefore(cutoff: string, limit: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ids = (
        await trx
          .selectFrom('hunting_results')
          .select('id')
          .where('created_at', '<', cutoff)
          .limit(limit)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      await trx.deleteFrom('hunting_result_rows').where('result_id', 'in', ids).execute();
      await trx.deleteFrom('hunting_results').where('id', 'in', ids).execute();
      return ids.length;
    });
  }

  /** A result created at or after `notBefore` (older ones are expired, pruned or not). */
  async find(id: number, notBefore: string): Promise<StoredHuntingResult | undefined> {
    const row = await this.db
      .selectFrom('hunting_results')
      .selectAll()
      .where('id', '=', id)
      .where('created_at', '>=', notBefore)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredHuntingResult(row);
  }

  /**
   * Up to `limit` rows from position `from` on, in order. Positions are dense, so a page is a range of the
   * primary key: each costs the same however deep into the result it is (no OFFSET scan).
   */
  async rowsFrom(resultId: number, from: number, limit: number): Promise<StoredHuntingRow[]> {
    const rows = await this.db
      .selectFrom('hunting_result_rows')
      .select(['position', 'data'])
      .where('result_id', '=', resultId)
      .where('position', '>=', from)
      .where('position', '<', from + limit)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({ position: r.position, row: toHuntingRow(parseStoredJson(r.data)) }));
  }
}
