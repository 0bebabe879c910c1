import { z } from 'zod';
import { DEFAULT_RESULT_PAGE_SIZE, MAX_RESULT_PAGE_SIZE } from '../../hunting/hunting-input.js';
import { huntingExportFormats } from '../../hunting/result-encoding.js';
import { pageOf, pageQuery } from './common.js';

export const savedHuntingQueryBody = z.object({
  id: z.number().int(),
  name: z.string(),
  query: z.string().describe('The KQL.'),
  timespan: z.string().nullable().describe('ISO 8601; null for the service default (the last 30 days).'),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const huntingResultPageBody = pageOf(
  z.record(z.string(), z.unknown()).describe('A row: column name to value, as the service answered it.'),
).extend({
  resultId: z.number().int().describe('Page on with GET /api/v1/hunting/results/{resultId}.'),
  integrationId: z.string(),
  savedQueryId: z.number().int().nullable().describe('The saved query that ran, if one did.'),
  query: z.string(),
  timespan: z.string().nullable(),
  source: z
    .enum(['graph', 'mde'])
    .describe('Which API answered: Graph, or the retiring MDE API as a fallback.'),
  schema: z.array(z.object({ name: z.string(), type: z.string() })).describe('The columns, in order.'),
  createdAt: z.string(),
  expiresAt: z.string().describe('24 hours after the run: the result is deleted after that.'),
});

export const huntingResultPageQuery = pageQuery
  .extend({
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_RESULT_PAGE_SIZE)
      .default(DEFAULT_RESULT_PAGE_SIZE)
      .describe(`Rows per page (1–${MAX_RESULT_PAGE_SIZE}).`),
  })
  .strict();

export const huntingExportQuery = z
  .object({
    format: z
      .enum(huntingExportFormats)
      .default('csv')
      .describe('csv: RFC 4180 with a header row; json: one array of the rows.'),
  })
  .strict();
