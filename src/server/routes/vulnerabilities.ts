import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  getVulnerability,
  listVulnerabilities,
  vulnerabilitySorts,
} from '../../store/vulnerability-queries.js';
import { errorResponses, exactFilter, pageOf, pageQuery } from '../schemas/common.js';
import { vulnerabilityDetailBody, vulnerabilitySummaryBody } from '../schemas/vulnerability.js';
import { found } from '../not-found.js';

const tags = ['vulnerabilities'];
const integration = z.string().trim().min(1).optional().describe('Integration id.');

/** The CVE catalog with how many endpoints each CVE exposes. */
export const vulnerabilityRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const db = hub.store.db;

  app.get(
    '/vulnerabilities',
    {
      schema: {
        tags,
        summary: 'List the CVE catalog with exposed endpoints',
        querystring: pageQuery
          .extend({
            severity: exactFilter('severity'),
            search: z.string().trim().max(200).optional().describe('Part of the CVE id or name.'),
            integration,
            sort: z
              .enum(vulnerabilitySorts)
              .default('-exposedEndpoints')
              .describe('A field; a leading - sorts descending.'),
          })
          .strict(),
        response: { 200: pageOf(vulnerabilitySummaryBody), ...errorResponses(400) },
      },
    },
    (request) => {
      const { page, pageSize, sort, integration: integrationId, ...filter } = request.query;
      return listVulnerabilities(db, { ...filter, integrationId }, sort, { page, pageSize });
    },
  );

  app.get(
    '/vulnerabilities/:cveId',
    {
      schema: {
        tags,
        summary: 'One CVE, with its exposure per integration',
        params: z.object({ cveId: z.string().min(1).max(100) }),
        querystring: z.object({ integration }).strict(),
        response: { 200: vulnerabilityDetailBody, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { cveId } = request.params;
      return found(
        await getVulnerability(db, cveId, request.query.integration),
        'VULNERABILITY_NOT_FOUND',
        `No vulnerability ${cveId} in the catalog.`,
      );
    },
  );

  done();
};
