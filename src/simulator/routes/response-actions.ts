import { missingRolesMessage } from '../http/api-auth.js';
import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { mdeContext } from '../http/odata-list.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import {
  machineActionRecord,
  type ActionRequest,
  type MachineAction,
  type MachineActionType,
  type RequestableActionType,
} from '../world/machine-actions.js';
import type { MachineCore } from '../world/machines.js';
import { type Route, mdeAction } from '../http/route.js';
import type { Handler } from './handler.js';

/** The app role each action type needs; cancelling an action needs the role of the action. */
export const ACTION_ROLES: Readonly<Record<MachineActionType, string>> = {
  Isolate: 'Machine.Isolate',
  Unisolate: 'Machine.Isolate',
  RunAntiVirusScan: 'Machine.Scan',
  CollectInvestigationPackage: 'Machine.CollectForensics',
  RestrictCodeExecution: 'Machine.RestrictExecution',
  UnrestrictCodeExecution: 'Machine.RestrictExecution',
  Offboard: 'Machine.Offboard',
  StopAndQuarantineFile: 'Machine.StopAndQuarantine',
  LiveResponse: 'Machine.LiveResponse',
};

type JsonObject = Readonly<Record<string, unknown>>;

function invalidBody(detail: string): ApiError {
  return new ApiError(400, 'InvalidRequestBody', `Request body is incorrect: ${detail}`);
}

/** The request body as a JSON object; property names stay as sent, since the service matches them exactly. */
async function jsonObjectBody(ex: Exchange): Promise<JsonObject> {
  const text = await readBody(ex.req);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidBody('the body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalidBody('the body must be a JSON object.');
  return json as JsonObject;
}

function requiredComment(body: JsonObject): string {
  const comment = body.Comment;
  if (typeof comment !== 'string' || comment.trim() === '')
    throw invalidBody("the required parameter 'Comment' is missing or empty.");
  return comment;
}

function enumValue(
  body: JsonObject,
  name: string,
  allowed: readonly string[],
  fallback: string | undefined,
): string {
  const value = body[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value))
    throw invalidBody(`'${name}' must be one of ${allowed.join(', ')}.`);
  return value;
}

/** Reads each action's documented body: `Comment` always; `ScanType` (required) or `IsolationType` (optional). */
const BODY_READERS: Readonly<Record<RequestableActionType, (body: JsonObject) => string | null>> = {
  RunAntiVirusScan: (body) => enumValue(body, 'ScanType', ['Quick', 'Full'], undefined),
  Isolate: (body) => enumValue(body, 'IsolationType', ['Full', 'Selective', 'UnManagedDevice'], 'Full'),
  Unisolate: () => null,
  CollectInvestigationPackage: () => null,
};

export function machineOr404(state: SimState, machineKey: string): MachineCore {
  const machine = state.tenant.findMachine(machineKey, state.tenant.epoch);
  if (machine === undefined)
    throw new ApiError(404, 'ResourceNotFound', `Machine ${machineKey} was not found`);
  return machine;
}

/** Books an action, or answers the service's 400 for one of the same kind still under way. */
export function bookAction(state: SimState, machine: MachineCore, request: ActionRequest): MachineAction {
  const outcome = state.tenant.machineActions.create(machine, request);
  if (!outcome.ok) throw new ApiError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
  return outcome.action;
}

function callerAppId(ex: Exchange): string {
  if (ex.claims === undefined) throw new Error('response action reached without a verified token');
  return ex.claims.appid;
}

async function sendAction(
  state: SimState,
  ex: Exchange,
  status: number,
  action: MachineAction,
): Promise<void> {
  await sendJson(ex, status, {
    '@odata.context': mdeContext(state, 'MachineActions/$entity'),
    ...machineActionRecord(action),
  });
}

/** `POST /api/machines/{id}/<action>`: 201 with the new MachineAction. */
function createActionHandler(type: RequestableActionType): Handler {
  return async (state, ex, [machineKey = '']) => {
    const machine = machineOr404(state, machineKey);
    const body = await jsonObjectBody(ex);
    const comment = requiredComment(body);
    const scope = BODY_READERS[type](body);
    const action = bookAction(state, machine, {
      type,
      scope,
      comment,
      requestor: callerAppId(ex),
      requestSource: 'PublicApi',
    });
    await sendAction(state, ex, 201, action);
  };
}

/** `POST /api/machineactions/{id}/cancel`: 200 with the cancelled action; the caller needs the action's role. */
const cancelAction: Handler = async (state, ex, [id = '']) => {
  const book = state.tenant.machineActions;
  const existing = book.byId(id);
  if (existing === undefined)
    throw new ApiError(404, 'ResourceNotFound', `Machine action ${id} was not found`);
  const role = ACTION_ROLES[existing.type];
  const granted = ex.claims?.roles ?? [];
  if (!granted.includes(role))
    throw new ApiError(403, 'Forbidden', missingRolesMessage('mde', [role], granted));
  const comment = requiredComment(await jsonObjectBody(ex));
  const outcome = book.cancel(id, callerAppId(ex), comment);
  if (!outcome.ok) {
    const status = outcome.reason === 'final' ? outcome.action.status : 'unknown';
    throw new ApiError(400, 'BadRequest', `Machine action ${id} is ${status} and can no longer be cancelled`);
  }
  await sendAction(state, ex, 200, outcome.action);
};

/** Requesting and cancelling response actions. */
export const responseActionRoutes: readonly Route[] = [
  mdeAction('/api/machineactions/{id}/cancel', /^\/api\/machineactions\/([^/]+)\/cancel$/i, [], cancelAction),
  mdeAction(
    '/api/machines/{id}/isolate',
    /^\/api\/machines\/([^/]+)\/isolate$/i,
    ['Machine.Isolate'],
    createActionHandler('Isolate'),
  ),
  mdeAction(
    '/api/machines/{id}/unisolate',
    /^\/api\/machines\/([^/]+)\/unisolate$/i,
    ['Machine.Isolate'],
    createActionHandler('Unisolate'),
  ),
  mdeAction(
    '/api/machines/{id}/runAntiVirusScan',
    /^\/api\/machines\/([^/]+)\/runAntiVirusScan$/i,
    ['Machine.Scan'],
    createActionHandler('RunAntiVirusScan'),
  ),
  mdeAction(
    '/api/machines/{id}/collectInvestigationPackage',
    /^\/api\/machines\/([^/]+)\/collectInvestigationPackage$/i,
    ['Machine.CollectForensics'],
    createActionHandler('CollectInvestigationPackage'),
  ),
];
