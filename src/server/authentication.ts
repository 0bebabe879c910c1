import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Hub } from '../app/hub.js';
import { AuthService, type Principal } from '../auth/auth-service.js';
import { authRequired, csrfInvalid, roleTooLow } from '../auth/auth-errors.js';
import { roleAllows, type Role } from '../domain/roles.js';
import { isReadMethod, neededRole } from './access-policy.js';
import { errorBody } from './schemas/common.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for; null on the open routes when nobody signed in. */
    principal: Principal | null;
  }
}

export const sessionCookie = 'dh_session';

/** The value of one cookie of the request, if it sent it. */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** The token's principal, else the session cookie's: a script's explicit token wins over a browser's cookie. */
async function principalOf(hub: Hub, request: FastifyRequest): Promise<Principal | undefined> {
  const token = bearerToken(request);
  if (token !== undefined) return hub.auth.token(token);
  const session = cookieValue(request, sessionCookie);
  return session === undefined ? undefined : hub.auth.session(session);
}

/** The cookie that carries a session: never readable by scripts, never sent by other sites. */
export function setSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header(
    'set-cookie',
    `${sessionCookie}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

/**
 * Every route but the open ones needs a session or an API token, and the role the access policy names. It runs
 * on request, before the body is read or validated, so a caller without access learns nothing from the route's
 * validation. Changes made with a session cookie must echo the session's CSRF token in `X-CSRF-Token`;
 * token requests need not, as no browser sends a bearer token on its own.
 */
export function installAuthentication(app: FastifyInstance, hub: Hub): void {
  app.decorateRequest('principal', null);
  const settings = { metricsPublic: hub.config.metricsPublic };
  // Every guarded route documents the answers the guard gives, so the OpenAPI document says so route by route.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (
      methods.every((m) => neededRole(m, route.url, '', settings) === undefined) ||
      route.schema === undefined
    )
      return;
    const response = (route.schema.response ?? {}) as Record<number, unknown>;
    route.schema.response = { ...response, 401: response[401] ?? errorBody, 403: response[403] ?? errorBody };
  });
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    const needed = neededRole(request.method, url, request.url, settings);
    if (needed === undefined) return;
    const principal = await principalOf(hub, request);
    if (principal === undefined) throw authRequired();
    request.principal = principal;
    if (!roleAllows(principal.role, needed)) throw roleTooLow(needed, principal.role);
    const csrf = request.headers['x-csrf-token'];
    if (
      principal.kind === 'session' &&
      !isReadMethod(request.method) &&
      !AuthService.csrfMatches(principal, typeof csrf === 'string' ? csrf : undefined)
    )
      throw csrfInvalid();
  });
}

/** For checks finer than the route's: the principal, who must hold `role`. */
export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = request.principal;
  if (principal === null) throw authRequired();
  if (!roleAllows(principal.role, role)) throw roleTooLow(role, principal.role);
  return principal;
}
