import { SimClock, type ClockSettings } from '../clock.js';
import { deriveIdentity, type TenantIdentity } from '../identity.js';
import { AlertBook, type AlertContext } from './alerts.js';
import type { FindingContext } from './findings.js';
import { MachineActionBook } from './machine-actions.js';
import { describeMachine, machineIndexFromId, type MachineCore } from './machines.js';
import { Population } from './population.js';
import { worldRates, type WorldRates } from './rates.js';
import { VulnerabilityCatalog } from './vulnerability-catalog.js';

export interface TenantOptions {
  readonly seed: number;
  readonly machines: number;
  readonly findingsPerMachine: number;
  /** Default frozen. */
  readonly clock?: ClockSettings | undefined;
  /** Scales how much changes a step (default 1; see `worldRates`). */
  readonly churn?: number | undefined;
}

/**
 * The simulated tenant: identity, clock, population and catalogs. Records are computed on demand from
 * (seed, index, epoch); nothing per machine or finding is stored, so start-up cost does not grow with size.
 */
export class SimTenant implements FindingContext, AlertContext {
  readonly seed: number;
  readonly identity: TenantIdentity;
  readonly orgName: string;
  readonly clock: SimClock;
  /** How fast the world changes per epoch: per advance when frozen, per 30-minute step when live. */
  readonly rates: WorldRates;
  readonly population: Population;
  readonly catalog: VulnerabilityCatalog;
  readonly findingsPerMachine: number;
  readonly alerts: AlertBook;
  readonly machineActions: MachineActionBook;

  constructor(options: TenantOptions) {
    this.seed = options.seed;
    this.identity = deriveIdentity(options.seed);
    this.orgName = this.identity.orgName;
    this.clock = new SimClock(options.seed, options.clock);
    this.rates = worldRates(this.clock.mode, options.churn);
    this.population = new Population(options.seed, options.machines, this.rates);
    this.catalog = new VulnerabilityCatalog(options.seed, this.clock.now);
    this.findingsPerMachine = options.findingsPerMachine;
    this.alerts = new AlertBook(this, options.machines);
    this.machineActions = new MachineActionBook(this, options.machines);
  }

  get epoch(): number {
    return this.clock.epoch;
  }

  machine(index: number): MachineCore {
    return describeMachine(this, index);
  }

  /** A machine alive at `epoch` by its id or its computer name (as `GET /api/machines/{id}` accepts). */
  findMachine(idOrName: string, epoch: number): MachineCore | undefined {
    const index = machineIndexFromId(idOrName, this.seed);
    if (index !== undefined) {
      if (!this.population.isAlive(index, epoch)) return undefined;
      const core = this.machine(index);
      return core.id === idOrName.toLowerCase() ? core : undefined;
    }
    const name = idOrName.toLowerCase();
    for (const candidate of this.population.alive(epoch)) {
      const core = this.machine(candidate);
      if (
        core.computerDnsName !== null &&
        (core.computerDnsName === name || core.computerDnsName.split('.')[0] === name)
      )
        return core;
    }
    return undefined;
  }
}
