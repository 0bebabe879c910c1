import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { integrationStatuses } from '../../app/integration-status.js';
import { errorResponses, integrationFilter } from '../schemas/common.js';
import { dashboardBody } from '../schemas/dashboard.js';
import { defaultPatchSort } from '../../store/index.js';

/** How many patches the dashboard lists. */
const topPatchCount = 5;

/** The dashboard: counts for its charts, the most urgent patches and every integration's connection status. */
export const dashboardRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Endpoints by risk, open findings and active alerts by severity, top patches, integrations',
        querystring: z
          .object({
            integration: integrationFilter('Integration id; all of them when absent.'),
          })
          .strict(),
        response: { 200: dashboardBody, ...errorResponses(400) },
      },
    },
    async (request) => {
      const integrationId = request.query.integration;
      const [counts, patches, integrations] = await Promise.all([
        hub.data.dashboard.counts(integrationId),
        hub.data.patches.list({ integrationId }, defaultPatchSort, { page: 1, pageSize: topPatchCount }),
        integrationStatuses(hub.integrations, hub.data.syncRuns, integrationId),
      ]);
      const topPatches = await hub.data.patches.withCloudExposure(patches.items);
      return { ...counts, topPatches, integrations };
    },
  );
  done();
};
