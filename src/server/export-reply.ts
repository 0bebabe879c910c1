import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { chunked, encode, exportFormats, type ExportFormat } from '../export/formats.js';
import type { ExportRecord } from '../store/index.js';

const contentTypes: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  json: 'application/json',
};

/** `?format=` of an export route. */
export function exportFormatQuery(fallback: ExportFormat) {
  return z
    .enum(exportFormats)
    .default(fallback)
    .describe(`${exportFormats.join(', ')} (${fallback} by default).`);
}

/** What an export route's OpenAPI description says of its answer. */
export const exportProduces = Object.values(contentTypes);
export const exportBody = z.string().describe('The file, streamed.');

/**
 * Answers with a file download, streamed: the records encoded as they come (src/export's CSV, JSON or NDJSON)
 * and written in chunks, so nothing is held but the page of rows being read.
 */
export function sendExport(
  reply: FastifyReply,
  file: { name: string; format: ExportFormat; columns: readonly string[] },
  records: AsyncIterable<ExportRecord>,
): FastifyReply {
  return reply
    .type(`${contentTypes[file.format]}; charset=utf-8`)
    .header('content-disposition', `attachment; filename="${file.name}.${file.format}"`)
    .send(Readable.from(chunked(encode(file.format, file.columns, records))));
}
