import { z } from 'zod';

/** Rows in the first page a run answers, unless the caller asks for another size. */
export const DEFAULT_RESULT_PAGE_SIZE = 100;
export const MAX_RESULT_PAGE_SIZE = 1000;

const integration = z
  .string({ error: 'integration is required: an integration id or name.' })
  .trim()
  .min(1, { error: 'integration is required: an integration id or name.' })
  .max(200, { error: 'integration must be at most 200 characters.' });

const query = z
  .string({ error: 'query is required: the KQL to run.' })
  .trim()
  .min(1, { error: 'query is required: the KQL to run.' })
  .max(30_000, { error: 'query must be at most 30,000 characters.' });

const timespan = z
  .string()
  .trim()
  .min(1, { error: 'timespan must not be empty: leave it out for the service default.' })
  .max(100, { error: 'timespan must be at most 100 characters.' })
  .describe('ISO 8601: P7D, start/end, start/P1D …; the service default is the last 30 days.');

const pageSize = z
  .number()
  .int()
  .min(1, { error: 'pageSize must be from 1 to 1,000.' })
  .max(MAX_RESULT_PAGE_SIZE, { error: 'pageSize must be from 1 to 1,000.' })
  .optional()
  .describe(
    `Rows in the answer's first page (1–${MAX_RESULT_PAGE_SIZE}, default ${DEFAULT_RESULT_PAGE_SIZE}); page on with GET /api/v1/hunting/results/:id.`,
  );

const name = z
  .string({ error: 'name is required: a name to run the query by.' })
  .trim()
  .min(1, { error: 'name is required: a name to run the query by.' })
  .max(200, { error: 'name must be at most 200 characters.' });

const description = z
  .string()
  .trim()
  .max(2000, { error: 'description must be at most 2,000 characters.' })
  .nullable()
  .optional();

/** One query run, as the CLI sends it. */
export const huntingQueryInput = z.object({ integration, query, timespan: timespan.optional() }).strict();

/** One query run through the API: its result is kept, and the answer is its first page. */
export const huntingRunInput = z
  .object({ integration, query, timespan: timespan.optional(), pageSize })
  .strict();

/** A saved query run through the API: the query and timespan are the saved ones. */
export const savedQueryRunInput = z.object({ integration, pageSize }).strict();

/** A saved query, whole: creating one, or replacing one (PUT), where a field left out becomes null. */
export const savedQueryInput = z
  .object({ name, query, timespan: timespan.nullable().optional(), description })
  .strict();
