import { createServer, type Server } from 'node:https';
import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubError } from '../../errors.js';
import type { SimState } from '../state.js';
import { ApiError } from './api-error.js';
import { authenticate, missingRolesMessage } from './api-auth.js';
import { Query, type Exchange } from './exchange.js';
import type { FaultDecision } from './faults.js';
import { ODataFilterError } from './odata-filter.js';
import { newRequestId, sendApiError, sendText } from './responses.js';
import type { Route } from './route.js';
import { msFromTicks } from '../time.js';

const NO_FAULT: FaultDecision = { kind: undefined, malformedRate: 0, corruptFirst: false };

/** `/api/v1.0/machines` is the same resource as `/api/machines`. */
function normalise(pathname: string): string {
  return pathname.replace(/^\/api\/v1\.0(?=\/)/i, '/api');
}

function match(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | 'wrong-method' | undefined {
  let wrongMethod = false;
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (found === null) continue;
    if (route.method !== method) {
      wrongMethod = true;
      continue;
    }
    return { route, params: found.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return wrongMethod ? 'wrong-method' : undefined;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`, what a dual-stack listener reports). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return isIPv6(address) && address === '::1';
}

/**
 * The request pipeline: route → injected faults → bearer token → app roles → rate limit → handler. Faults and
 * limits only touch the imitated services (`/api`, `/v1.0`, `/_blob`), never the token endpoint or `/_sim`.
 */
async function handle(
  state: SimState,
  routes: readonly Route[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', state.baseUrl());
  const pathname = normalise(url.pathname);
  const found = match(routes, req.method ?? 'GET', pathname);
  if (found === undefined || found === 'wrong-method') {
    // A plain answer, unlike any Defender error: a client can tell "not Defender here" from "no data".
    res.on('close', () => {
      state.stats.request('unmatched', res.statusCode);
    });
    res.writeHead(found === undefined ? 404 : 405, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(found === undefined ? 'Not Found' : 'Method Not Allowed');
    return;
  }
  const { route, params } = found;
  // The control and truth routes take no token: they are for the machine the simulator runs on, also when it
  // listens beyond loopback (`--host 0.0.0.0` in a container) to serve the imitated APIs to other hosts.
  if (pathname.startsWith('/_sim/') && !isLoopbackAddress(req.socket.remoteAddress)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The /_sim routes answer on loopback only.');
    return;
  }
  const ex: Exchange = {
    req,
    res,
    url,
    pathname,
    query: new Query(url.searchParams),
    surface: route.surface,
    requestId: newRequestId(),
    faults: NO_FAULT,
    claims: undefined,
  };
  res.on('close', () => {
    state.stats.request(route.name, res.statusCode);
  });
  // The APIs stamp answers with their own clock, which here is the simulated one: clients that bound an
  // incremental read by "the service's now" must get the tenant's time, not this machine's.
  const surface = route.surface;
  const service = surface === 'mde' || surface === 'graph' || surface === 'xdr' || surface === 'arm';
  if (service) res.setHeader('date', new Date(msFromTicks(state.tenant.clock.now)).toUTCString());
  try {
    if (service || surface === 'blob') {
      ex.faults = state.faults.decide(pathname, surface);
      if (await answeredByFault(state, ex)) return;
    }
    if (service) {
      const auth = authenticate(ex, state.tokens, state.tenant.identity.tenantId, surface);
      if (!auth.ok || ex.faults.kind === 'expire-token') {
        const message = auth.ok ? 'The access token has expired or is not yet valid.' : auth.message;
        const challenge = `Bearer authorization_uri="${state.baseUrl()}/${state.tenant.identity.tenantId}/oauth2/authorize", error="invalid_token", error_description="${message}"`;
        await sendApiError(ex, 401, 'Unauthorized', message, { 'www-authenticate': challenge });
        return;
      }
      ex.claims = auth.claims;
      if (route.roles.length > 0 && !route.roles.some((role) => auth.claims.roles.includes(role))) {
        const refusal = route.refusal ?? {
          code: 'Forbidden',
          message: missingRolesMessage(surface, route.roles, auth.claims.roles),
        };
        await sendApiError(ex, 403, refusal.code, refusal.message);
        return;
      }
      if (state.settings.rateLimits && route.rateClass !== undefined) {
        const decision = state.rateLimiter.take(
          `${auth.claims.tid}|${auth.claims.appid}`,
          route.rateClass,
          Date.now(),
        );
        if (!decision.allowed) {
          state.stats.rateLimited(route.rateClass);
          const seconds = decision.retryAfterSeconds;
          await sendApiError(
            ex,
            429,
            'TooManyRequests',
            `Rate limit is exceeded. Try again in ${seconds} seconds.`,
            { 'retry-after': String(seconds) },
          );
          return;
        }
      }
    }
    await route.handler(state, ex, params);
  } catch (error) {
    await answerError(ex, error);
  }
}

/** Whole-request faults that answer instead of the handler (`slow` only delays it). */
async function answeredByFault(state: SimState, ex: Exchange): Promise<boolean> {
  const retryAfter = { 'retry-after': String(state.retryAfterSeconds) };
  switch (ex.faults.kind) {
    case '429':
      await sendApiError(
        ex,
        429,
        'TooManyRequests',
        `Rate limit is exceeded. Try again in ${state.retryAfterSeconds} seconds.`,
        retryAfter,
      );
      return true;
    case '500':
      await sendApiError(
        ex,
        500,
        'InternalServerError',
        'An internal server error occurred. Retry the request.',
      );
      return true;
    case '503':
      await sendApiError(
        ex,
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable. Retry after the time in Retry-After.',
        retryAfter,
      );
      return true;
    case 'slow':
      await sleep(state.slowMs);
      return false;
    default:
      return false;
  }
}

async function answerError(ex: Exchange, error: unknown): Promise<void> {
  if (ex.res.headersSent) {
    // Mid-body: the only honest signal left is a broken connection.
    ex.res.destroy();
    return;
  }
  if (error instanceof ApiError) return sendApiError(ex, error.status, error.code, error.message);
  if (error instanceof ODataFilterError) return sendApiError(ex, 400, error.code, error.message);
  if (error instanceof HubError) return sendApiError(ex, 400, 'InvalidInput', error.message);
  const message = error instanceof Error ? error.message : String(error);
  return sendText(ex, 500, 'text/plain; charset=utf-8', `Simulator error: ${message}`);
}

export interface ServerCertificates {
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

export function createSimulatorServer(
  state: SimState,
  routes: readonly Route[],
  certificates: ServerCertificates,
): Server {
  return createServer({ key: certificates.serverKeyPem, cert: certificates.serverCertPem }, (req, res) => {
    void handle(state, routes, req, res);
  });
}

/** Stops listening and cuts open keep-alive connections, so a test or a Ctrl+C does not wait for idle sockets. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
    server.closeAllConnections();
  });
}
