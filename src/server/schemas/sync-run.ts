import { z } from 'zod';
import { features } from '../../domain/permissions.js';
import { syncRunStatuses } from '../../domain/sync-run-status.js';

export const syncRunBody = z.object({
  id: z.number().int(),
  integrationId: z.string(),
  dataset: z.string(),
  status: z
    .enum(syncRunStatuses)
    .describe(
      'notPermitted: not run, because the app has no permission that serves the dataset (errorMessage names them); not a failure.',
    ),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  apiCalls: z.number().int(),
  pages: z.number().int(),
  recordsIn: z.number().int(),
  upserted: z.number().int(),
  skipped: z.number().int(),
  skippedReasons: z.record(z.string(), z.number()).describe('Records skipped, per reason.'),
  removed: z.number().int(),
  complete: z.boolean(),
  completeness: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  notPermitted: z
    .array(z.enum(features))
    .describe('The features not read for want of a permission (every one of the dataset when notPermitted).'),
  stages: z
    .record(z.string(), z.number())
    .describe(
      'Seconds per stage of the run, where it timed them (read: waiting for Defender\'s pages, including unpacking and parsing; write: the database writing them; then the work after the last page). Stages may overlap: reading goes on while the last page is written.',
    ),
});

/** A sync's answer: the runs it made. */
export const syncRunsBody = z.object({ runs: z.array(syncRunBody) });
