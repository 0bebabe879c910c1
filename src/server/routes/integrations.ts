import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { createIntegrationSchema, updateIntegrationSchema } from '../../integrations/integration-schema.js';
import { testIntegrationSettings, testSavedIntegration } from '../../integrations/connection-test.js';
import { errorResponses, listOf, pageOf, pageQuery, textIdParams } from '../schemas/common.js';
import {
  connectionTestBody,
  integrationBody,
  integrationStatusBody,
  syncRequestBody,
} from '../schemas/integration.js';
import { integrationStatuses } from '../../app/integration-status.js';
import { integrationNotFound } from '../../integrations/integration-errors.js';
import { syncAnswerBody } from '../schemas/sync-job.js';
import { queueSyncRequest } from '../../jobs/queue-datasets.js';
import { slicePage } from '../../store/index.js';

const tags = ['integrations'];

/** Integrations: CRUD, enable/disable, test connection and run a sync now. */
export const integrationRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const integrations = hub.integrations;

  app.get(
    '/integrations',
    {
      schema: {
        tags,
        summary: 'List integrations',
        querystring: pageQuery.strict(),
        response: { 200: pageOf(integrationBody), ...errorResponses(400) },
      },
    },
    async (request) => slicePage(await integrations.list(), request.query),
  );

  app.post(
    '/integrations',
    {
      schema: {
        tags,
        summary: 'Create an integration',
        body: createIntegrationSchema,
        response: { 201: integrationBody, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await integrations.create(request.body)),
  );

  app.post(
    '/integrations/test',
    {
      schema: {
        tags,
        summary: 'Test unsaved integration settings (nothing is stored)',
        body: createIntegrationSchema,
        response: { 200: connectionTestBody, ...errorResponses(400) },
      },
    },
    (request) => testIntegrationSettings(request.body),
  );

  // A static path: Fastify's router prefers it to `/integrations/:id`, whatever the order of registration.
  app.get(
    '/integrations/status',
    {
      schema: {
        tags,
        summary: "Every integration's connection status, with the latest run of each dataset it imports",
        response: { 200: listOf(integrationStatusBody) },
      },
    },
    async () => ({ items: await integrationStatuses(integrations, hub.data.syncRuns) }),
  );

  app.get(
    '/integrations/:id/status',
    {
      schema: {
        tags,
        summary:
          "One integration's connection status: connected, limited (what its permissions keep out), failing, …",
        params: textIdParams,
        response: { 200: integrationStatusBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      // By id or name, as the other routes take it.
      const { id } = await integrations.get(request.params.id);
      const [status] = await integrationStatuses(integrations, hub.data.syncRuns, id);
      if (status === undefined) throw integrationNotFound(request.params.id);
      return status;
    },
  );

  app.get(
    '/integrations/:id',
    {
      schema: {
        tags,
        summary: 'Show an integration',
        params: textIdParams,
        response: { 200: integrationBody, ...errorResponses(404) },
      },
    },
    (request) => integrations.get(request.params.id),
  );

  app.patch(
    '/integrations/:id',
    {
      schema: {
        tags,
        summary: 'Change an integration (credential replaced only when given)',
        description:
          'Only the fields given change; within `imports`, `schedules`, `filters` and `protectedDevices`, only the members given. `filters`: `dropMobileAndIot` (phones, tablets and IoT devices), `onboardingStatuses` (Onboarded, CanBeOnboarded, Unsupported, InsufficientInfo; empty: all), `deviceGroups` and `tags` (empty: all); the next machines run applies them.',
        params: textIdParams,
        body: updateIntegrationSchema,
        response: { 200: integrationBody, ...errorResponses(400, 404, 409) },
      },
    },
    (request) => integrations.update(request.params.id, request.body),
  );

  app.delete(
    '/integrations/:id',
    {
      schema: {
        tags,
        summary: 'Remove an integration and everything imported through it',
        params: textIdParams,
        response: { 204: z.null().describe('Removed.'), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await integrations.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(
      `/integrations/:id/${action}`,
      {
        schema: {
          tags,
          summary: `${enabled ? 'Enable' : 'Disable'} an integration`,
          params: textIdParams,
          response: { 200: integrationBody, ...errorResponses(404) },
        },
      },
      (request) => integrations.setEnabled(request.params.id, enabled),
    );
  }

  app.post(
    '/integrations/:id/test',
    {
      schema: {
        tags,
        summary: "Test a saved integration's connection and permissions",
        description:
          'With a body (the changes a PATCH would make), the integration is tested as those changes would leave it, with the stored credential unless they bring one; nothing is saved.',
        params: textIdParams,
        // Fastify hands a POST without a body over as null.
        body: updateIntegrationSchema.nullish(),
        response: { 200: connectionTestBody, ...errorResponses(400, 404) },
      },
    },
    (request) => testSavedIntegration(integrations, request.params.id, request.body ?? {}),
  );

  app.post(
    '/integrations/:id/sync',
    {
      schema: {
        tags,
        summary: 'Run a sync now and answer its runs; with PostgreSQL, queue it for the workers (202)',
        params: textIdParams,
        body: syncRequestBody,
        response: { 200: syncAnswerBody, 202: syncAnswerBody, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const options = { full: request.body?.full === true, force: request.body?.force === true };
      const dataset = request.body?.dataset;
      if (hub.jobs !== undefined) {
        const integration = await integrations.get(id);
        const jobs = await queueSyncRequest(hub.jobs, hub.data.syncRuns, integration, dataset, options);
        return reply.code(202).send({ runs: [], jobs });
      }
      const runs =
        dataset === undefined
          ? await hub.sync.syncIntegration(id, options)
          : [await hub.sync.runDataset(id, dataset, options)];
      return { runs };
    },
  );

  done();
};
