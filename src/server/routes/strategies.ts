import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { describeStrategyFields } from '../../domain/strategy/index.js';
import {
  createStrategyInput,
  strategyExpression,
  updateStrategyInput,
} from '../../strategies/strategy-service.js';
import {
  errorResponses,
  integrationFilter,
  listOf,
  numericIdParams,
  pageOf,
  pageQuery,
} from '../schemas/common.js';
import {
  strategyBody,
  strategyCheckBody,
  strategyFieldBody,
  strategyMatchBody,
} from '../schemas/strategy.js';
import { removeRoute } from './route-shapes.js';

const tags = ['patch-strategies'];

/** Patch strategies: saved filter expressions over patch metadata, and the patches they select. */
export const strategyRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const strategies = hub.strategies;

  app.get(
    '/patch-strategies',
    {
      schema: {
        tags,
        summary: 'List patch strategies',
        response: { 200: listOf(strategyBody) },
      },
    },
    async () => ({ items: await strategies.list() }),
  );

  app.get(
    '/patch-strategies/fields',
    {
      schema: {
        tags,
        summary: 'The fields a strategy expression can use, with their types and operators',
        response: { 200: listOf(strategyFieldBody) },
      },
    },
    () => ({
      items: describeStrategyFields().map(({ levels, operators, ...f }) => ({
        ...f,
        operators: [...operators],
        ...(levels === undefined ? {} : { levels: [...levels] }),
      })),
    }),
  );

  app.post(
    '/patch-strategies/validate',
    {
      schema: {
        tags,
        summary:
          'Check an expression without saving it: its canonical form, or the line, column and reason it fails',
        body: z
          .object({
            expression: strategyExpression,
            count: z
              .boolean()
              .optional()
              .describe('Also count the patches a valid expression selects (matchingPatches).'),
            integration: z
              .string()
              .trim()
              .min(1)
              .optional()
              .describe('Integration id: count only its patches.'),
          })
          .strict(),
        response: { 200: strategyCheckBody, ...errorResponses(400) },
      },
    },
    (request) => {
      const { expression, count, integration } = request.body;
      return strategies.validate(expression, { count, integrationId: integration });
    },
  );

  app.post(
    '/patch-strategies',
    {
      schema: {
        tags,
        summary:
          'Save a patch strategy (a bad expression is a 400 naming the line, column and what was expected)',
        body: createStrategyInput,
        response: { 201: strategyBody, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await strategies.create(request.body)),
  );

  app.get(
    '/patch-strategies/:id',
    {
      schema: {
        tags,
        summary: 'One patch strategy',
        params: numericIdParams,
        response: { 200: strategyBody, ...errorResponses(400, 404) },
      },
    },
    (request) => strategies.get(request.params.id),
  );

  app.patch(
    '/patch-strategies/:id',
    {
      schema: {
        tags,
        summary: 'Change a patch strategy',
        params: numericIdParams,
        body: updateStrategyInput,
        response: { 200: strategyBody, ...errorResponses(400, 404, 409) },
      },
    },
    (request) => strategies.update(request.params.id, request.body),
  );

  removeRoute(app, '/patch-strategies/:id', { tags, summary: 'Remove a patch strategy' }, (id) =>
    strategies.remove(id),
  );

  app.get(
    '/patch-strategies/:id/matches',
    {
      schema: {
        tags,
        summary: 'The patches the strategy selects, most severe and widest first, with their endpoints',
        params: numericIdParams,
        querystring: pageQuery
          .extend({
            integration: integrationFilter(),
            endpointLimit: z.coerce
              .number()
              .int()
              .min(0)
              .max(1000)
              .default(100)
              .describe('Endpoints listed per patch (0–1000); matchedEndpoints counts them all.'),
          })
          .strict(),
        response: { 200: pageOf(strategyMatchBody), ...errorResponses(400, 404) },
      },
    },
    (request) => {
      const { integration, ...rest } = request.query;
      return strategies.matches(request.params.id, { ...rest, integrationId: integration });
    },
  );

  done();
};
