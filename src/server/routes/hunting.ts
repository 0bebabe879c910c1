import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { chunked } from '../../export/formats.js';
import { savedQueryInput } from '../../hunting/hunting-input.js';
import { encodeHuntingRows } from '../../hunting/result-encoding.js';
import { errorResponses, listOf, numericIdParams } from '../schemas/common.js';
import {
  huntingExportQuery,
  huntingResultPageBody,
  huntingResultPageQuery,
  savedHuntingQueryBody,
} from '../schemas/hunting.js';
import { removeRoute } from './route-shapes.js';

const tags = ['hunting'];

const refusals =
  'A query the service refuses is a 400 HUNTING_QUERY_INVALID (with its line and column) or HUNTING_RESULT_TOO_LARGE; the 45-calls-a-minute and CPU quotas give 503 HUNTING_QUOTA_EXCEEDED.';
const kept =
  'The result is kept for 24 hours: the answer is its first page; page on with GET /api/v1/hunting/results/{resultId} and export it with /export, neither of which runs the query again.';

// Run bodies are validated by the hunting service's own schemas, so the CLI and the API refuse alike.
const runBody = z.unknown();
const runResponses = { 200: huntingResultPageBody, ...errorResponses(400, 404, 502, 503) };

/** Advanced hunting: KQL through an integration, saved queries, and the kept results of runs. */
export const huntingRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { hunting } = hub;

  app.post(
    '/hunting/query',
    {
      schema: {
        tags,
        summary: 'Run an advanced hunting query (KQL) through an integration',
        description: `Body: \`{integration, query, timespan?, pageSize?}\`. ${kept} ${refusals}`,
        body: runBody,
        response: runResponses,
      },
    },
    (request) => hunting.runAndKeep(request.body),
  );

  app.get(
    '/hunting/queries',
    {
      schema: {
        tags,
        summary: 'List the saved hunting queries, by name',
        response: { 200: listOf(savedHuntingQueryBody) },
      },
    },
    async () => ({ items: await hunting.saved.list() }),
  );

  app.post(
    '/hunting/queries',
    {
      schema: {
        tags,
        summary: 'Save a hunting query under a unique name (a name in use is a 409)',
        body: savedQueryInput,
        response: { 201: savedHuntingQueryBody, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await hunting.saved.create(request.body)),
  );

  app.get(
    '/hunting/queries/:id',
    {
      schema: {
        tags,
        summary: 'One saved hunting query',
        params: numericIdParams,
        response: { 200: savedHuntingQueryBody, ...errorResponses(400, 404) },
      },
    },
    (request) => hunting.saved.get(request.params.id),
  );

  app.put(
    '/hunting/queries/:id',
    {
      schema: {
        tags,
        summary: 'Replace a saved hunting query (timespan and description left out become null)',
        params: numericIdParams,
        body: savedQueryInput,
        response: { 200: savedHuntingQueryBody, ...errorResponses(400, 404, 409) },
      },
    },
    (request) => hunting.saved.replace(request.params.id, request.body),
  );

  removeRoute(
    app,
    '/hunting/queries/:id',
    { tags, summary: 'Remove a saved hunting query (the results of its runs stay until they expire)' },
    (id) => hunting.saved.remove(id),
  );

  app.post(
    '/hunting/queries/:id/run',
    {
      schema: {
        tags,
        summary: 'Run a saved hunting query (its KQL and timespan) through an integration',
        description: `Body: \`{integration, pageSize?}\`. ${kept} ${refusals}`,
        params: numericIdParams,
        body: runBody,
        response: runResponses,
      },
    },
    (request) => hunting.runSaved(request.params.id, request.body),
  );

  app.get(
    '/hunting/results/:id',
    {
      schema: {
        tags,
        summary: 'A page of a kept hunting result (never runs the query again)',
        params: numericIdParams,
        querystring: huntingResultPageQuery,
        response: { 200: huntingResultPageBody, ...errorResponses(400, 404) },
      },
    },
    (request) => hunting.resultPage(request.params.id, request.query),
  );

  app.get(
    '/hunting/results/:id/export',
    {
      schema: {
        tags,
        summary: 'A whole kept hunting result as CSV (RFC 4180, header row) or a JSON array of its rows',
        params: numericIdParams,
        querystring: huntingExportQuery,
        produces: ['text/csv', 'application/json'],
        response: { 200: z.string().describe('The file, streamed.'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      const { result, rows } = await hunting.resultRows(request.params.id);
      const text = Readable.from(chunked(encodeHuntingRows(format, result.columns, rows)));
      // The body is streamed from the store a page at a time; the schema above documents it as text.
      const streamed: FastifyReply = reply;
      return streamed
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="hunting-result-${result.id}.${format}"`)
        .send(text);
    },
  );

  done();
};
