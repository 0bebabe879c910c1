import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Hub } from '../app/hub.js';
import { apiRoutes } from './api-routes.js';
import { healthRoutes } from './routes/health.js';
import { installErrorReplies } from './error-replies.js';

export interface ServerOptions {
  /** Fastify's request log (pino) on stdout; off by default so tests and the CLI stay quiet. */
  readonly logger?: boolean;
}

/**
 * The hub's HTTP API over a hub's services: JSON under `/api/v1`, `/healthz`, and the OpenAPI document at
 * `/api/openapi.json`, generated from the same zod schemas that validate requests and shape answers. The caller
 * listens (or injects) and closes the instance; the hub stays the caller's to close. The instance is not yet
 * ready, so the caller may still add routes (the web UI's static files) before `listen`.
 */
export async function buildServer(hub: Hub, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorReplies(app);

  // Registered before the routes: it collects their schemas as they are added.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'defender-hub API',
        description: 'Microsoft Defender data imported by defender-hub: endpoints, vulnerabilities, alerts.',
        version: 'v1',
      },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(healthRoutes, { hub });
  await app.register(apiRoutes, { hub, prefix: '/api/v1' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  return app;
}
