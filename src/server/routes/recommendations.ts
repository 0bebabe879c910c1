import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  exactFilter,
  integrationFilter,
  listOf,
  optionalQueryFlag,
} from '../schemas/common.js';
import { endpointRefBody } from '../schemas/endpoint.js';
import {
  exposureScoreBody,
  exposureScoreReadingBody,
  recommendationBody,
} from '../schemas/recommendation.js';
import { found } from '../../errors.js';
import { organisationScope, type Recommendation } from '../../store/index.js';
import { endpointPageRoute, linkedPageRoute, listRoute, lookupRoute } from './route-shapes.js';

const tags = ['recommendations'];

const notFound = (id: string): string =>
  `No recommendation ${id}; list them with GET /api/v1/recommendations.`;

/** Security recommendations (the tenant's and an endpoint's) and the exposure score. */
export const recommendationRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { recommendations, exposureScores } = hub.data;
  const recommendation = async (id: string, integration: string | undefined): Promise<Recommendation> =>
    found(await recommendations.get(id, integration), 'RECOMMENDATION_NOT_FOUND', notFound(id));

  listRoute(
    app,
    '/recommendations',
    {
      tags,
      summary: 'Security recommendations, most exposure impact first',
      query: {
        integration: integrationFilter(),
        search: z.string().trim().max(200).optional().describe('Part of the name, product or vendor.'),
        remediationType: exactFilter('remediation type (Update, Upgrade, …)'),
        status: exactFilter('status (Active, Exception)'),
        category: exactFilter('category'),
        publicExploit: optionalQueryFlag().describe(
          'true: only those with a public exploit; false: only those without.',
        ),
      },
      item: recommendationBody,
    },
    (filter, page) => recommendations.list(filter, page),
  );

  lookupRoute(
    app,
    '/recommendations/:id',
    { tags, summary: 'One recommendation', item: recommendationBody },
    recommendation,
  );

  linkedPageRoute(
    app,
    '/recommendations/:id/endpoints',
    { tags, summary: 'The endpoints a recommendation is about', item: endpointRefBody },
    recommendation,
    (integrationId, id, page) => recommendations.links.endpoints(integrationId, id, page),
  );

  endpointPageRoute(
    app,
    '/endpoints/:id/recommendations',
    {
      tags: ['endpoints', ...tags],
      summary: 'The security recommendations that concern an endpoint',
      item: recommendationBody,
    },
    hub.data.endpoints,
    (key, page) => recommendations.forEndpoint(key, page),
  );

  app.get(
    '/exposure-score',
    {
      schema: {
        tags,
        summary: "Each integration's newest exposure score, of the organisation and of each device group",
        querystring: z.object({ integration: integrationFilter() }).strict(),
        response: { 200: listOf(exposureScoreBody), ...errorResponses(400) },
      },
    },
    async (request) => ({
      items: await exposureScores.latest(request.query.integration),
    }),
  );

  app.get(
    '/exposure-score/history',
    {
      schema: {
        tags,
        summary: "An integration's exposure score readings over time, oldest first",
        querystring: z
          .object({
            integration: z.string().trim().min(1).describe('Integration id.'),
            deviceGroup: z
              .string()
              .trim()
              .min(1)
              .max(200)
              .optional()
              .describe("A device group's id; the organisation's score without one."),
            days: z.coerce.number().int().min(1).max(3650).default(90).describe('How far back.'),
          })
          .strict(),
        response: { 200: listOf(exposureScoreReadingBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { integration, deviceGroup, days } = request.query;
      const since = new Date(Date.now() - days * 86_400_000).toISOString();
      return { items: await exposureScores.history(integration, deviceGroup ?? organisationScope, since) };
    },
  );

  done();
};
