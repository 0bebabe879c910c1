import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A value of an exported record: what CSV, NDJSON and JSON all carry. */
export type ExportValue = string | number | boolean | null | readonly string[];
/** One exported record, its keys the columns. */
export type ExportRecord = Readonly<Record<string, ExportValue>>;

export interface ExportFilter {
  readonly integrationId?: string | undefined;
}

export interface ExportSource {
  /** The record keys, in column order (the CSV header). */
  readonly columns: readonly string[];
  records(db: Kysely<Database>, filter: ExportFilter, pageSize?: number): AsyncIterable<ExportRecord>;
}
