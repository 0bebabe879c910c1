import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hub } from '../app/hub.js';
import { redactSecrets } from '../secrets/log-redaction.js';
import { isReadMethod } from './access-policy.js';
import type { AuditOutcome } from '../store/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The audited resource as it was before the change (settings), set before the handler runs. */
    auditBefore: unknown;
    /** The body as the caller sent it, secrets masked. */
    auditRequest: unknown;
  }
}

/** How to read a setting before and after a change, by route: its before/after goes into the entry. */
const settings: Readonly<Record<string, (hub: Hub, id: string) => Promise<unknown>>> = {
  '/api/v1/integrations/:id': (hub, id) => hub.integrations.get(id),
  '/api/v1/patch-strategies/:id': (hub, id) => hub.strategies.get(Number(id)),
  '/api/v1/users/:id': (hub, id) => hub.auth.getUser(Number(id)),
  '/api/v1/hunting/queries/:id': (hub, id) => hub.hunting.saved.get(Number(id)),
};

// Bodies of fuzzers and mistakes can be large; an entry keeps what identifies the request, not megabytes.
const maxDetailsLength = 16_384;

function idParam(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

async function snapshot(hub: Hub, request: FastifyRequest): Promise<unknown> {
  const read = settings[request.routeOptions.url ?? ''];
  const id = idParam(request);
  if (read === undefined || id === undefined) return undefined;
  return read(hub, id).then(
    (value) => redactSecrets(value),
    () => undefined,
  );
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  return status === 401 || status === 403 ? 'refused' : 'failure';
}

function detailsOf(request: FastifyRequest, error: string | undefined, after: unknown): string {
  const query = request.query as Record<string, unknown> | undefined;
  const details = {
    ...(query === undefined || Object.keys(query).length === 0 ? {} : { query }),
    ...(request.auditRequest === undefined ? {} : { request: request.auditRequest }),
    ...(error === undefined ? {} : { error }),
    ...(request.auditBefore === undefined ? {} : { before: request.auditBefore }),
    ...(after === undefined ? {} : { after }),
  };
  const text = JSON.stringify(redactSecrets(details));
  if (text.length <= maxDetailsLength) return text;
  return JSON.stringify({ truncated: true, ...(error === undefined ? {} : { error }) });
}

/**
 * Every change made through the API — settings, credentials, users, tokens, action requests, sign-ins and
 * sign-outs — becomes an audit entry as it is answered: who, when, from where, what, the outcome, and for settings
 * the before and after. Secrets are masked. Reads are not audited. A failure to write the entry is logged and
 * the answer still goes out: the change itself has been made.
 */
export function installAuditTrail(app: FastifyInstance, hub: Hub): void {
  app.decorateRequest('auditBefore', undefined);
  app.decorateRequest('auditRequest', undefined);
  // Before validation: the body as sent (a schema may reshape it), masked at once.
  app.addHook('preValidation', (request, _reply, next) => {
    if (!isReadMethod(request.method) && request.body !== undefined && request.body !== null)
      request.auditRequest = redactSecrets(request.body);
    next();
  });
  app.addHook('preHandler', async (request) => {
    if (!isReadMethod(request.method)) request.auditBefore = await snapshot(hub, request);
  });
  // On send, not on response: the entry is written before the caller sees the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    if (isReadMethod(request.method) || route === undefined) return payload;
    const error =
      reply.statusCode >= 400 && typeof payload === 'string'
        ? /"code":"([A-Z_]+)"/.exec(payload)?.[1]
        : undefined;
    const principal = request.principal;
    // At sign-in nobody is signed in yet: the name tried is who it was.
    const tried = (request.body as { username?: unknown } | undefined)?.username;
    try {
      await hub.data.auditLog.append({
        at: new Date().toISOString(),
        actor: principal?.username ?? (typeof tried === 'string' ? tried.slice(0, 64) : null),
        actorKind: principal?.kind ?? 'anonymous',
        address: request.ip,
        action: `${request.method} ${route}`,
        target: idParam(request) ?? null,
        outcome: outcomeOf(reply.statusCode),
        status: reply.statusCode,
        details: detailsOf(request, error, reply.statusCode < 400 ? await snapshot(hub, request) : undefined),
      });
    } catch (failure) {
      request.log.error({ err: failure }, 'could not write the audit entry');
    }
    return payload;
  });
}
