import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Requester } from '../../actions/action-service.js';
import { requireRole } from '../authentication.js';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  errorResponses,
  exactFilter,
  integrationFilter,
  listOf,
  numericIdParams,
  pageOf,
  pageQuery,
  textIdParams,
} from '../schemas/common.js';
import { actionBody, actionOutcomeBody } from '../schemas/action.js';
import { endpointFound } from '../../store/index.js';

const tags = ['actions'];

/** The signed-in user (or the token's), recorded with each request. */
function requester(request: FastifyRequest): Requester {
  const principal = requireRole(request, 'viewer');
  return { name: principal.username, role: principal.role };
}

/** Request bodies are validated by the action service's own schemas, so the CLI and the API refuse alike. */
const anyBody = z.unknown();

/** Response actions (scan, isolate, release, collect), the tenant's machine actions, and cancelling. */
export const actionRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { actions } = hub;

  app.get(
    '/actions',
    {
      schema: {
        tags,
        summary: "Machine actions, newest first: the hub's and those made in the Defender portal (synced)",
        querystring: pageQuery
          .extend({
            integration: integrationFilter(),
            endpoint: z.coerce.number().int().positive().optional().describe("An endpoint's hub id."),
            type: exactFilter('Defender action type (RunAntiVirusScan, Isolate, Unisolate, …)'),
            status: exactFilter('status (Pending, InProgress, Succeeded, Failed, Cancelled, TimeOut)'),
          })
          .strict(),
        response: { 200: pageOf(actionBody), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { page, pageSize, integration, endpoint, type, status } = request.query;
      const key =
        endpoint === undefined ? undefined : endpointFound(await hub.data.endpoints.key(endpoint), endpoint);
      return actions.list(
        {
          integrationId: key?.integrationId ?? integration,
          machineId: key?.machineId,
          type,
          status,
        },
        { page, pageSize },
      );
    },
  );

  app.get(
    '/actions/:id',
    {
      schema: {
        tags,
        summary: 'One machine action',
        params: textIdParams,
        response: { 200: actionBody, ...errorResponses(404) },
      },
    },
    (request) => actions.get(request.params.id),
  );

  app.post(
    '/endpoints/:id/actions',
    {
      schema: {
        tags,
        summary: 'Run a response action on an endpoint (or, with dryRun, say what would be asked)',
        description:
          'Body: `{type: "scan"|"isolate"|"release"|"collectInvestigationPackage", comment, scanType?: "Quick"|"Full", isolationType?: "Full"|"Selective", dryRun?}`. A device Defender only discovered (onboardingStatus other than Onboarded) gets no action (409 ACTION_DEVICE_NOT_ONBOARDED). A protected device is never isolated (403 ACTION_PROTECTED_DEVICE). An action of the same kind already under way is linked, not failed.',
        params: numericIdParams,
        body: anyBody,
        response: {
          201: actionOutcomeBody,
          200: actionOutcomeBody,
          ...errorResponses(400, 403, 404, 409, 502),
        },
      },
    },
    async (request, reply) => {
      const outcome = await actions.request(request.params.id, request.body, requester(request));
      return reply.code(outcome.dryRun || outcome.linked ? 200 : 201).send(outcome);
    },
  );

  app.post(
    '/actions/bulk',
    {
      schema: {
        tags,
        summary: 'One response action on many endpoints, answered per endpoint',
        description: `Body: the single request's fields plus \`endpointIds\` (at most ${actions.bulkLimit}). One endpoint's refusal or failure never stops the others.`,
        body: anyBody,
        response: { 200: listOf(actionOutcomeBody), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: await actions.requestBulk(request.body, requester(request)) }),
  );

  app.post(
    '/actions/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an action that is not final yet',
        description: 'Body: `{comment}`.',
        params: textIdParams,
        body: anyBody,
        response: { 200: actionBody, ...errorResponses(400, 404, 502) },
      },
    },
    (request) => actions.cancel(request.params.id, request.body, requester(request)),
  );

  done();
};
