import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  integrationFilter,
  levelListFilter,
  listOf,
  pageOf,
  pageQuery,
} from '../schemas/common.js';
import {
  cloudAssessmentBody,
  cloudAssessmentStatuses,
  cloudFindingBody,
  cloudResourceBody,
  cloudSecureScoreBody,
  cloudSubscriptionBody,
} from '../schemas/cloud.js';
import { riskLevels } from '../../domain/levels.js';
import { cloudResourceSorts } from '../../store/index.js';
import { listRoute } from './route-shapes.js';

const tags = ['cloud'];

const cloudIntegration = integrationFilter('Integration id (product cloud).');
const subscriptionFilter = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .optional()
  .describe('Azure subscription id (any case).');
const severityFilter = z
  .enum(['High', 'Medium', 'Low'])
  .optional()
  .describe("Defender for Cloud's severity: High, Medium or Low.");
const statusFilter = z
  .enum(cloudAssessmentStatuses)
  .optional()
  .describe('healthy, unhealthy or notApplicable.');
const resourceFilter = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .optional()
  .describe('One Azure resource id, as /cloud/resources lists it (any case).');
const resourceTypeFilter = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .optional()
  .describe('ARM resource type, e.g. Microsoft.Compute/virtualMachines (any case).');

const cveFilter = z
  .string()
  .trim()
  .regex(/^CVE-\d{4}-\d{4,}$/i, { error: 'cve must look like CVE-2024-12345.' })
  .optional();

const day = 86_400_000;

/** Defender for Cloud posture read by cloud integrations: subscriptions, secure scores, assessments, findings. */
export const cloudRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { cloud } = hub.data;

  listRoute(
    app,
    '/cloud/subscriptions',
    {
      tags,
      summary: 'Azure subscriptions the cloud integrations read, with how the last read went',
      query: { integration: cloudIntegration, subscription: subscriptionFilter },
      item: cloudSubscriptionBody,
    },
    (filter, page) => cloud.subscriptions(filter, page),
  );

  app.get(
    '/cloud/secure-scores',
    {
      schema: {
        tags,
        summary: 'The current secure score of each subscription, with its daily history',
        querystring: z
          .object({
            integration: cloudIntegration,
            subscription: subscriptionFilter,
            days: z.coerce
              .number()
              .int()
              .min(1)
              .max(3650)
              .default(30)
              .describe('Days of history, today included.'),
          })
          .strict(),
        response: { 200: listOf(cloudSecureScoreBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { integration, subscription, days } = request.query;
      const scope = { integrationId: integration, subscription };
      const since = new Date(Date.now() - (days - 1) * day).toISOString().slice(0, 10);
      return { items: await cloud.secureScores(scope, since) };
    },
  );

  listRoute(
    app,
    '/cloud/assessments',
    {
      tags,
      summary: 'Security assessments of the Azure resources',
      query: {
        integration: cloudIntegration,
        subscription: subscriptionFilter,
        status: statusFilter,
        severity: severityFilter,
        resourceType: resourceTypeFilter,
        resource: resourceFilter,
      },
      item: cloudAssessmentBody,
    },
    (filter, page) => cloud.assessments(filter, page),
  );

  listRoute(
    app,
    '/cloud/findings',
    {
      tags,
      summary: 'Findings of the assessments (sub-assessments): vulnerabilities and failed checks',
      query: {
        integration: cloudIntegration,
        subscription: subscriptionFilter,
        status: statusFilter.describe('healthy, unhealthy (open) or notApplicable.'),
        severity: severityFilter,
        cve: cveFilter.describe('Only findings naming this CVE.'),
        resourceType: resourceTypeFilter.describe(
          'ARM resource type, or the assessed type (ServerVulnerability, …), any case.',
        ),
        resource: resourceFilter.describe(
          'One Azure resource id (any case): the findings of its assessments and those naming it.',
        ),
      },
      item: cloudFindingBody,
    },
    (filter, page) => cloud.findings(filter, page),
  );

  app.get(
    '/cloud/resources',
    {
      schema: {
        tags,
        summary: 'Azure resources the assessments name, with their risk level, the riskiest first',
        querystring: pageQuery
          .extend({
            integration: cloudIntegration,
            subscription: subscriptionFilter,
            resourceType: resourceTypeFilter,
            riskLevel: levelListFilter('riskLevel', riskLevels),
            search: z.string().trim().max(500).optional().describe('Part of the resource id, any case.'),
            cve: cveFilter.describe('Only resources with an open finding naming this CVE.'),
            sort: z
              .enum(cloudResourceSorts)
              .default('-riskLevel')
              .describe('A field; a leading - sorts descending. Ties: most unhealthy High first.'),
          })
          .strict(),
        response: { 200: pageOf(cloudResourceBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, integration, riskLevel, sort, ...filter } = request.query;
      return cloud.resources({ ...filter, riskLevels: riskLevel, integrationId: integration }, sort, {
        page,
        pageSize,
      });
    },
  );

  done();
};
