import type { ApiHttp } from '../api-http.js';
import { validateMachineAction, type MachineAction } from '../schemas/machine-action.js';
import { ODataCollection } from './odata-collection.js';
import {
  ResponseActionSender,
  firstUnderWay,
  requireComment,
  watchAction,
  type ActionOptions,
  type IsolationType,
  type ResponseActionType,
  type ScanType,
  type WaitOptions,
} from './response-actions.js';

/** How many of a machine's newest actions of one type are read to find the one under way. */
const PENDING_LOOKUP_PAGE = 50;

/**
 * The tenant's machine actions, including those made in the Defender portal, and the response actions this
 * client requests. Every request answers with the MachineAction Defender created; {@link waitForFinal} follows it.
 */
export class MachineActionsResource extends ODataCollection<MachineAction> {
  readonly #sender: ResponseActionSender;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    super(http, `${apiBaseUrl}/api/machineactions`, { pageCap: 10_000, validate: validateMachineAction });
    this.#sender = new ResponseActionSender(http, apiBaseUrl, (machineId, type, signal) =>
      this.findUnderWay(machineId, type, signal),
    );
  }

  async runAntivirusScan(
    machineId: string,
    options: ActionOptions & { readonly scanType: ScanType },
  ): Promise<MachineAction> {
    const body = { Comment: requireComment(options.comment), ScanType: options.scanType };
    return this.#sender.request(machineId, 'RunAntiVirusScan', body, options.signal);
  }

  async isolate(
    machineId: string,
    options: ActionOptions & { readonly isolationType: IsolationType },
  ): Promise<MachineAction> {
    const body = { Comment: requireComment(options.comment), IsolationType: options.isolationType };
    return this.#sender.request(machineId, 'Isolate', body, options.signal);
  }

  /** Releases a device from isolation (`unisolate`). */
  async release(machineId: string, options: ActionOptions): Promise<MachineAction> {
    return this.#sender.request(
      machineId,
      'Unisolate',
      { Comment: requireComment(options.comment) },
      options.signal,
    );
  }

  async collectInvestigationPackage(machineId: string, options: ActionOptions): Promise<MachineAction> {
    const body = { Comment: requireComment(options.comment) };
    return this.#sender.request(machineId, 'CollectInvestigationPackage', body, options.signal);
  }

  /** Cancels an action that is not final yet; Defender refuses (400) once it is. */
  async cancel(actionId: string, options: ActionOptions): Promise<MachineAction> {
    return this.#sender.cancel(actionId, options.comment, options.signal);
  }

  /** The newest action of `type` on the machine that is still Pending or InProgress, if any. */
  async findUnderWay(
    machineId: string,
    type: ResponseActionType,
    signal?: AbortSignal,
  ): Promise<MachineAction | undefined> {
    const filter = `machineId eq '${odataString(machineId)}' and type eq '${type}'`;
    const options = { filter, pageSize: PENDING_LOOKUP_PAGE, ...(signal === undefined ? {} : { signal }) };
    for await (const batch of this.list(options)) {
      // The list is newest first: an action under way is among the newest, so one page is enough.
      return firstUnderWay(batch.items);
    }
    return undefined;
  }

  /** Polls the action, yielding its first state and every status change, until it is final. */
  watch(
    actionId: string,
    options: WaitOptions = {},
  ): AsyncGenerator<MachineAction, MachineAction, undefined> {
    return watchAction((signal) => this.get(actionId, signal), options);
  }

  /** Resolves with the action once it is Succeeded, Failed, Cancelled or TimeOut. */
  async waitForFinal(
    actionId: string,
    options: WaitOptions & { readonly onStatus?: (action: MachineAction) => void } = {},
  ): Promise<MachineAction> {
    const changes = this.watch(actionId, options);
    for (;;) {
      const next = await changes.next();
      if (next.done === true) return next.value;
      options.onStatus?.(next.value);
    }
  }
}

function odataString(value: string): string {
  return value.replaceAll("'", "''");
}
