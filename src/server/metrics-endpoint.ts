import type { FastifyInstance } from 'fastify';
import type { HubMetrics } from '../metrics/hub-metrics.js';

/** The route label of a request no route matched (the web UI's pages, unknown paths): one value, not each path. */
const unmatched = 'unmatched';

/**
 * `GET /metrics` (Prometheus text; any signed-in role, or anyone with HUB_METRICS_PUBLIC) and the duration of
 * every answer by route pattern. Install before the routes, so that the timing hook covers them all.
 */
export function installMetrics(app: FastifyInstance, metrics: HubMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequest({
      method: request.method,
      route: request.routeOptions.url ?? unmatched,
      statusCode: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
  });
  // Not in the OpenAPI document: it is the scrapers' text format, not part of the JSON API.
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
