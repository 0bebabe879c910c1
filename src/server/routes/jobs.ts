import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { datasetNames } from '../../domain/datasets.js';
import { syncJobStates } from '../../jobs/sync-job.js';
import { jobsWithWorkers } from '../../jobs/job-workers.js';
import { HubError } from '../../errors.js';
import { integrationFilter } from '../schemas/common.js';
import { syncJobBody } from '../schemas/sync-job.js';
import { listRoute } from './route-shapes.js';

const tags = ['jobs'];

/** The sync jobs the workers share (PostgreSQL): queued, running, retrying, failed and dead-lettered. */
export const jobRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  listRoute(
    app,
    '/jobs',
    {
      tags,
      summary: 'List sync jobs, newest first (PostgreSQL)',
      query: {
        integration: integrationFilter(),
        dataset: z.enum(datasetNames).optional(),
        state: z.enum(syncJobStates).optional(),
      },
      item: syncJobBody,
    },
    async (filter, page) => {
      if (hub.jobs === undefined)
        throw new HubError(
          'JOBS_NEED_POSTGRES',
          'Sync jobs exist with PostgreSQL only (DATABASE_URL=postgres://…); with SQLite the server runs syncs itself: see /api/v1/sync-runs.',
          { httpStatus: 404 },
        );
      return jobsWithWorkers(await hub.jobs.list(filter, page), hub.data.syncRuns);
    },
  );
  done();
};
