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
import {
  endpointFound,
  type ExposureScoreRow,
  flag,
  organisationScope,
  parseStoredJson,
  type RecommendationRow,
} from '../../store/index.js';

const tags = ['recommendations'];

function toBody(row: RecommendationRow): z.output<typeof recommendationBody> {
  return {
    id: row.recommendation_id,
    integrationId: row.integration_id,
    name: row.name,
    productName: row.product_name,
    vendor: row.vendor,
    category: row.category,
    remediationType: row.remediation_type,
    status: row.status,
    recommendedVersion: row.recommended_version,
    severityScore: row.severity_score,
    weaknesses: row.weaknesses,
    publicExploit: flag(row.public_exploit),
    activeAlert: flag(row.active_alert),
    exposureImpact: row.exposure_impact,
    configScoreImpact: row.config_score_impact,
    totalMachines: row.total_machines,
    exposedMachines: row.exposed_machines,
    exposedCriticalDevices: row.exposed_critical_devices,
    updatedAt: row.updated_at,
    defender: parseStoredJson(row.raw),
  };
}

/** The newest readings, grouped per integration: its organisation score and its device groups' by name. */
function exposureScoreBodies(rows: readonly ExposureScoreRow[]): z.output<typeof exposureScoreBody>[] {
  const bodies = new Map<string, z.output<typeof exposureScoreBody>>();
  for (const row of rows) {
    let body = bodies.get(row.integration_id);
    if (body === undefined) {
      body = { integrationId: row.integration_id, organisation: null, deviceGroups: [] };
      bodies.set(row.integration_id, body);
    }
    const reading = { score: row.score, time: row.time_raw };
    if (row.scope === organisationScope) body.organisation = reading;
    else body.deviceGroups.push({ ...reading, rbacGroupId: row.scope, rbacGroupName: row.rbac_group_name });
  }
  for (const body of bodies.values())
    body.deviceGroups.sort((a, b) => (a.rbacGroupName ?? '').localeCompare(b.rbacGroupName ?? ''));
  return [...bodies.values()];
}

const notFound = (id: string): string =>
  `No recommendation ${id}; list them with GET /api/v1/recommendations.`;

/** Security recommendations (the tenant's and an endpoint's) and the exposure score. */
export const recommendationRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { recommendations, exposureScores } = hub.data;
  const recommendation = async (id: string, integration: string | undefined): Promise<RecommendationRow> =>
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
      const rows = await recommendations.list({ ...filter, integrationId: integration }, { page, pageSize });
      return { ...rows, items: rows.items.map(toBody) };
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
    async (request) => toBody(await recommendation(request.params.id, request.query.integration)),
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
      const row = await recommendation(request.params.id, integration);
      return recommendations.links.endpoints(row.integration_id, row.recommendation_id, page);
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
      const rows = await recommendations.forEndpoint(key, request.query);
      return { ...rows, items: rows.items.map(toBody) };
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
      items: exposureScoreBodies(await exposureScores.latest(request.query.integration)),
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
      const rows = await exposureScores.history(integration, deviceGroup ?? organisationScope, since);
      return { items: rows.map((r) => ({ score: r.score, time: r.time_raw })) };
    },
  );

  done();
};
