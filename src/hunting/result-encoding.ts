import { csvText, jsonArray } from '../export/formats.js';
import type { ExportValue, HuntingResultColumn, HuntingRecord } from '../store/index.js';

export const huntingExportFormats = ['csv', 'json'] as const;
export type HuntingExportFormat = (typeof huntingExportFormats)[number];

/**
 * A cell as flat text for CSV and tables. Dynamic columns (objects, arrays) become their JSON, so a value
 * round-trips through CSV; CSV's own array joining ("a; b") would lose where one element ends.
 */
export function cellValue(value: unknown): ExportValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

export function cellText(value: unknown): string {
  const cell = cellValue(value);
  return cell === null ? '' : String(cell);
}

/**
 * The rows of a hunting result as text: CSV (RFC 4180, a header row of the column names, CRLF after every
 * record) or one JSON array of the rows as the service answered them. The CLI and the API's export share it.
 */
export function encodeHuntingRows(
  format: HuntingExportFormat,
  columns: readonly HuntingResultColumn[],
  rows: AsyncIterable<HuntingRecord> | Iterable<HuntingRecord>,
): AsyncGenerator<string> {
  if (format === 'json') return jsonArray(rows);
  return csvText(
    columns.map((c) => c.name),
    rows,
    (row, column) => cellValue(row[column]),
  );
}
