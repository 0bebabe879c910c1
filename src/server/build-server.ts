import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
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
import { installAuthentication } from './authentication.js';
import { installSecurityHeaders } from './security-headers.js';
import { installAuditTrail } from './audit-trail.js';
import { installMetrics } from './metrics-endpoint.js';
import { webUiHandler } from './web-ui.js';
import { createHubLogger, type HubLogSettings } from '../secrets/log-redaction.js';

export interface ServerOptions {
  /**
   * Fastify's request log (pino), secrets redacted at any depth; off by default so tests and the CLI stay quiet.
   * `true` logs on stdout at LOG_LEVEL; settings give another level or stream.
   */
  readonly logger?: boolean | HubLogSettings;
  /** The web UI's build folder (default dist/web); `false` serves the API alone. */
  readonly webRoot?: string | false;
}

/**
 * The hub's HTTP API over a hub's services: JSON under `/api/v1`, `/healthz`, `/metrics`, and the OpenAPI document at
 * `/api/openapi.json`, generated from the same zod schemas that validate requests and shape answers. The caller
 * listens (or injects) and closes the instance; the hub stays the caller's to close. The instance is not yet
 * ready, so the caller may still add routes before `listen`. Every other GET outside /api serves the web UI.
 */
export async function buildServer(hub: Hub, options: ServerOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger | undefined =
    options.logger === undefined || options.logger === false
      ? undefined
      : createHubLogger(options.logger === true ? { level: hub.config.logLevel } : options.logger);
  const app = Fastify({
    ...(logger === undefined ? {} : { loggerInstance: logger }),
    trustProxy: hub.config.trustProxy === true,
    // Stated rather than left to the default: no route takes more than a bulk action or a strategy needs.
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorReplies(app, options.webRoot === false ? undefined : await webUiHandler(options.webRoot));
  installSecurityHeaders(app);
  installAuthentication(app, hub);
  installAuditTrail(app, hub);
  installMetrics(app, hub.metrics);

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
