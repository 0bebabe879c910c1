import { rngFor, Stream } from '../random.js';
import { iso7, TICKS_PER_DAY, TICKS_PER_SECOND, type Ticks } from '../time.js';
import { describeMachine, type MachineContext } from './machines.js';
import type { TenantIdentity } from '../identity.js';

export type MachineActionType =
  | 'RunAntiVirusScan'
  | 'Offboard'
  | 'LiveResponse'
  | 'CollectInvestigationPackage'
  | 'Isolate'
  | 'Unisolate'
  | 'StopAndQuarantineFile'
  | 'RestrictCodeExecution'
  | 'UnrestrictCodeExecution';

export type MachineActionStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';

/**
 * A response action. Seeded history for now; the response-action routes (isolate, scan, …) will append to the
 * same book, which is why it is a list of plain entries rather than a pure function of the index.
 */
export interface MachineAction {
  readonly id: string;
  readonly type: MachineActionType;
  readonly scope: string | null;
  readonly requestor: string;
  readonly requestorComment: string;
  readonly status: MachineActionStatus;
  readonly machineId: string;
  readonly computerDnsName: string | null;
  readonly created: Ticks;
  readonly lastUpdate: Ticks;
  readonly requestSource: string;
  readonly relatedFileInfo: { readonly fileIdentifier: string; readonly fileIdentifierType: string } | null;
}

const SEEDED_ACTIONS = 12;
const KINDS: readonly (readonly [MachineActionType, string | null, string])[] = [
  ['RunAntiVirusScan', 'Quick', 'Quick scan after alert'],
  ['RunAntiVirusScan', 'Full', 'Check machine for viruses due to alert'],
  ['Isolate', 'Full', 'Isolate while investigating ransomware alert'],
  ['Unisolate', null, 'Isolation release'],
  ['CollectInvestigationPackage', null, 'Collect forensics'],
  ['StopAndQuarantineFile', null, 'Quarantine malicious file'],
  ['RestrictCodeExecution', null, 'Suspicious processes running'],
];

export class MachineActionBook {
  readonly #actions: MachineAction[];

  constructor(ctx: MachineContext & { readonly identity: TenantIdentity }, initialMachines: number) {
    this.#actions = [];
    const now = ctx.clock.epochStart(0);
    for (let n = 0; n < (initialMachines === 0 ? 0 : SEEDED_ACTIONS); n++) {
      const rng = rngFor(ctx.seed, Stream.machineAction, n);
      const machine = describeMachine(ctx, rng.int(initialMachines));
      const [type, scope, comment] = rng.pick(KINDS);
      const created = now - rng.int(20 * TICKS_PER_DAY) - rng.int(TICKS_PER_SECOND);
      const status = rng.weighted<MachineActionStatus>([
        ['Succeeded', 80],
        ['Failed', 8],
        ['TimeOut', 6],
        ['Cancelled', 6],
      ]);
      this.#actions.push({
        id: rng.guid(),
        type,
        scope,
        requestor: `${rng.pick(['secops.anna', 'soc.tier2', 'ir.lead'])}@${ctx.identity.tenantDomain}`,
        requestorComment: comment,
        status,
        machineId: machine.id,
        computerDnsName: machine.computerDnsName,
        created,
        lastUpdate: created + (20 + rng.int(600)) * TICKS_PER_SECOND + rng.int(TICKS_PER_SECOND),
        requestSource: rng.pick(['Portal', 'PublicApi']),
        relatedFileInfo:
          type === 'StopAndQuarantineFile'
            ? { fileIdentifier: rng.hex(40), fileIdentifierType: 'Sha1' }
            : null,
      });
    }
    this.#actions.sort((a, b) => b.created - a.created);
  }

  list(): readonly MachineAction[] {
    return this.#actions;
  }

  byId(id: string): MachineAction | undefined {
    return this.#actions.find((action) => action.id.toLowerCase() === id.toLowerCase());
  }
}

/**
 * The MachineAction record. The docs spell the update time `lastUpdateDateTimeUtc` (entity) and
 * `lastUpdateTimeUtc` (list examples); both are sent so clients written against either work.
 */
export function machineActionRecord(action: MachineAction): Record<string, unknown> {
  const finalFailure = action.status === 'Failed' || action.status === 'TimeOut';
  return {
    id: action.id,
    type: action.type,
    title: null,
    requestor: action.requestor,
    requestorComment: action.requestorComment,
    status: action.status,
    machineId: action.machineId,
    computerDnsName: action.computerDnsName,
    creationDateTimeUtc: iso7(action.created),
    lastUpdateDateTimeUtc: iso7(action.lastUpdate),
    lastUpdateTimeUtc: iso7(action.lastUpdate),
    cancellationRequestor: action.status === 'Cancelled' ? action.requestor : null,
    cancellationComment: action.status === 'Cancelled' ? 'Not needed anymore' : null,
    cancellationDateTimeUtc: action.status === 'Cancelled' ? iso7(action.lastUpdate) : null,
    errorHResult: finalFailure ? -2145844840 : 0,
    scope: action.scope,
    externalId: null,
    requestSource: action.requestSource,
    relatedFileInfo: action.relatedFileInfo,
    commands: [],
    troubleshootInfo: null,
  };
}
