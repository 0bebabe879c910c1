import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { datasetNames } from '../../domain/datasets.js';
import { errorResponses, integrationFilter, numericIdParams } from '../schemas/common.js';
import { syncRunBody } from '../schemas/sync-run.js';
import { found } from '../../errors.js';
import { syncRunStatuses } from '../../domain/sync-run-status.js';
import { listRoute } from './route-shapes.js';

const tags = ['sync-runs'];

/** The record of every sync run: what was read, stored, skipped and removed, and why a run failed. */
export const syncRunRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { syncRuns } = hub.data;

  listRoute(
    app,
    '/sync-runs',
    {
      tags,
      summary: 'List sync runs, newest first',
      query: {
        integration: integrationFilter(),
        dataset: z.enum(datasetNames).optional(),
        status: z.enum(syncRunStatuses).optional(),
      },
      item: syncRunBody,
    },
    (filter, page) => syncRuns.list(filter, page),
  );

  app.get(
    '/sync-runs/:id',
    {
      schema: {
        tags,
        summary: 'One sync run',
        params: numericIdParams,
        response: { 200: syncRunBody, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      found(
        await syncRuns.get(request.params.id),
        'SYNC_RUN_NOT_FOUND',
        `No sync run with id ${request.params.id}.`,
      ),
  );

  done();
};
