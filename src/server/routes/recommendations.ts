import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  exactFilter,
  integrationQuery,
  listOf,
  numericIdParams,
  pageOf,
  pageQuery,
  textIdParams,
} from '../schemas/common.js';
import { endpointRefBody } from '../schemas/endpoint.js';
import {
  exposureScoreBody,
  exposureScoreReadingBody,
  recommendationBody,
} from '../schemas/recommendation.js';
import { found } from '../../errors.js';
import { endpointFound, organisationScope, type Recommendation } from '../../store/index.js';

const tags = ['recommendations'];

const notFound = (id: string): string =>
  `No recommendation ${id}; list them with GET /api/v1/recommendations.`;

/** Security recommendations (the tenant's and an endpoint's) and the exposure score. */
export const recommendationRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { recommendations, exposureScores } = hub.data;
  const recommendation = async (id: string, integration: string | undefined): Promise<Recommendation> =>
    found(await recommendations.get(id, integration), 'RECOMMENDATION_NOT_FOUND', notFound(id));

  app.get(
    '/recommendations',
    {
      schema: {
        tags,
        summary: 'Security recommendations, most exposure impact first',
        querystring: pageQuery
          .extend({
            integration: z.string().trim().min(1).optional().describe('Integration id.'),
            search: z.string().trim().max(200).optional().describe('Part of the name, product or vendor.'),
            remediationType: exactFilter('remediation type (Update, Upgrade, …)'),
            status: exactFilter('status (Active, Exception)'),
            category: exactFilter('category'),
            publicExploit: z
              .enum(['true', 'false'])
              .optional()
              .transform((v) => (v === undefined ? undefined : v === 'true'))
              .describe('true: only those with a public exploit; false: only those without.'),
          })
          .strict(),
        response: { 200: pageOf(recommendationBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, integration, ...filter } = request.query;
      return recommendations.list({ ...filter, integrationId: integration }, { page, pageSize });
    },
  );

  app.get(
    '/recommendations/:id',
    {
      schema: {
        tags,
        summary: 'One recommendation',
        params: textIdParams,
        querystring: z.object({ integration: integrationQuery }).strict(),
        response: { 200: recommendationBody, ...errorResponses(400, 404) },
      },
    },
    (request) => recommendation(request.params.id, request.query.integration),
  );

  app.get(
    '/recommendations/:id/endpoints',
    {
      schema: {
        tags,
        summary: 'The endpoints a recommendation is about',
        params: textIdParams,
        querystring: pageQuery.extend({ integration: integrationQuery }).strict(),
        response: { 200: pageOf(endpointRefBody), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { integration, ...page } = request.query;
      const { integrationId, id } = await recommendation(request.params.id, integration);
      return recommendations.links.endpoints(integrationId, id, page);
    },
  );

  app.get(
    '/endpoints/:id/recommendations',
    {
      schema: {
        tags: ['endpoints', ...tags],
        summary: 'The security recommendations that concern an endpoint',
        params: numericIdParams,
        querystring: pageQuery.strict(),
        response: { 200: pageOf(recommendationBody), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const key = endpointFound(await hub.data.endpoints.key(id), id);
      return recommendations.forEndpoint(key, request.query);
    },
  );

  app.get(
    '/exposure-score',
    {
      schema: {
        tags,
        summary: "Each integration's newest exposure score, of the organisation and of each device group",
        querystring: z
          .object({ integration: z.string().trim().min(1).optional().describe('Integration id.') })
          .strict(),
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
