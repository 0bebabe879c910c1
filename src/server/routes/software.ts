import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { integrationFilter, queryFlag } from '../schemas/common.js';
import { found } from '../../errors.js';
import { endpointRefBody } from '../schemas/endpoint.js';
import { softwareProductBody, softwareVulnerabilityBody } from '../schemas/software.js';
import type { SoftwareProduct } from '../../store/index.js';
import { linkedPageRoute, listRoute, lookupRoute } from './route-shapes.js';

const tags = ['software'];

const notFound = (id: string): string => `No software ${id}; list it with GET /api/v1/software.`;

/** The software inventory and the endpoints each product is installed on. */
export const softwareRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { software } = hub.data;
  const product = async (id: string, integration: string | undefined): Promise<SoftwareProduct> =>
    found(await software.get(id, integration), 'SOFTWARE_NOT_FOUND', notFound(id));

  listRoute(
    app,
    '/software',
    {
      tags,
      summary: 'The software inventory, most exposed first',
      query: {
        integration: integrationFilter(),
        search: z.string().trim().max(200).optional().describe('Part of the name or vendor.'),
        endOfSupport: queryFlag(false).describe('true: only products past or near their end of support.'),
      },
      item: softwareProductBody,
    },
    (filter, page) => software.list(filter, page),
  );

  lookupRoute(app, '/software/:id', { tags, summary: 'One product', item: softwareProductBody }, product);

  linkedPageRoute(
    app,
    '/software/:id/endpoints',
    { tags, summary: 'The endpoints a product is installed on', item: endpointRefBody },
    product,
    (integrationId, id, page) => software.links.endpoints(integrationId, id, page),
  );

  linkedPageRoute(
    app,
    '/software/:id/vulnerabilities',
    {
      tags,
      summary: "A product's CVEs, as Defender lists them, described from the CVE catalog",
      item: softwareVulnerabilityBody,
    },
    product,
    (integrationId, id, page) => software.links.vulnerabilities(integrationId, id, page),
  );

  done();
};
