import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EpochCache } from './epoch-cache.js';
import { installedOn, openFindings, type FindingContext } from './findings.js';
import type { MachineCore } from './machines.js';
import { PRODUCT_LIST } from './software-catalog.js';
import type { SimTenant } from './tenant.js';

/** One product on one machine as of an epoch, with the CVEs of it still open there. */
export interface InventoryItem {
  readonly productIndex: number;
  readonly version: string;
  /** Catalog indices of the open findings of this product on the machine. */
  readonly cves: readonly number[];
}

/**
 * The machine's software inventory as of `epoch`. Defender inventories the devices it assesses (the ones with a
 * sensor, and IoT devices it scans); of a device it does not assess it knows only what that device's export rows
 * name. Either way every open finding's product is in the inventory, and every exposed product has a finding.
 */
export function machineInventory(ctx: FindingContext, core: MachineCore, epoch: number): InventoryItem[] {
  const cves = new Map<number, number[]>();
  for (const slot of openFindings(ctx, core, epoch)) {
    const list = cves.get(slot.productIndex) ?? [];
    if (slot.cveIndex >= 0) list.push(slot.cveIndex);
    cves.set(slot.productIndex, list);
  }
  const assessed = core.findingWeight > 0;
  return installedOn(ctx, core)
    .filter((item) => assessed || cves.has(item.productIndex))
    .map((item) => ({ ...item, cves: cves.get(item.productIndex) ?? [] }));
}

export interface VersionTally {
  readonly version: string;
  readonly installations: number;
  /** Distinct CVEs open on machines running this version. */
  readonly vulnerabilities: number;
}

/** A product across the tenant at one epoch; machine lists are indices in list (ascending) order. */
export interface ProductTally {
  readonly productIndex: number;
  readonly installed: Int32Array;
  readonly exposed: Int32Array;
  /** Distinct CVEs of the product open on at least one machine, ascending catalog index. */
  readonly cves: readonly number[];
  readonly versions: readonly VersionTally[];
  /** Σ over exposed machines of the worst open CVSS of this product there, on a 0–1 scale. */
  readonly impact: number;
  readonly exposedHighValue: number;
  /** An exposed machine has an alert that is not resolved. */
  readonly activeAlert: boolean;
}

export interface GroupTally {
  readonly rbacGroupId: number;
  readonly rbacGroupName: string;
  readonly installations: number;
  readonly impact: number;
}

export interface SoftwareData {
  readonly epoch: number;
  /** Products installed on at least one machine, in catalog order. */
  readonly products: readonly ProductTally[];
  /** Every installation in the tenant: the exposure score's denominator. */
  readonly installations: number;
  readonly groups: readonly GroupTally[];
}

class Accumulator {
  readonly installed: number[] = [];
  readonly exposed: number[] = [];
  readonly cves = new Set<number>();
  readonly versions = new Map<string, { installations: number; cves: Set<number> }>();
  impact = 0;
  exposedHighValue = 0;
  activeAlert = false;

  constructor(readonly productIndex: number) {}

  tally(): ProductTally {
    return {
      productIndex: this.productIndex,
      installed: Int32Array.from(this.installed),
      exposed: Int32Array.from(this.exposed),
      cves: [...this.cves].sort((a, b) => a - b),
      versions: [...this.versions].map(([version, v]) => ({
        version,
        installations: v.installations,
        vulnerabilities: v.cves.size,
      })),
      impact: this.impact,
      exposedHighValue: this.exposedHighValue,
      activeAlert: this.activeAlert,
    };
  }
}

const MACHINES_PER_SLICE = 2000;

/**
 * Software counts for the whole tenant, walked once per epoch from the same finding slots as the truth summary
 * (in slices that yield to the event loop) and cached, so a Software lookup on a 100,000-machine tenant costs
 * one walk, not one per request.
 */
export class SoftwareLedger {
  readonly #tenant: SimTenant;
  readonly #cache = new EpochCache<SoftwareData>((epoch) => this.#compute(epoch));

  constructor(tenant: SimTenant) {
    this.#tenant = tenant;
  }

  data(epoch: number): Promise<SoftwareData> {
    return this.#cache.get(epoch);
  }

  async #compute(epoch: number): Promise<SoftwareData> {
    const tenant = this.#tenant;
    const alive = tenant.population.alive(epoch);
    const alerted = new Set(
      tenant.alerts
        .states(epoch)
        .filter((alert) => alert.status !== 'Resolved')
        .map((alert) => alert.machine.index),
    );
    const products = PRODUCT_LIST.map((_, index) => new Accumulator(index));
    const groups = new Map<number, { rbacGroupName: string; installations: number; impact: number }>();
    let installations = 0;
    for (let position = 0; position < alive.length; position++) {
      if (position > 0 && position % MACHINES_PER_SLICE === 0) await yieldToEventLoop();
      const core = tenant.machine(alive[position] ?? 0);
      const items = machineInventory(tenant, core, epoch);
      const group = groups.get(core.rbacGroup.id) ?? {
        rbacGroupName: core.rbacGroup.name ?? 'Unassigned',
        installations: 0,
        impact: 0,
      };
      groups.set(core.rbacGroup.id, group);
      group.installations += items.length;
      installations += items.length;
      for (const item of items) {
        const impact = this.#count(products[item.productIndex], core, item, alerted.has(core.index));
        group.impact += impact;
      }
    }
    return {
      epoch,
      products: products.filter((p) => p.installed.length > 0).map((p) => p.tally()),
      installations,
      groups: [...groups].sort(([a], [b]) => a - b).map(([rbacGroupId, g]) => ({ rbacGroupId, ...g })),
    };
  }

  /** Adds one installation; returns its share of the exposure (0 when nothing of it is open). */
  #count(acc: Accumulator | undefined, core: MachineCore, item: InventoryItem, alerted: boolean): number {
    if (acc === undefined) return 0;
    acc.installed.push(core.index);
    const version = acc.versions.get(item.version) ?? { installations: 0, cves: new Set<number>() };
    acc.versions.set(item.version, version);
    version.installations++;
    if (item.cves.length === 0) return 0;
    acc.exposed.push(core.index);
    let worst = 0;
    for (const cve of item.cves) {
      acc.cves.add(cve);
      version.cves.add(cve);
      worst = Math.max(worst, this.#tenant.catalog.at(cve).cvssV3);
    }
    const impact = worst / 10;
    acc.impact += impact;
    if (core.record.deviceValue === 'High') acc.exposedHighValue++;
    if (alerted) acc.activeAlert = true;
    return impact;
  }
}

const ledgers = new WeakMap<SimTenant, SoftwareLedger>();

/** The tenant's one ledger (kept beside the tenant, so every route and the truth routes share its walk). */
export function softwareLedger(tenant: SimTenant): SoftwareLedger {
  let ledger = ledgers.get(tenant);
  if (ledger === undefined) {
    ledger = new SoftwareLedger(tenant);
    ledgers.set(tenant, ledger);
  }
  return ledger;
}
