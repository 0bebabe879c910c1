import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  exactFilter,
  integrationFilter,
  optionalQueryFlag,
  pageOf,
  pageQuery,
  pageWithDevicesNotImported,
} from '../schemas/common.js';
import {
  cveCloudResourceBody,
  vulnerabilityDetailBody,
  vulnerabilitySummaryBody,
} from '../schemas/vulnerability.js';
import { found } from '../../errors.js';
import { vulnerabilitySorts } from '../../store/index.js';

const tags = ['vulnerabilities'];
const integration = integrationFilter();
/** `:cveId` of the routes about one CVE. */
const cveParams = z.object({ cveId: z.string().min(1).max(100) });

/** The CVE catalog with how many devices each CVE exposes, and how many of those are not endpoints. */
export const vulnerabilityRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { vulnerabilities: store, findingDevices } = hub.data;

  app.get(
    '/vulnerabilities',
    {
      schema: {
        tags,
        summary:
          'List the CVE catalog (and the CVEs cloud findings name) with exposed endpoints and cloud resources',
        querystring: pageQuery
          .extend({
            severity: exactFilter('severity'),
            search: z.string().trim().max(200).optional().describe('Part of the CVE id or name.'),
            networkAccessible: optionalQueryFlag().describe(
              "true: CVEs whose CVSS vector's attack vector is Network (AV:N); false: those with another one. A CVE without a known attack vector matches neither.",
            ),
            integration,
            sort: z
              .enum(vulnerabilitySorts)
              .default('-exposedEndpoints')
              .describe('A field; a leading - sorts descending.'),
          })
          .strict(),
        response: { 200: pageWithDevicesNotImported(vulnerabilitySummaryBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, sort, integration: integrationId, ...filter } = request.query;
      const [vulnerabilities, devicesNotImported] = await Promise.all([
        store.list({ ...filter, integrationId }, sort, { page, pageSize }),
        findingDevices.count(integrationId),
      ]);
      return { ...vulnerabilities, devicesNotImported };
    },
  );

  app.get(
    '/vulnerabilities/:cveId',
    {
      schema: {
        tags,
        summary: 'One CVE, with its exposure per integration',
        params: cveParams,
        querystring: z.object({ integration }).strict(),
        response: { 200: vulnerabilityDetailBody, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { cveId } = request.params;
      return found(
        await store.get(cveId, request.query.integration),
        'VULNERABILITY_NOT_FOUND',
        `No vulnerability ${cveId} in the catalog.`,
      );
    },
  );

  app.get(
    '/vulnerabilities/:cveId/cloud-resources',
    {
      schema: {
        tags,
        summary: 'The cloud resources with an unhealthy finding naming this CVE, the most severe first',
        params: cveParams,
        querystring: pageQuery.extend({ integration }).strict(),
        response: { 200: pageOf(cveCloudResourceBody), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { cveId } = request.params;
      const { page, pageSize, integration: integrationId } = request.query;
      const known = await store.list({ cveId, integrationId }, 'cveId', {
        page: 1,
        pageSize: 1,
      });
      found(known.items[0], 'VULNERABILITY_NOT_FOUND', `No vulnerability ${cveId} in the catalog.`);
      return store.cloudResources(cveId, integrationId, { page, pageSize });
    },
  );

  done();
};
