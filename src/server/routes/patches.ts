import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { exploitabilityLevels, severityLevels } from '../../domain/levels.js';
import {
  errorResponses,
  integrationFilter,
  levelListFilter,
  optionalQueryFlag,
  pageQuery,
  pageWithDevicesNotImported,
} from '../schemas/common.js';
import { patchListItemBody } from '../schemas/patch.js';
import { defaultPatchSort, patchSorts } from '../../store/index.js';

const tags = ['patches'];

const patchListQuery = pageQuery
  .extend({
    integration: integrationFilter(),
    severity: levelListFilter('severity', severityLevels).describe(
      'Defender.SeverityLevel, any of (comma-separated).',
    ),
    exploitability: levelListFilter('exploitability', exploitabilityLevels).describe(
      'Defender.ExploitabilityLevel, any of (comma-separated).',
    ),
    knownExploit: optionalQueryFlag().describe('Defender.KnownExploitExists.'),
    updateAvailable: optionalQueryFlag().describe('Defender.SecurityUpdateAvailable.'),
    networkAccessible: optionalQueryFlag().describe(
      'Defender.NetworkAccessible: a CVE it fixes is reachable over the network (CVSS attack vector AV:N).',
    ),
    minCvss: z.coerce.number().min(0).max(10).optional().describe('At least this CVSS score among its CVEs.'),
    search: z.string().trim().max(200).optional().describe('Part of the vendor, software or update name.'),
    sort: z.enum(patchSorts).default(defaultPatchSort).describe('A field; a leading - sorts descending.'),
  })
  .strict();

/** Patches: distinct fixing updates with their Defender.* metadata, recounted after each findings run. */
export const patchRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/patches',
    {
      schema: {
        tags,
        summary: 'List patches, filtered and sorted on their Defender.* metadata',
        querystring: patchListQuery,
        response: { 200: pageWithDevicesNotImported(patchListItemBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, sort, integration, ...filter } = request.query;
      const { patches: store, findingDevices } = hub.data;
      const [patches, devicesNotImported] = await Promise.all([
        store.list({ ...filter, integrationId: integration }, sort, { page, pageSize }),
        findingDevices.count(integration),
      ]);
      return { ...patches, items: await store.withCloudExposure(patches.items), devicesNotImported };
    },
  );
  done();
};
