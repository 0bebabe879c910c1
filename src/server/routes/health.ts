import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { hubVersion } from '../../app/version.js';
import { errorBody } from '../schemas/common.js';
import { healthBody } from '../schemas/health.js';

/** Liveness with a trivial query, so a lost database shows as unhealthy rather than as every other route failing. */
export const healthRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Health: the database answers; which version runs',
        response: {
          200: healthBody,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      try {
        await hub.data.ping();
      } catch (error) {
        request.log.error({ err: error }, 'health check: the database did not answer');
        return reply.code(503).send({
          error: { code: 'DATABASE_UNAVAILABLE', message: 'The database did not answer.' },
        });
      }
      return { status: 'ok' as const, database: hub.data.engine, version: hubVersion };
    },
  );
  done();
};
