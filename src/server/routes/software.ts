import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  integrationQuery,
  pageOf,
  pageQuery,
  queryFlag,
  textIdParams,
} from '../schemas/common.js';
import { found } from '../../errors.js';
import { endpointRefBody } from '../schemas/endpoint.js';
import { softwareProductBody, softwareVulnerabilityBody } from '../schemas/software.js';
import type { SoftwareProduct } from '../../store/index.js';

const tags = ['software'];

const notFound = (id: string): string => `No software ${id}; list it with GET /api/v1/software.`;

/** The software inventory and the endpoints each product is installed on. */
export const softwareRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { software } = hub.data;
  const product = async (id: string, integration: string | undefined): Promise<SoftwareProduct> =>
    found(await software.get(id, integration), 'SOFTWARE_NOT_FOUND', notFound(id));

  app.get(
    '/software',
    {
      schema: {
        tags,
        summary: 'The software inventory, most exposed first',
        querystring: pageQuery
          .extend({
            integration: z.string().trim().min(1).optional().describe('Integration id.'),
            search: z.string().trim().max(200).optional().describe('Part of the name or vendor.'),
            endOfSupport: queryFlag(false).describe('true: only products past or near their end of support.'),
          })
          .strict(),
        response: { 200: pageOf(softwareProductBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, integration, ...filter } = request.query;
      return software.list({ ...filter, integrationId: integration }, { page, pageSize });
    },
  );

  app.get(
    '/software/:id',
    {
      schema: {
        tags,
        summary: 'One product',
        params: textIdParams,
        querystring: z.object({ integration: integrationQuery }).strict(),
        response: { 200: softwareProductBody, ...errorResponses(400, 404) },
      },
    },
    (request) => product(request.params.id, request.query.integration),
  );

  app.get(
    '/software/:id/endpoints',
    {
      schema: {
        tags,
        summary: 'The endpoints a product is installed on',
        params: textIdParams,
        querystring: pageQuery.extend({ integration: integrationQuery }).strict(),
        response: {
          200: pageOf(endpointRefBody),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { integration, ...page } = request.query;
      const { integrationId, id } = await product(request.params.id, integration);
      return software.links.endpoints(integrationId, id, page);
    },
  );

  app.get(
    '/software/:id/vulnerabilities',
    {
      schema: {
        tags,
        summary: "A product's CVEs, as Defender lists them, described from the CVE catalog",
        params: textIdParams,
        querystring: pageQuery.extend({ integration: integrationQuery }).strict(),
        response: {
          200: pageOf(softwareVulnerabilityBody),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { integration, ...page } = request.query;
      const { integrationId, id } = await product(request.params.id, integration);
      return software.links.vulnerabilities(integrationId, id, page);
    },
  );

  done();
};
