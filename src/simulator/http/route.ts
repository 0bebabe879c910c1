import type { GRAPH_ROLES, MDE_ROLES, XDR_ROLES } from '../auth/roles.js';
import type { Handler } from '../routes/handler.js';
import type { Surface } from './exchange.js';
import type { RateClass } from './rate-limiter.js';

type MdeRole = (typeof MDE_ROLES)[number];
type GraphRole = (typeof GRAPH_ROLES)[number];
type XdrRole = (typeof XDR_ROLES)[number];

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  /** Stable name for stats, e.g. `GET /api/machines/{id}`. */
  readonly name: string;
  readonly surface: Surface;
  /**
   * Any one of these app roles lets the call through. Empty on an MDE route whose role depends on the record
   * (cancelling an action needs the role of that action): the handler checks it.
   */
  readonly roles: readonly string[];
  readonly rateClass: RateClass | undefined;
  readonly handler: Handler;
  /** The 403 for a token without the roles, where the API's answer is not its usual "missing roles" text. */
  readonly refusal?: { readonly code: string; readonly message: string };
}

/** A Defender for Endpoint read: on the MDE host, with its token and roles. */
export function mde(
  name: string,
  pattern: RegExp,
  roles: readonly MdeRole[],
  rateClass: RateClass,
  handler: Handler,
): Route {
  return { method: 'GET', pattern, name: `GET ${name}`, surface: 'mde', roles, rateClass, handler };
}

/** A Microsoft 365 Defender read: on the Defender host, with that API's own token and roles. */
export function xdr(
  name: string,
  pattern: RegExp,
  roles: readonly XdrRole[],
  rateClass: RateClass,
  handler: Handler,
): Route {
  return { method: 'GET', pattern, name: `GET ${name}`, surface: 'xdr', roles, rateClass, handler };
}

/** A response action: POST, counted in the same class as the other MDE calls (100/min, 1,500/h). */
export function mdeAction(name: string, pattern: RegExp, roles: readonly MdeRole[], handler: Handler): Route {
  return {
    method: 'POST',
    pattern,
    name: `POST ${name}`,
    surface: 'mde',
    roles,
    rateClass: 'default',
    handler,
  };
}

/** A Microsoft Graph read, counted in the Graph class. */
export function graph(name: string, pattern: RegExp, roles: readonly GraphRole[], handler: Handler): Route {
  return {
    method: 'GET',
    pattern,
    name: `GET ${name}`,
    surface: 'graph',
    roles,
    rateClass: 'graph',
    handler,
  };
}

/**
 * A Graph directory read (app registrations). Directory APIs refuse a token without the role with their own
 * 403, which names no role: `Authorization_RequestDenied`, "Insufficient privileges to complete the operation."
 */
export function directory(
  name: string,
  pattern: RegExp,
  roles: readonly GraphRole[],
  handler: Handler,
): Route {
  return {
    ...graph(name, pattern, roles, handler),
    refusal: {
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    },
  };
}

/** Advanced hunting (Graph or MDE): a POST counted in the hunting class (45/min, 1,500/h). */
export function hunting(
  surface: 'mde' | 'graph',
  name: string,
  pattern: RegExp,
  roles: readonly (MdeRole | GraphRole)[],
  handler: Handler,
): Route {
  return { method: 'POST', pattern, name: `POST ${name}`, surface, roles, rateClass: 'hunting', handler };
}

/** A route that takes no token: sign-in, discovery, the export blobs and the simulator's own `/_sim` routes. */
export function open(
  method: 'GET' | 'POST',
  name: string,
  pattern: RegExp,
  surface: Surface,
  handler: Handler,
): Route {
  return { method, pattern, name: `${method} ${name}`, surface, roles: [], rateClass: undefined, handler };
}

export const MACHINE_READ: readonly MdeRole[] = ['Machine.Read.All', 'Machine.ReadWrite.All'];
export const VULNERABILITY_READ: readonly MdeRole[] = ['Vulnerability.Read.All'];
export const ALERT_READ: readonly MdeRole[] = ['Alert.Read.All', 'Alert.ReadWrite.All'];
export const SOFTWARE_READ: readonly MdeRole[] = ['Software.Read.All'];
// The page names Vulnerability.Read.All while its display name speaks of software information: accept both.
export const SOFTWARE_VULNERABILITY_READ: readonly MdeRole[] = [
  'Vulnerability.Read.All',
  'Software.Read.All',
];
export const RECOMMENDATION_READ: readonly MdeRole[] = ['SecurityRecommendation.Read.All'];
export const SCORE_READ: readonly MdeRole[] = ['Score.Read.All'];

/** An Azure Resource Manager read (Defender for Cloud): ARM checks no app roles, only the caller's RBAC. */
export function arm(name: string, pattern: RegExp, handler: Handler): Route {
  return {
    method: 'GET',
    pattern,
    name: `GET ${name}`,
    surface: 'arm',
    roles: [],
    rateClass: undefined,
    handler,
  };
}
