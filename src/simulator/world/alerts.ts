import type { TenantIdentity } from '../identity.js';
import { hash, permute, rngFor, Stream, unit, unpermute, type Rng } from '../random.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_SECOND, type Ticks } from '../time.js';
import { ALERT_TEMPLATES, type AlertTemplate, type MdeSeverity } from './alert-templates.js';
import { describeMachine, quietSpellAt, type MachineContext, type MachineCore } from './machines.js';
import { Arrivals, perEpoch } from './rates.js';

export type AlertStatus = 'New' | 'InProgress' | 'Resolved';

export interface AlertContext extends MachineContext {
  readonly identity: TenantIdentity;
}

export interface AlertUser {
  readonly accountName: string;
  readonly domainName: string;
  readonly userSid: string;
  readonly aadUserId: string;
  readonly userPrincipalName: string;
}

/** One alert as of one epoch, in compact form; the MDE and Graph records are rendered from it. */
export interface AlertState {
  readonly index: number;
  readonly id: string;
  /** Index of the alert that opened the incident this one belongs to. */
  readonly incidentIndex: number;
  readonly incidentId: number;
  readonly template: AlertTemplate;
  readonly machine: MachineCore;
  readonly severity: MdeSeverity;
  readonly created: Ticks;
  readonly firstEvent: Ticks;
  readonly lastEvent: Ticks;
  readonly lastUpdate: Ticks;
  readonly status: AlertStatus;
  readonly resolved: Ticks | null;
  readonly classification: string | null;
  readonly determination: string | null;
  readonly assignedTo: string | null;
  readonly investigationId: number | null;
  readonly investigationState: string;
  readonly detectorId: string;
  readonly user: AlertUser | null;
}

/**
 * Alerts per machine in the initial window. How many arrive per epoch and how many move on: `rates.alertArrival`
 * and `rates.alertUpdate` (world/rates.ts).
 */
const ALERTS_PER_MACHINE = 0.3;
const MIN_ALERTS = 5;
const WINDOW = 30 * TICKS_PER_DAY;
const INCIDENT_ID_BASE = 10_000;
/** .NET ticks of 2010-01-01, the origin of simulator ticks (alert ids embed .NET ticks, as Defender's do). */
const DOTNET_TICKS_AT_ORIGIN = 633_979_008_000_000_000n;
const ANALYSTS = ['secops.anna', 'secops.ben', 'soc.tier2', 'ir.lead'];
const USERS = [
  'anna.meier',
  'ben.okafor',
  'carla.diaz',
  'dev.patel',
  'elif.yilmaz',
  'farid.haddad',
  'grace.lee',
  'hiro.sato',
];

/**
 * The alert history. Alert `a` is born at an epoch (the initial 30-day window, then a block per epoch), lives on
 * a machine alive (and not quiet) at that time, and moves New → InProgress → Resolved at deterministic later
 * epochs. Incidents group consecutive alerts: each alert either opens an incident or joins the previous alert's;
 * the first alert of each epoch opens one.
 */
export class AlertBook {
  readonly #ctx: AlertContext;
  readonly #initial: number;
  readonly #arrivals: Arrivals;
  readonly #mask: number;
  #cache: { epoch: number; states: AlertState[] } | undefined;

  constructor(ctx: AlertContext, initialMachines: number) {
    this.#ctx = ctx;
    this.#initial =
      initialMachines === 0 ? 0 : Math.max(MIN_ALERTS, Math.round(initialMachines * ALERTS_PER_MACHINE));
    this.#arrivals = new Arrivals(perEpoch(ctx.rates.alertArrival, this.#initial));
    this.#mask = hash(ctx.seed, Stream.alert, -1);
  }

  count(epoch: number): number {
    return this.#initial + this.#arrivals.through(epoch);
  }

