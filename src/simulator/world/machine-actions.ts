import { rngFor, Stream, type Rng } from '../random.js';
import { iso7, TICKS_PER_DAY, TICKS_PER_MS, TICKS_PER_SECOND, type Ticks } from '../time.js';
import { describeMachine, quietSpellAt, type MachineContext, type MachineCore } from './machines.js';
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

/** The actions the simulator lets a caller (hub or "portal") request. */
export type RequestableActionType =
  'RunAntiVirusScan' | 'Isolate' | 'Unisolate' | 'CollectInvestigationPackage';

const FINAL: ReadonlySet<MachineActionStatus> = new Set(['Succeeded', 'Failed', 'TimeOut', 'Cancelled']);

export function isFinalStatus(status: MachineActionStatus): boolean {
  return FINAL.has(status);
}

export interface Cancellation {
  readonly at: Ticks;
  readonly requestor: string;
  readonly comment: string;
}

/** A response action as seen at one instant of the simulated clock. */
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
  readonly cancellation: Cancellation | null;
}

/**
 * When an action changes state. Fixed at creation, so a record's status is a pure function of the clock: the
 * same requests and advances always give the same history.
 */
interface Plan {
  readonly inProgressAt: Ticks | undefined;
  readonly finalAt: Ticks;
  readonly finalStatus: MachineActionStatus;
}

interface Entry {
  readonly base: Omit<MachineAction, 'status' | 'lastUpdate' | 'cancellation'>;
  readonly plan: Plan;
  cancellation: Cancellation | null;
}

/** A device picks an action up a minute after it is made, then needs this long (from creation) to finish. */
export const PICKUP_TICKS = 60 * TICKS_PER_SECOND;
const MINUTES = 60 * TICKS_PER_SECOND;
export const ACTION_DURATION_TICKS: Readonly<Record<string, Ticks>> = {
  Isolate: 3 * MINUTES,
  Unisolate: 3 * MINUTES,
  'RunAntiVirusScan:Quick': 10 * MINUTES,
  'RunAntiVirusScan:Full': 45 * MINUTES,
  CollectInvestigationPackage: 15 * MINUTES,
};
/** An offline device picks the action up only when it is back; the service gives up after a day. */
export const OFFLINE_TIMEOUT_TICKS = TICKS_PER_DAY;

/**
 * The rule the README documents: when a device asked at `at` reports again. Now, for one that reports; the end of
 * its quiet spell for one that is in one; never for one that does not report (Inactive, or not onboarded).
 */
export function backOnline(ctx: MachineContext, machine: MachineCore, at: Ticks): Ticks {
  if (!machine.reporting) return Number.POSITIVE_INFINITY;
  return quietSpellAt(ctx, machine, at)?.end ?? at;
}

export interface ActionRequest {
  readonly type: RequestableActionType;
  readonly scope: string | null;
  readonly comment: string;
  readonly requestor: string;
  readonly requestSource: 'PublicApi' | 'Portal';
}

export type CreateOutcome =
  | { readonly ok: true; readonly action: MachineAction }
  | { readonly ok: false; readonly pending: MachineAction };

export type CancelOutcome =
  | { readonly ok: true; readonly action: MachineAction }
  | { readonly ok: false; readonly reason: 'not-found' }
  | { readonly ok: false; readonly reason: 'final'; readonly action: MachineAction };

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

type BookContext = MachineContext & { readonly identity: TenantIdentity };

/**
 * The tenant's response actions: a seeded, finished history plus the ones requested while the simulator runs
 * (through the API or `/_sim/machine-actions`), newest first.
 */
export class MachineActionBook {
  readonly #ctx: BookContext;
  readonly #entries: Entry[] = [];
  #created = 0;
  #lastCreated: Ticks = Number.NEGATIVE_INFINITY;

  constructor(ctx: BookContext, initialMachines: number) {
    this.#ctx = ctx;
    const now = ctx.clock.epochStart(0);
    for (let n = 0; n < (initialMachines === 0 ? 0 : SEEDED_ACTIONS); n++)
      this.#entries.push(seededEntry(ctx, rngFor(ctx.seed, Stream.machineAction, n), now, initialMachines));
    this.#entries.sort((a, b) => b.base.created - a.base.created);
  }

  list(): MachineAction[] {
    const now = this.#ctx.clock.now;
    return this.#entries.map((entry) => snapshot(entry, now));
  }

