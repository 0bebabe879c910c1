import type { Role } from '../domain/roles.js';

/**
 * Who may call what, in one table so it can be read (and tested) whole. A route is `METHOD /path` as Fastify
 * names it. Reads need viewer, changes admin, except the ones listed: what an analyst may do (run actions and
 * hunting), the changes every signed-in user may make to their own session and tokens, and the open routes.
 */
const openRoutes = new Set(['GET /healthz', 'POST /api/v1/session']);

/** Open as well when HUB_METRICS_PUBLIC lets scrapers on a private network read it without a token. */
const metricsRoute = 'GET /metrics';

/** The settings that open more routes than the table does. */
export interface AccessSettings {
  readonly metricsPublic?: boolean | undefined;
}

const neededRoles: ReadonlyMap<string, Role> = new Map<string, Role>([
  // Analysts: scans, isolation and release, hunting (collecting a package is checked per type: admin).
  ['POST /api/v1/endpoints/:id/actions', 'analyst'],
  ['POST /api/v1/actions/bulk', 'analyst'],
  ['POST /api/v1/actions/:id/cancel', 'analyst'],
  ['POST /api/v1/hunting/query', 'analyst'],
  ['POST /api/v1/hunting/queries', 'analyst'],
  ['PUT /api/v1/hunting/queries/:id', 'analyst'],
  ['DELETE /api/v1/hunting/queries/:id', 'analyst'],
  ['POST /api/v1/hunting/queries/:id/run', 'analyst'],
  // Changes that touch only the caller's own session and tokens, or that change nothing.
  ['DELETE /api/v1/session', 'viewer'],
  ['POST /api/v1/tokens', 'viewer'],
  ['DELETE /api/v1/tokens/:id', 'viewer'],
  ['POST /api/v1/patch-strategies/validate', 'viewer'],
  // Reads for admins only.
  ['GET /api/v1/users', 'admin'],
  ['GET /api/v1/users/:id', 'admin'],
  ['GET /api/v1/audit-log', 'admin'],
  ['GET /api/v1/audit-log/export', 'admin'],
]);

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isReadMethod(method: string): boolean {
  return readMethods.has(method);
}

/** Whether a request that no route matched reads the web UI (its pages and assets are open). */
export function readsWebUi(method: string, path: string): boolean {
  return isReadMethod(method) && !path.startsWith('/api/');
}

/**
 * `undefined` for a route anyone may call; else the least role it needs. `url` is undefined where no route
 * matched: the web UI when it is a read outside /api, else an unknown API path, guarded like every API route.
 */
export function neededRole(
  method: string,
  url: string | undefined,
  path = '',
  settings: AccessSettings = {},
): Role | undefined {
  if (url === undefined) return readsWebUi(method, path) ? undefined : 'viewer';
  const route = `${method} ${url}`;
  if (openRoutes.has(route) || (settings.metricsPublic === true && route === metricsRoute)) return undefined;
  return neededRoles.get(route) ?? (isReadMethod(method) ? 'viewer' : 'admin');
}