  /** All alerts as of `epoch`, oldest first (cached for the latest epoch asked). */
  states(epoch: number): AlertState[] {
    if (this.#cache?.epoch === epoch) return this.#cache.states;
    const states: AlertState[] = [];
    for (let a = 0; a < this.count(epoch); a++) states.push(this.#state(a, epoch));
    this.#cache = { epoch, states };
    return states;
  }

  byId(id: string, epoch: number): AlertState | undefined {
    const match = /^da\d+_(-?\d+)$/.exec(id);
    if (match === null) return undefined;
    const index = unpermute(Number(match[1]) >>> 0, this.#mask);
    if (index >= this.count(epoch)) return undefined;
    const state = this.states(epoch)[index];
    return state?.id === id ? state : undefined;
  }

  #bornEpoch(index: number): number {
    return index < this.#initial ? 0 : this.#arrivals.epochOf(index - this.#initial);
  }

  /** Alert `index`'s place among those its epoch brought, and how many that epoch brought. */
  #slot(index: number, born: number): { readonly slot: number; readonly of: number } {
    const before = this.#arrivals.through(born - 1);
    return { slot: index - this.#initial - before, of: this.#arrivals.through(born) - before };
  }

  #isIncidentStart(index: number): boolean {
    if (index === 0 || index === this.#initial) return true;
    if (index > this.#initial && this.#slot(index, this.#bornEpoch(index)).slot === 0) return true;
    return unit(this.#ctx.seed, Stream.alert, index, 99) < 0.6;
  }

  /**
   * The machine an alert born at `born` and raised at `created` is on: the first from `start` on that is alive
   * then and not in a quiet spell (a machine that sends nothing raises nothing).
   */
  #machineFor(start: number, born: number, created: Ticks): MachineCore {
    const { population } = this.#ctx;
    const count = population.indexCount(born);
    let machineIndex = start;
    for (let probe = 0; probe < count; probe++, machineIndex = (machineIndex + 1) % count) {
      if (!population.isAlive(machineIndex, born)) continue;
      const core = describeMachine(this.#ctx, machineIndex);
      if (quietSpellAt(this.#ctx, core, created) === undefined) return core;
    }
    return describeMachine(this.#ctx, start);
  }

  #state(index: number, epoch: number): AlertState {
    const { seed, clock, population, identity } = this.#ctx;
    const rng = rngFor(seed, Stream.alert, index);
    const born = this.#bornEpoch(index);
    const bornAt = clock.epochStart(born);
    let created: Ticks;
    if (born === 0) {
      created =
        bornAt - WINDOW + Math.floor(((index + rng.next()) / this.#initial) * (WINDOW - TICKS_PER_HOUR));
    } else {
      const from = clock.epochStart(born - 1);
      const { slot, of } = this.#slot(index, born);
      created = from + Math.floor(((slot + rng.next()) / of) * (bornAt - from));
    }
    created -= created % 1000;
    const machine = this.#machineFor(Math.floor(rng.next() * population.indexCount(born)), born, created);
    const template = rng.pick(ALERT_TEMPLATES);
    const severity = rng.weighted(template.severity);
    const firstEvent = created - (1 + rng.int(300)) * TICKS_PER_SECOND - rng.int(TICKS_PER_SECOND);
    const lastEvent = firstEvent + rng.int(60 * TICKS_PER_SECOND);
    let lastUpdate = Math.min(
      created + (1 + rng.int(600)) * TICKS_PER_SECOND + rng.int(TICKS_PER_SECOND),
      bornAt,
    );
    // Older alerts of the initial window are more likely to have been handled already.
    const age = (bornAt - created) / WINDOW;
    let status: AlertStatus =
      born === 0
        ? rng.chance(0.15 + 0.6 * age)
          ? 'Resolved'
          : rng.chance(0.3)
            ? 'InProgress'
            : 'New'
        : 'New';
    if (born === 0 && status !== 'New')
      lastUpdate = Math.min(lastUpdate + rng.int(2 * TICKS_PER_DAY), bornAt);
    const { alertUpdate } = this.#ctx.rates;
    for (let e = born + 1; e <= epoch && status !== 'Resolved'; e++) {
      const roll = unit(seed, Stream.alertEpoch, index, e);
      if (roll >= alertUpdate) continue;
      status = status === 'New' ? 'InProgress' : 'Resolved';
      const from = clock.epochStart(e - 1);
      lastUpdate = Math.max(
        lastUpdate + 1,
        clock.epochStart(e) - Math.floor((roll / alertUpdate) * (clock.epochStart(e) - from)),
      );
    }
    const outcome = rngFor(seed, Stream.alert, index, 1);
    const truePositive = outcome.chance(0.6);
    const user = template.evidence.includes('user')
      ? alertUser(rng.pick(USERS), identity, rngFor(seed, Stream.alert, index, 2))
      : null;
    let incidentIndex = index;
    while (!this.#isIncidentStart(incidentIndex)) incidentIndex--;
    const id = `da${(DOTNET_TICKS_AT_ORIGIN + BigInt(created + rng.int(1000))).toString()}_${permute(index, this.#mask) | 0}`;
    return {
      index,
      id,
      incidentIndex,
      incidentId: INCIDENT_ID_BASE + incidentIndex,
      template,
      machine,
      severity,
      created,
      firstEvent,
      lastEvent,
      lastUpdate,
      status,
      resolved: status === 'Resolved' ? lastUpdate : null,
      classification:
        status === 'Resolved'
          ? truePositive
            ? 'TruePositive'
            : outcome.pick(['FalsePositive', 'InformationalExpectedActivity'])
          : null,
      determination:
        status === 'Resolved'
          ? truePositive
            ? outcome.pick(['Malware', 'MultiStagedAttack', 'UnwantedSoftware'])
            : outcome.pick(['Clean', 'SecurityTesting', 'LineOfBusinessApplication'])
          : null,
      assignedTo: status === 'New' ? null : `${outcome.pick(ANALYSTS)}@${identity.tenantDomain}`,
      investigationId: template.detectionSource === 'WindowsDefenderAtp' ? 700_000 + index : null,
      investigationState:
        status === 'New'
          ? 'Queued'
          : status === 'InProgress'
            ? 'Running'
            : truePositive
              ? 'SuccessfullyRemediated'
              : 'Benign',
      detectorId: rngFor(seed, Stream.alert, ALERT_TEMPLATES.indexOf(template), 3).guid(),
      user,
    };
  }
}

function alertUser(name: string, identity: TenantIdentity, rng: Rng): AlertUser {
  return {
    accountName: name,
    domainName: identity.orgName.toUpperCase(),
    userSid: `S-1-5-21-${rng.between(1_000_000_000, 2_100_000_000)}-${rng.between(1_000_000_000, 2_100_000_000)}-${rng.between(100_000_000, 999_999_999)}-${rng.between(1000, 99_999)}`,
    aadUserId: rng.guid(),
    userPrincipalName: `${name}@${identity.tenantDomain}`,
  };
}
