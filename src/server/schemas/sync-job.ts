import { z } from 'zod';
import { datasetNames } from '../../domain/datasets.js';
import { syncJobStates } from '../../jobs/sync-job.js';
import { syncRunBody } from './sync-run.js';

export const syncJobBody = z.object({
  id: z.string(),
  integrationId: z.string(),
  dataset: z.enum(datasetNames),
  full: z.boolean(),
  force: z.boolean(),
  state: z
    .enum(syncJobStates)
    .describe(
      'queued: waiting (see runAfter); active: a worker runs it; retrying: failed, to run again after its back-off; deadLettered: failed every attempt.',
    ),
  attempts: z.number().int().describe('Attempts started so far.'),
  createdAt: z.string(),
  runAfter: z.string().describe('Not before this time: now, or a retry after its back-off.'),
  startedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable().describe("The worker's last sign of life (active jobs)."),
  finishedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  worker: z.string().nullable().describe('The process (host:pid) running it, for an active job.'),
});

/** A sync's answer: the runs it made, or with PostgreSQL the jobs the workers will run. */
export const syncAnswerBody = z.object({
  runs: z.array(syncRunBody),
  jobs: z
    .array(syncJobBody)
    .optional()
    .describe("PostgreSQL: the integration's jobs waiting or running after this request (202)."),
});
