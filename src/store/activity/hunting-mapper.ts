import type { Selectable } from 'kysely';
import type { HuntingQueriesTable, HuntingResultsTable } from '../db/schema.js';
import { parseObjectArray } from '../db/list-queries.js';

/** A saved hunting query as the API and the CLI show it. */
export interface SavedHuntingQuery {
  id: number;
  name: string;
  query: string;
  timespan: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a person sets of a saved query. */
export interface HuntingQueryFields {
  readonly name: string;
  readonly query: string;
  readonly timespan: string | null;
  readonly description: string | null;
}

/** One row of a hunting answer, as the service returned it: column name to value. */
export type HuntingRecord = Readonly<Record<string, unknown>>;

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
  readonly rows: readonly HuntingRecord[];
  readonly createdAt: string;
}

/** A kept hunting result, without its rows (they are read a page at a time). */
export interface StoredHuntingResult extends Omit<NewHuntingResult, 'rows'> {
  readonly id: number;
  readonly rowCount: number;
}

export function toSavedHuntingQuery(row: Selectable<HuntingQueriesTable>): SavedHuntingQuery {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    timespan: row.timespan,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toStoredHuntingResult(row: Selectable<HuntingResultsTable>): StoredHuntingResult {
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

/** A stored row's JSON read back; anything but an object reads as an empty row. */
export function toHuntingRow(value: unknown): HuntingRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HuntingRecord) : {};
}
