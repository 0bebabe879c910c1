import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, integrationFilter, listOf } from '../schemas/common.js';
import { trendPointBody } from '../schemas/trend.js';

/** Daily snapshots per integration, for trend charts. */
export const trendRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/trends',
    {
      schema: {
        tags: ['trends'],
        summary: 'One point per UTC day: endpoints by risk level, open findings and patches by severity',
        querystring: z
          .object({
            integration: integrationFilter('Integration id; all of them summed if absent.'),
            days: z.coerce
              .number()
              .int()
              .min(1)
              .max(366)
              .default(30)
              .describe('Days back from today (1–366).'),
          })
          .strict(),
        response: { 200: listOf(trendPointBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const since = new Date(Date.now() - (request.query.days - 1) * 86_400_000).toISOString().slice(0, 10);
      return { items: await hub.data.snapshots.trends(request.query.integration, since) };
    },
  );
  done();
};
