import type { ExportRecord, ExportValue } from '../store/index.js';

export const exportFormats = ['ndjson', 'csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** A CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: ExportValue): string {
  if (value === null) return '';
  const text = Array.isArray(value) ? value.join('; ') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 ends every record, the last one too, with CRLF. */
function csvLine(values: readonly ExportValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** CSV with a header row, record by record; `valueOf` picks a record's value for a column. */
export async function* csvText<R>(
  columns: readonly string[],
  records: AsyncIterable<R> | Iterable<R>,
  valueOf: (record: R, column: string) => ExportValue,
): AsyncGenerator<string> {
  yield csvLine(columns);
  for await (const record of records) yield csvLine(columns.map((c) => valueOf(record, c)));
}

/** One JSON array, written as it goes. */
export async function* jsonArray(
  records: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const record of records) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

async function* ndjson(records: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}

/**
 * The export as text, record by record: CSV with a header row, one JSON array written as it goes, or one JSON
 * object per line. Nothing is held but the record in hand.
 */
export function encode(
  format: ExportFormat,
  columns: readonly string[],
  records: AsyncIterable<ExportRecord>,
): AsyncGenerator<string> {
  if (format === 'csv') return csvText(columns, records, (record, column) => record[column] ?? null);
  if (format === 'json') return jsonArray(records);
  return ndjson(records);
}

/** Joins small strings into writes of about `size` characters: one write per record would be slow. */
export async function* chunked(parts: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let buffer = '';
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}
