import { abortableSleep } from '../abortable-sleep.js';
import type { ApiHttp } from '../api-http.js';
import {
  ActionAlreadyInProgressError,
  DefenderApiError,
  DefenderError,
  DefenderErrorCode,
} from '../errors.js';
import { validateMachineAction, type MachineAction } from '../schemas/machine-action.js';

export type ScanType = 'Quick' | 'Full';
export type IsolationType = 'Full' | 'Selective' | 'UnManagedDevice';
/** The response actions this client requests, by their MachineAction `type`. */
export type ResponseActionType = 'RunAntiVirusScan' | 'Isolate' | 'Unisolate' | 'CollectInvestigationPackage';

export const FINAL_ACTION_STATUSES: ReadonlySet<string> = new Set([
  'Succeeded',
  'Failed',
  'Cancelled',
  'TimeOut',
]);
const UNDER_WAY: ReadonlySet<string> = new Set(['Pending', 'InProgress']);

export interface ActionOptions {
  /** Shown in the Defender portal and the action history; required by the API. */
  readonly comment: string;
  readonly signal?: AbortSignal | undefined;
}

export interface WaitOptions {
  readonly signal?: AbortSignal | undefined;
  /** First wait between polls (default 5 s); it grows by half each poll that shows no change. */
  readonly intervalMs?: number;
  /** Longest wait between polls (default 60 s). */
  readonly maxIntervalMs?: number;
}

/** The path segment of each action under `/api/machines/{id}/`. */
const ACTION_PATHS: Readonly<Record<ResponseActionType, string>> = {
  RunAntiVirusScan: 'runAntiVirusScan',
  Isolate: 'isolate',
  Unisolate: 'unisolate',
  CollectInvestigationPackage: 'collectInvestigationPackage',
};

/** Looks up an action of a type still under way on a machine (newest first), for the "already in progress" case. */
export type PendingLookup = (
  machineId: string,
  type: ResponseActionType,
  signal: AbortSignal | undefined,
) => Promise<MachineAction | undefined>;

/**
 * Sends response actions: the documented PascalCase bodies, the governor's reserved share for actions, no
 * repeat of a request the service may have acted on, and the MachineAction answer validated.
 */
export class ResponseActionSender {
  readonly #http: ApiHttp;
  readonly #apiBaseUrl: string;
  readonly #findPending: PendingLookup;

  constructor(http: ApiHttp, apiBaseUrl: string, findPending: PendingLookup) {
    this.#http = http;
    this.#apiBaseUrl = apiBaseUrl;
    this.#findPending = findPending;
  }

  async request(
    machineId: string,
    type: ResponseActionType,
    body: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<MachineAction> {
    const url = `${this.#apiBaseUrl}/api/machines/${encodeURIComponent(machineId)}/${ACTION_PATHS[type]}`;
    try {
      return await this.#post(url, body, signal);
    } catch (error) {
      if (!isAlreadyInProgress(error)) throw error;
      const pending = await this.#findPending(machineId, type, signal).catch(() => undefined);
      throw alreadyInProgress(error, machineId, type, pending?.id);
    }
  }

  async cancel(actionId: string, comment: string, signal: AbortSignal | undefined): Promise<MachineAction> {
    const url = `${this.#apiBaseUrl}/api/machineactions/${encodeURIComponent(actionId)}/cancel`;
    return this.#post(url, { Comment: requireComment(comment) }, signal);
  }

  async #post(
    url: string,
    body: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<MachineAction> {
    const json = await this.#http.json({
      method: 'POST',
      url,
      body,
      audience: 'defender',
      apiClass: 'default',
      priority: 'action',
      notRepeatable: true,
      signal,
    });
    const result = validateMachineAction(json);
    if (result.ok) return result.value;
    throw new DefenderError(
      DefenderErrorCode.InvalidResponse,
      `${new URL(url).pathname} answered with a machine action the client cannot read: ${result.rejected.reason}. The action may have been created; check the machine's action history before asking again.`,
    );
  }
}

/** The API needs a comment on every action; an empty one would only come back as a 400 after a round trip. */
export function requireComment(comment: string): string {
  if (comment.trim() === '')
    throw new DefenderError(
      DefenderErrorCode.BadRequest,
      'A response action needs a comment (it is shown in the Defender portal); give the reason for the action.',
    );
  return comment;
}

function isAlreadyInProgress(error: unknown): error is DefenderApiError {
  return (
    error instanceof DefenderApiError &&
    error.status === 400 &&
    (error.apiCode === 'ActiveRequestAlreadyExists' || /already in progress/i.test(error.message))
  );
}

function alreadyInProgress(
  error: DefenderApiError,
  machineId: string,
  type: ResponseActionType,
  pendingActionId: string | undefined,
): ActionAlreadyInProgressError {
  const which = pendingActionId === undefined ? 'an earlier one' : `action ${pendingActionId}`;
  return new ActionAlreadyInProgressError(
    `Defender did not start ${type} on machine ${machineId}: ${which} of the same kind is still pending or in progress. Wait for it to finish (or cancel it) before asking again.`,
    {
      cause: error,
      status: error.status,
      ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      machineId,
      actionType: type,
      pendingActionId,
    },
  );
}

/** The newest action in `candidates` still under way; the list is newest first. */
export function firstUnderWay(candidates: readonly MachineAction[]): MachineAction | undefined {
  return candidates.find((action) => action.status != null && UNDER_WAY.has(action.status));
}

export function isFinalAction(action: MachineAction): boolean {
  return action.status != null && FINAL_ACTION_STATUSES.has(action.status);
}

/**
 * Polls one action until it is final, yielding the first answer and every status change. The wait grows while
 * nothing changes (actions on offline devices stay Pending for hours) and starts over after a change.
 */
export async function* watchAction(
  get: (signal: AbortSignal | undefined) => Promise<MachineAction>,
  options: WaitOptions = {},
): AsyncGenerator<MachineAction, MachineAction, undefined> {
  const first = options.intervalMs ?? 5000;
  const longest = Math.max(first, options.maxIntervalMs ?? 60_000);
  let wait = first;
  let last: string | null | undefined;
  for (;;) {
    const action = await get(options.signal);
    const changed = action.status !== last;
    if (changed) {
      last = action.status;
      yield action;
    }
    if (isFinalAction(action)) return action;
    wait = changed ? first : Math.min(longest, Math.round(wait * 1.5));
    await abortableSleep(wait, options.signal);
  }
}
