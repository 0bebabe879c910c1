import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EpochCache } from './epoch-cache.js';
import { iso7 } from '../time.js';
import { findingSlots, isOpenAt } from './findings.js';
import { groupIncidents } from './incidents.js';
import type { SimTenant } from './tenant.js';
import { CATALOG_SIZE, SEVERITIES, type Severity } from './vulnerability-catalog.js';

/** `GET /_sim/truth/summary`: what a complete read of the tenant must find, as of the current epoch. */
export interface TruthSummary {
  readonly epoch: number;
  readonly now: string;
  readonly machines: number;
  /** Records the full export returns (with and without CVE). */
  readonly findings: number;
  readonly findingsWithoutCve: number;
  readonly vulnerabilities: number;
  readonly alerts: number;
  readonly incidents: number;
  readonly byPlatform: Record<string, number>;
  readonly byOnboardingStatus: Record<string, number>;
  /** Over findings with a CVE. */
  readonly bySeverity: Record<Severity, number>;
}

export interface TruthData {
  readonly summary: TruthSummary;
  /** Open findings per machine, by position in `population.alive(epoch)`. */
  readonly findingsPerMachine: Uint32Array;
  /** Machines exposed to each CVE (the catalog's `exposedMachines`). */
  readonly exposedMachines: Uint32Array;
}

const MACHINES_PER_SLICE = 2000;

/**
 * Counts the tenant by walking compact finding slots, never export records, and yields to the event loop between
 * slices so a 5-million-finding count does not stall the server. One result is kept per epoch.
 */
export class TruthLedger {
  readonly #tenant: SimTenant;
  readonly #cache = new EpochCache<TruthData>((epoch) => this.#compute(epoch));

  constructor(tenant: SimTenant) {
    this.#tenant = tenant;
  }

  data(epoch: number): Promise<TruthData> {
    return this.#cache.get(epoch);
  }

  async #compute(epoch: number): Promise<TruthData> {
    const tenant = this.#tenant;
    const alive = tenant.population.alive(epoch);
    const perMachine = new Uint32Array(alive.length);
    const exposed = new Uint32Array(CATALOG_SIZE);
    const byPlatform: Record<string, number> = {};
    const byOnboardingStatus: Record<string, number> = {};
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    let findings = 0;
    let withoutCve = 0;
    for (let position = 0; position < alive.length; position++) {
      if (position > 0 && position % MACHINES_PER_SLICE === 0) await yieldToEventLoop();
      const core = tenant.machine(alive[position] ?? 0);
      byPlatform[core.platform.osPlatform] = (byPlatform[core.platform.osPlatform] ?? 0) + 1;
      byOnboardingStatus[core.onboardingStatus] = (byOnboardingStatus[core.onboardingStatus] ?? 0) + 1;
      let open = 0;
      for (const slot of findingSlots(tenant, core, epoch)) {
        if (!isOpenAt(slot, epoch)) continue;
        open++;
        if (slot.cveIndex < 0) {
          withoutCve++;
          continue;
        }
        exposed[slot.cveIndex] = (exposed[slot.cveIndex] ?? 0) + 1;
        const severity = tenant.catalog.at(slot.cveIndex).severity;
        bySeverity[severity]++;
      }
      perMachine[position] = open;
      findings += open;
    }
    const alerts = tenant.alerts.states(epoch);
    return {
      summary: {
        epoch,
        now: iso7(tenant.clock.epochStart(epoch)),
        machines: alive.length,
        findings,
        findingsWithoutCve: withoutCve,
        vulnerabilities: CATALOG_SIZE,
        alerts: alerts.length,
        incidents: groupIncidents(alerts).length,
        byPlatform,
        byOnboardingStatus,
        bySeverity,
      },
      findingsPerMachine: perMachine,
      exposedMachines: exposed,
    };
  }
}