  byId(id: string): MachineAction | undefined {
    const entry = this.#find(id);
    return entry === undefined ? undefined : snapshot(entry, this.#ctx.clock.now);
  }

  /** Refused while an action of the same type on the same machine is still pending or in progress. */
  create(machine: MachineCore, request: ActionRequest): CreateOutcome {
    const now = this.#ctx.clock.now;
    const pending = this.#entries
      .map((entry) => snapshot(entry, now))
      .find((a) => a.machineId === machine.id && a.type === request.type && !isFinalStatus(a.status));
    if (pending !== undefined) return { ok: false, pending };
    // A frozen clock stands still between advances (a live one moves less than a millisecond between two
    // requests at low speeds); a millisecond apart keeps "newest first" a total order.
    const created = Math.max(now, this.#lastCreated + TICKS_PER_MS);
    this.#lastCreated = created;
    const rng = rngFor(this.#ctx.seed, Stream.machineAction, SEEDED_ACTIONS + this.#created++);
    const entry: Entry = {
      base: {
        id: rng.guid(),
        type: request.type,
        scope: request.scope,
        requestor: request.requestor,
        requestorComment: request.comment,
        machineId: machine.id,
        computerDnsName: machine.computerDnsName,
        created,
        requestSource: request.requestSource,
        relatedFileInfo: null,
      },
      plan: planFor(request, backOnline(this.#ctx, machine, created), created),
      cancellation: null,
    };
    this.#entries.unshift(entry);
    return { ok: true, action: snapshot(entry, now) };
  }

  cancel(id: string, requestor: string, comment: string): CancelOutcome {
    const entry = this.#find(id);
    if (entry === undefined) return { ok: false, reason: 'not-found' };
    const now = this.#ctx.clock.now;
    const current = snapshot(entry, now);
    if (isFinalStatus(current.status)) return { ok: false, reason: 'final', action: current };
    entry.cancellation = { at: Math.max(now, entry.base.created), requestor, comment };
    return { ok: true, action: snapshot(entry, now) };
  }

  #find(id: string): Entry | undefined {
    return this.#entries.find((entry) => entry.base.id.toLowerCase() === id.toLowerCase());
  }
}

/** A device offline when asked (back at `back`) starts when it is back, if that is within the timeout. */
function planFor(request: ActionRequest, back: Ticks, created: Ticks): Plan {
  if (back - created >= OFFLINE_TIMEOUT_TICKS)
    return { inProgressAt: undefined, finalAt: created + OFFLINE_TIMEOUT_TICKS, finalStatus: 'TimeOut' };
  const key =
    request.type === 'RunAntiVirusScan' ? `${request.type}:${request.scope ?? 'Quick'}` : request.type;
  const duration = ACTION_DURATION_TICKS[key] ?? 5 * MINUTES;
  return { inProgressAt: back + PICKUP_TICKS, finalAt: back + duration, finalStatus: 'Succeeded' };
}

function snapshot(entry: Entry, now: Ticks): MachineAction {
  const { plan, cancellation } = entry;
  const at = (status: MachineActionStatus, lastUpdate: Ticks): MachineAction => ({
    ...entry.base,
    status,
    lastUpdate,
    cancellation: status === 'Cancelled' ? cancellation : null,
  });
  // A cancellation only wins over a state the action had not reached yet when it was cancelled.
  if (cancellation !== null && cancellation.at < plan.finalAt) return at('Cancelled', cancellation.at);
  if (now >= plan.finalAt) return at(plan.finalStatus, plan.finalAt);
  if (plan.inProgressAt !== undefined && now >= plan.inProgressAt) return at('InProgress', plan.inProgressAt);
  return at('Pending', entry.base.created);
}

function seededEntry(ctx: BookContext, rng: Rng, now: Ticks, initialMachines: number): Entry {
  const machine = describeMachine(ctx, rng.int(initialMachines));
  const [type, scope, comment] = rng.pick(KINDS);
  const created = now - rng.int(20 * TICKS_PER_DAY) - rng.int(TICKS_PER_SECOND);
  const status = rng.weighted<MachineActionStatus>([
    ['Succeeded', 80],
    ['Failed', 8],
    ['TimeOut', 6],
    ['Cancelled', 6],
  ]);
  const id = rng.guid();
  const requestor = `${rng.pick(['secops.anna', 'soc.tier2', 'ir.lead'])}@${ctx.identity.tenantDomain}`;
  const lastUpdate = created + (20 + rng.int(600)) * TICKS_PER_SECOND + rng.int(TICKS_PER_SECOND);
  const requestSource = rng.pick(['Portal', 'PublicApi']);
  const relatedFileInfo =
    type === 'StopAndQuarantineFile' ? { fileIdentifier: rng.hex(40), fileIdentifierType: 'Sha1' } : null;
  const cancelled = status === 'Cancelled';
  return {
    base: {
      id,
      type,
      scope,
      requestor,
      requestorComment: comment,
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      created,
      requestSource,
      relatedFileInfo,
    },
    plan: { inProgressAt: undefined, finalAt: cancelled ? lastUpdate + 1 : lastUpdate, finalStatus: status },
    cancellation: cancelled ? { at: lastUpdate, requestor, comment: 'Not needed anymore' } : null,
  };
}

/**
 * The MachineAction record. The docs spell the update time `lastUpdateDateTimeUtc` (entity) and
 * `lastUpdateTimeUtc` (list examples); both are sent so clients written against either work.
 */
export function machineActionRecord(action: MachineAction): Record<string, unknown> {
  const finalFailure = action.status === 'Failed' || action.status === 'TimeOut';
  const { cancellation } = action;
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
    cancellationRequestor: cancellation?.requestor ?? null,
    cancellationComment: cancellation?.comment ?? null,
    cancellationDateTimeUtc: cancellation === null ? null : iso7(cancellation.at),
    errorHResult: finalFailure ? -2145844840 : 0,
    scope: action.scope,
    externalId: null,
    requestSource: action.requestSource,
    relatedFileInfo: action.relatedFileInfo,
    commands: [],
    troubleshootInfo: null,
  };
}
