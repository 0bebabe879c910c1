import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { parseObjectArray, parseStoredJson } from '../db/list-queries.js';
import { upsertChunkRows } from '../db/upsert.js';

export type HuntingRow = Readonly<Record<string, unknown>>;

export interface HuntingResultColumn {
  readonly name: string;
  readonly type: string;
}

export interface NewHuntingResult {
  readonly integrationId: string;
  readonly savedQueryId: number | null;
  readonly query: string;
  readonly timespan: string | null;
  readonly source: 'graph' | 'mde';
  readonly columns: readonly HuntingResultColumn[];
  readonly rows: readonly HuntingRow[];
  readonly createdAt: string;
}

export interface StoredHuntingResult extends Omit<NewHuntingResult, 'rows'> {
  readonly id: number;
  readonly rowCount: number;
}

export interface StoredHuntingRow {
  readonly position: number;
  readonly row: HuntingRow;
}

/** Results of hunting runs and their rows, in the service's order. */
export class HuntingResultsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Stores a result and its rows in one transaction, after deleting the results created before `pruneBefore`:
   * a reader sees a result whole or not at all, and old results never pile up.
   */
  async insert(result: NewHuntingResult, pruneBefore: string): Promise<StoredHuntingResult> {
    const texts = result.rows.map((row) => JSON.stringify(row));
    const id = await this.#db.transaction().execute(async (trx) => {
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

  /** A result created at or after `notBefore` (older ones are expired, pruned or not). */
  async find(id: number, notBefore: string): Promise<StoredHuntingResult | undefined> {
    const row = await this.#db
      .selectFrom('hunting_results')
      .selectAll()
      .where('id', '=', id)
      .where('created_at', '>=', notBefore)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      integrationId: row.integration_id,
      savedQueryId: row.saved_query_id,
      query: row.query,
      timespan: row.timespan,
      source: row.source === 'mde' ? 'mde' : 'graph',
      columns: parseObjectArray(row.columns).map((c) => ({ name: String(c.name), type: String(c.type) })),
      rowCount: row.row_count,
      createdAt: row.created_at,
    };
  }

  /**
   * Up to `limit` rows from position `from` on, in order. Positions are dense, so a page is a range of the
   * primary key: each costs the same however deep into the result it is (no OFFSET scan).
   */
  async rowsFrom(resultId: number, from: number, limit: number): Promise<StoredHuntingRow[]> {
    const rows = await this.#db
      .selectFrom('hunting_result_rows')
      .select(['position', 'data'])
      .where('result_id', '=', resultId)
      .where('position', '>=', from)
      .where('position', '<', from + limit)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({ position: r.position, row: asRow(parseStoredJson(r.data)) }));
  }
}

function asRow(value: unknown): HuntingRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HuntingRow) : {};
}
