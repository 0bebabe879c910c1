import type { ExportRecord, ExportValue } from './sources.js';

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

/**
 * The export as text, record by record: CSV with a header row, one JSON array written as it goes, or one JSON
 * object per line. Nothing is held but the record in hand.
 */
export async function* encode(
  format: ExportFormat,
  columns: readonly string[],
  records: AsyncIterable<ExportRecord>,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(columns);
  if (format === 'json') yield '[';
  let first = true;
  for await (const record of records) {
    if (format === 'csv') yield csvLine(columns.map((c) => record[c] ?? null));
    else if (format === 'ndjson') yield `${JSON.stringify(record)}\n`;
    else yield `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  if (format === 'json') yield first ? ']\n' : '\n]\n';
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
