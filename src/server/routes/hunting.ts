import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses } from '../schemas/common.js';

const huntingResultBody = z.object({
  schema: z.array(z.object({ name: z.string(), type: z.string() })).describe('The columns, in order.'),
  results: z.array(z.record(z.string(), z.unknown())),
  source: z
    .enum(['graph', 'mde'])
    .describe('Which API answered: Graph, or the retiring MDE API as a fallback.'),
});

/** Advanced hunting: KQL through an integration. */
export const huntingRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.post(
    '/hunting/query',
    {
      schema: {
        tags: ['hunting'],
        summary: 'Run an advanced hunting query (KQL) through an integration',
        description:
          'Body: `{integration, query, timespan?}`. A query the service refuses is a 400 HUNTING_QUERY_INVALID (with its line and column) or HUNTING_RESULT_TOO_LARGE; the 45-calls-a-minute and CPU quotas give 503 HUNTING_QUOTA_EXCEEDED.',
        // Validated by the service's schema, so the CLI and the API refuse alike.
        body: z.unknown(),
        response: { 200: huntingResultBody, ...errorResponses(400, 404, 502) },
      },
    },
    async (request) => {
      const { schema, results, source } = await hub.hunting.run(request.body);
      return { schema: [...schema], results: [...results], source };
    },
  );
  done();
};
