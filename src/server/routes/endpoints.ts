import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  exactFilter,
  integrationFilter,
  levelListFilter,
  numericIdParams,
  optionalQueryFlag,
  pageOf,
  pageQuery,
  pageWithDevicesNotImported,
  queryFlag,
} from '../schemas/common.js';
import { endpointDetailBody, endpointSummaryBody, findingBody, softwareBody } from '../schemas/endpoint.js';
import { alertSummaryBody } from '../schemas/activity.js';
import { riskLevels } from '../../domain/levels.js';
import { isolationStateNames, type IsolationState } from '../../domain/isolation.js';
import { endpointTableColumns, endpointTableRecord } from '../../export/endpoint-table.js';
import { exportBody, exportFormatQuery, exportProduces, sendExport } from '../export-reply.js';
import {
  type EndpointCursor,
  type EndpointFilter,
  endpointFound,
  endpointSorts,
  findingStatuses,
  keysetRows,
  mapped,
} from '../../store/index.js';
import { entraFilterValues } from '../../domain/entra-join.js';
import { endpointPageRoute } from './route-shapes.js';

const tags = ['endpoints'];

/** The list's filter and sort, shared by the list and its export. */
const endpointFilterQuery = z.object({
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Part of the DNS name, machine id or an IP address.'),
  os: exactFilter('OS platform'),
  health: exactFilter('health status'),
  risk: exactFilter("Defender's risk score"),
  riskLevel: levelListFilter('riskLevel', riskLevels).describe(
    `The hub's risk levels to keep, comma-separated: ${riskLevels.join(', ')}.`,
  ),
  exposure: exactFilter('exposure level'),
  integration: integrationFilter(),
  profile: z.string().trim().min(1).max(200).optional().describe('A profile name (any case).'),
  stale: queryFlag(false).describe('true: only endpoints Defender no longer lists; false: only active ones.'),
  isolation: levelListFilter('isolation', isolationStateNames).describe(
    `The isolation states to keep, comma-separated: ${isolationStateNames.join(', ')}. The state is each ` +
      "item's `isolation.state`: the latest isolate or release action of the machine that is pending or " +
      'succeeded decides (pending while it runs); failed, cancelled and timed-out ones change nothing; a ' +
      'machine without one is notIsolated. Applied before paging, so `total` counts the matches.',
  ),
  entra: levelListFilter('entra', entraFilterValues).describe(
    `The Entra ID join of the endpoint's device, comma-separated (any of them): ${entraFilterValues.join(', ')}. ` +
      "none: no synced Entra device has the endpoint's aadDeviceId. Applied before paging.",
  ),
  sort: z.enum(endpointSorts).default('name').describe('A field; a leading - sorts descending.'),
});

const endpointListQuery = pageQuery.extend(endpointFilterQuery.shape).strict();

const endpointExportQuery = endpointFilterQuery.extend({ format: exportFormatQuery('csv') }).strict();

/** The store's filter of the query's members. */
function endpointFilter({
  integration,
  ...filter
}: Omit<z.output<typeof endpointFilterQuery>, 'sort'>): EndpointFilter {
  return { ...filter, integrationId: integration };
}

const notIsolated: IsolationState = { state: 'notIsolated', since: null, actionId: null };

/** Each endpoint with its isolation state, read for the whole page at once per integration. */
async function withIsolation<E extends { integrationId: string; machineId: string }>(
  hub: Hub,
  endpoints: readonly E[],
): Promise<(E & { isolation: IsolationState })[]> {
  const states = new Map<string, IsolationState>();
  for (const integrationId of new Set(endpoints.map((e) => e.integrationId))) {
    const machines = endpoints.filter((e) => e.integrationId === integrationId).map((e) => e.machineId);
    for (const [machineId, state] of await hub.actions.isolation(integrationId, machines))
      states.set(`${integrationId}\n${machineId}`, state);
  }
  return endpoints.map((e) => ({
    ...e,
    isolation: states.get(`${e.integrationId}\n${e.machineId}`) ?? notIsolated,
  }));
}

/** Endpoints: the list, one endpoint's summary, and its vulnerabilities, software and alerts. */
export const endpointRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { endpoints: store, alerts, findingDevices } = hub.data;

  app.get(
    '/endpoints',
    {
      schema: {
        tags,
        summary: 'List endpoints',
        querystring: endpointListQuery,
        response: { 200: pageWithDevicesNotImported(endpointSummaryBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      const [endpoints, devicesNotImported] = await Promise.all([
        store.list(endpointFilter(filter), sort, { page, pageSize }),
        findingDevices.count(filter.integration),
      ]);
      return { ...endpoints, items: await withIsolation(hub, endpoints.items), devicesNotImported };
    },
  );

  // A static path: Fastify's router tries it before the `:id` routes, whatever the order they are added in.
  app.get(
    '/endpoints/export',
    {
      schema: {
        tags,
        summary:
          "The endpoint list as a file, with the list's filters and sort: CSV, NDJSON or JSON, streamed",
        description:
          "The table's columns (isolation is the state's name); every matching endpoint, in the list's order, " +
          'read a page at a time by keyset.',
        querystring: endpointExportQuery,
        produces: exportProduces,
        response: { 200: exportBody, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, sort, ...filter } = request.query;
      const rows = keysetRows(
        async (after: EndpointCursor | undefined, limit) =>
          withIsolation(hub, await store.listAfter(endpointFilter(filter), sort, after, limit)),
        (row) => row.cursor,
        // Each page sorts the matching rows again (no index gives the nulls-last orders): large pages, few sorts.
        2000,
      );
      return sendExport(
        reply,
        { name: 'endpoints', format, columns: endpointTableColumns },
        mapped(rows, endpointTableRecord),
      );
    },
  );

  app.get(
    '/endpoints/:id',
    {
      schema: {
        tags,
        summary: 'One endpoint, with its open vulnerability findings by severity and its alert count',
        params: numericIdParams,
        response: { 200: endpointDetailBody, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const endpoint = endpointFound(await store.get(request.params.id), request.params.id);
      const [withState] = await withIsolation(hub, [endpoint]);
      return withState ?? { ...endpoint, isolation: notIsolated };
    },
  );

  app.get(
    '/endpoints/:id/vulnerabilities',
    {
      schema: {
        tags,
        summary: "An endpoint's vulnerability findings (rows with a CVE)",
        params: numericIdParams,
        querystring: pageQuery
          .extend({
            status: z.enum(findingStatuses).default('open'),
            networkAccessible: optionalQueryFlag().describe(
              "true: findings whose CVE is reachable over the network (the catalog's CVSS vector says AV:N); false: another attack vector. A CVE without a known one matches neither.",
            ),
          })
          .strict(),
        response: { 200: pageOf(findingBody), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { status, networkAccessible, ...page } = request.query;
      const key = endpointFound(await store.key(id), id);
      return store.findings(key, { status, networkAccessible }, page);
    },
  );

  endpointPageRoute(
    app,
    '/endpoints/:id/software',
    {
      tags,
      summary: "An endpoint's installed software: one item per open software version, with or without CVEs",
      item: softwareBody,
    },
    store,
    (key, page) => store.software(key, page),
  );

  endpointPageRoute(
    app,
    '/endpoints/:id/alerts',
    { tags, summary: 'The alerts that name an endpoint', item: alertSummaryBody },
    store,
    (key, page) => alerts.list({ endpoint: key }, page),
  );

  done();
};
