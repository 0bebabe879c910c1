import { geometric, hash, rngFor, Stream, unit, type Rng } from '../random.js';
import { eventTimestamp, exportTimestamp, TICKS_PER_HOUR, type Ticks } from '../time.js';
import {
  machineLastSeen,
  ONBOARDED_SHARE,
  quietSpellsBetween,
  type MachineContext,
  type MachineCore,
} from './machines.js';
import { FINDING_FACTOR_NORMALISER } from './platforms.js';
import { PRODUCT_LIST, productIndex, type SoftwareProduct } from './software-catalog.js';
import type { VulnerabilityCatalog } from './vulnerability-catalog.js';

/**
 * Share of fixed findings that come back later (a rolled-back update, an app reinstalled); the chance per epoch
 * that such a finding reappears once its fix has been seen is `rates.findingReopen`. How many findings are fixed
 * and found per epoch: `rates.findingFix` and `rates.findingNew` (world/rates.ts).
 */
const REOPEN_SHARE = 0.25;
/** Share of machines that also report one installed product without any CVE (export rows with `cveId: null`). */
const NO_CVE_RATE = 0.03;
/** The OS carries most of a machine's CVEs. */
const OS_WEIGHT = 3;

export interface FindingContext extends MachineContext {
  readonly catalog: VulnerabilityCatalog;
  readonly findingsPerMachine: number;
}

/** One row of the export in compact form; records are built from it only when they are sent. */
export interface FindingSlot {
  readonly productIndex: number;
  readonly version: string;
  /** Catalog index, or -1 for installed software without a CVE. */
  readonly cveIndex: number;
  readonly addedEpoch: number;
  /** First epoch at which the finding is gone (Infinity: never fixed). */
  readonly fixEpoch: number;
  /** First epoch at which a fixed finding is back for good (Infinity: it stays fixed). */
  readonly reopenEpoch: number;
  readonly firstSeen: Ticks;
  /** Stable per machine; feeds the per-finding hashes. */
  readonly key: number;
}

export type ChangeStatus = 'New' | 'Fixed';

export interface FindingChange {
  readonly slot: FindingSlot;
  readonly status: ChangeStatus;
  readonly at: Ticks;
}

interface Installed {
  readonly productIndex: number;
  readonly product: SoftwareProduct;
  readonly version: string;
  readonly versionIndex: number;
  readonly weight: number;
}

/**
 * Which epochs from `born` to `epoch` begin while the machine is in a quiet spell (by epoch − born), or undefined
 * when none does: a quiet machine reports no finding found or fixed until it is back.
 */
function quietEpochs(
  ctx: FindingContext,
  core: MachineCore,
  born: number,
  epoch: number,
): Uint8Array | undefined {
  const { clock } = ctx;
  const spells = quietSpellsBetween(ctx, core, clock.epochStart(born), clock.epochStart(epoch));
  if (spells.length === 0) return undefined;
  const flags = new Uint8Array(epoch - born + 1);
  for (const spell of spells) {
    const last = Math.min(epoch, clock.firstEpochNotBefore(spell.end) - 1);
    for (let e = Math.max(born, clock.firstEpochNotBefore(spell.start)); e <= last; e++) flags[e - born] = 1;
  }
  return flags;
}

/**
 * Every finding the machine has had up to `epoch` (fixed ones included). Base findings come from a window of the
 * product's CVE list that starts at a position fixed per product version (machines on the same version share
 * CVEs, as in real fleets); later epochs extend the window, so ids never repeat on one machine. While the machine
 * is quiet nothing new is found, and what it fixed or reinstalled shows at the first epoch it is back.
 */
export function findingSlots(ctx: FindingContext, core: MachineCore, epoch: number): FindingSlot[] {
  const rng = rngFor(ctx.seed, Stream.findings, core.index);
  const installed = installedSoftware(core, rng);
  const born = ctx.population.bornEpoch(core.index);
  const { findingFix, findingNew, findingReopen } = ctx.rates;
  const quiet = core.reporting ? quietEpochs(ctx, core, born, epoch) : undefined;
  const isQuiet = (e: number): boolean =>
    quiet !== undefined && e >= born && e <= epoch && quiet[e - born] === 1;
  /** The first epoch from `e` on when the machine reports (epochs after `epoch` are left as they are). */
  const reportingFrom = (e: number): number => {
    let at = e;
    while (isQuiet(at)) at++;
    return at;
  };
  // Devices without a sensor have no findings; the others make up for them so the fleet average holds.
  const target =
    (ctx.findingsPerMachine * core.platform.findingFactor * core.findingWeight) /
    (FINDING_FACTOR_NORMALISER * ONBOARDED_SHARE);
  const totalWeight = installed.reduce((sum, item) => sum + item.weight, 0);
  const baseTime = Math.min(ctx.clock.epochStart(born), machineLastSeen(ctx, core, born));
  const slots: FindingSlot[] = [];
  for (const item of installed) {
    const cves = ctx.catalog.byProduct[item.productIndex] ?? [];
    if (cves.length === 0 || totalWeight === 0) continue;
    const start = hash(ctx.seed, Stream.findingSlot, item.productIndex, item.versionIndex) % cves.length;
    const baseCount = Math.min(cves.length, Math.floor((target * item.weight) / totalWeight + rng.next()));
    const add = (k: number, addedEpoch: number, firstSeen: Ticks): void => {
      const key = item.productIndex * 100_000 + k;
      const fixEpoch = core.reporting
        ? reportingFrom(
            addedEpoch + geometric(unit(ctx.seed, Stream.findingSlot, core.index, key), findingFix),
          )
        : Number.POSITIVE_INFINITY;
      const cveIndex = cves[(start + k) % cves.length] ?? -1;
      const reopens =
        Number.isFinite(fixEpoch) && unit(ctx.seed, Stream.findingEpoch, core.index, key, -1) < REOPEN_SHARE;
      const reopenEpoch = reopens
        ? reportingFrom(
            fixEpoch + geometric(unit(ctx.seed, Stream.findingEpoch, core.index, key, -2), findingReopen),
          )
        : Number.POSITIVE_INFINITY;
      slots.push({
        productIndex: item.productIndex,
        version: item.version,
        cveIndex,
        addedEpoch,
        fixEpoch,
        reopenEpoch,
        firstSeen,
        key,
      });
    };
    for (let k = 0; k < baseCount; k++) {
      const u = unit(ctx.seed, Stream.findingSlot, core.index, k, item.productIndex);
      add(k, born, core.firstSeen + Math.floor(u * Math.max(0, baseTime - core.firstSeen)));
    }
    if (!core.reporting) continue;
    let next = baseCount;
    for (let e = born + 1; e <= epoch && next < cves.length; e++) {
      if (isQuiet(e)) continue;
      const fresh = Math.floor(
        baseCount * findingNew + unit(ctx.seed, Stream.findingEpoch, core.index, item.productIndex, e),
      );
      const from = ctx.clock.epochStart(e - 1);
      const to = ctx.clock.epochStart(e);
      for (let n = 0; n < fresh && next < cves.length; n++, next++) {
        add(
          next,
          e,
          to -
            Math.floor(
              unit(ctx.seed, Stream.findingEpoch, core.index, next, item.productIndex) * (to - from),
            ),
        );
      }
    }
  }
  const plain = installed.filter((item) => item.productIndex !== osProductIndex(core));
  if (plain.length > 0 && rng.chance(NO_CVE_RATE)) {
    const item = rng.pick(plain);
    slots.push({
      productIndex: item.productIndex,
      version: item.version,
      cveIndex: -1,
      addedEpoch: born,
      fixEpoch: Number.POSITIVE_INFINITY,
      reopenEpoch: Number.POSITIVE_INFINITY,
      firstSeen: core.firstSeen,
      key: -1,
    });
  }
  return slots;
}

/** Whether the finding is open at `epoch`: found, and not fixed or back since. */
export function isOpenAt(slot: FindingSlot, epoch: number): boolean {
  return slot.addedEpoch <= epoch && (epoch < slot.fixEpoch || epoch >= slot.reopenEpoch);
}

/** Findings open at `epoch`: what the full export returns for the machine. */
export function openFindings(ctx: FindingContext, core: MachineCore, epoch: number): FindingSlot[] {
  return findingSlots(ctx, core, epoch).filter((slot) => isOpenAt(slot, epoch));
}

/** What changed on the machine during epoch `epoch` (between the previous advance and this one). */
export function findingChanges(ctx: FindingContext, core: MachineCore, epoch: number): FindingChange[] {
  const from = ctx.clock.epochStart(epoch - 1);
  const to = ctx.clock.epochStart(epoch);
  const changes: FindingChange[] = [];
  for (const slot of findingSlots(ctx, core, epoch)) {
    const u = unit(ctx.seed, Stream.findingEpoch, core.index, slot.key, epoch);
    if (slot.fixEpoch === epoch) {
      changes.push({ slot, status: 'Fixed', at: to - Math.floor(u * (to - from)) });
    } else if (slot.reopenEpoch === epoch) {
      changes.push({ slot, status: 'New', at: to - Math.floor(u * (to - from)) });
    } else if (slot.addedEpoch === epoch) {
      changes.push({ slot, status: 'New', at: slot.firstSeen });
    }
  }
  return changes;
}

/**
 * What leaves the snapshot with a machine that left at `epoch` (offboarded, or gone from the inventory): the
 * delta is the difference between two snapshots, so each finding it had open says Fixed.
 */
export function departedChanges(ctx: FindingContext, core: MachineCore, epoch: number): FindingChange[] {
  const from = ctx.clock.epochStart(epoch - 1);
  const to = ctx.clock.epochStart(epoch);
  return openFindings(ctx, core, epoch - 1).map((slot) => {
    const u = unit(ctx.seed, Stream.findingEpoch, core.index, slot.key, epoch);
    return { slot, status: 'Fixed', at: to - Math.floor(u * (to - from)) };
  });
}

/** What the machine's platform installed (the products its findings are drawn from), in install order. */
export function installedOn(
  ctx: FindingContext,
  core: MachineCore,
): { readonly productIndex: number; readonly version: string }[] {
  // The same stream and draw order as findingSlots, which starts by drawing the installed software.
  return installedSoftware(core, rngFor(ctx.seed, Stream.findings, core.index)).map((item) => ({
    productIndex: item.productIndex,
    version: item.version,
  }));
}

function osProductIndex(core: MachineCore): number {
  return core.platform.osProduct === null ? -1 : productIndex(core.platform.osProduct);
}

function installedSoftware(core: MachineCore, rng: Rng): Installed[] {
  const installed: Installed[] = [];
  const osIndex = osProductIndex(core);
  const osProduct = PRODUCT_LIST[osIndex];
  if (osProduct !== undefined) {
    // Windows/macOS/mobile report the OS build itself; Linux reports its kernel package.
    const known = osProduct.versions.indexOf(core.osVersion);
    const versionIndex = known >= 0 ? known : rng.int(osProduct.versions.length);
    const version = osProduct.versions[versionIndex] ?? core.osVersion;
    installed.push({
      productIndex: osIndex,
      product: osProduct,
      version,
      versionIndex,
      weight: osProduct.cveShare * OS_WEIGHT,
    });
  }
  for (const [key, rate] of core.platform.software) {
    if (!rng.chance(rate)) continue;
    const index = productIndex(key);
    const product = PRODUCT_LIST[index];
    if (product === undefined) continue;
    const versionIndex = rng.int(product.versions.length);
    installed.push({
      productIndex: index,
      product,
      version: product.versions[versionIndex] ?? '',
      versionIndex,
      weight: product.cveShare,
    });
  }
  return installed;
}

const WINDOWS_FAMILIES = new Set(['workstation', 'server']);

/** The export record (the JSON flavour's camelCase shape); `securityUpdateAvailable` only in the full export. */
export function exportRecord(
  ctx: FindingContext,
  core: MachineCore,
  slot: FindingSlot,
  lastSeen: Ticks,
  flavour: 'full' | 'delta',
): Record<string, unknown> {
  const product = PRODUCT_LIST[slot.productIndex] as SoftwareProduct;
  const entry = slot.cveIndex >= 0 ? ctx.catalog.at(slot.cveIndex) : undefined;
  const windows = WINDOWS_FAMILIES.has(core.platform.family);
  const diskPath =
    product.diskPath !== null && product.diskPath.startsWith('C:') === windows ? [product.diskPath] : [];
  const record: Record<string, unknown> = {
    id: `${core.id}_${product.name}_${slot.version}_${entry?.id ?? ''}_`,
    deviceId: core.id,
    rbacGroupName: core.rbacGroup.name ?? 'Unassigned',
    deviceName: core.computerDnsName,
    osPlatform: core.platform.osPlatform,
    osVersion: core.osVersion,
    osArchitecture: core.platform.osArchitecture,
    softwareVendor: product.vendor,
    softwareName: product.name,
    softwareVersion: slot.version,
    cveId: entry?.id ?? null,
    // Documented in the export's field table though Microsoft's examples leave it out.
    cvssScore: entry?.cvssV3 ?? null,
    vulnerabilitySeverityLevel: entry?.severity ?? null,
    recommendedSecurityUpdate: entry?.update.recommendedSecurityUpdate ?? null,
    recommendedSecurityUpdateId: entry?.update.recommendedSecurityUpdateId ?? null,
    recommendedSecurityUpdateUrl: entry?.update.recommendedSecurityUpdateUrl ?? null,
    diskPaths: diskPath,
    registryPaths: windows && product.registryPath !== null ? [product.registryPath] : [],
    lastSeenTimestamp: exportTimestamp(Math.max(slot.firstSeen, lastSeen)),
    firstSeenTimestamp: exportTimestamp(slot.firstSeen),
    exploitabilityLevel: entry?.exploitabilityLevel ?? 'NoExploit',
    recommendationReference: `va-_-${product.vendor}-_-${product.name}`,
  };
  if (flavour === 'full') record.securityUpdateAvailable = entry?.update.securityUpdateAvailable ?? true;
  return record;
}

/** When the export says the finding was last seen as of `epoch`: shortly before the machine's last report. */
export function findingLastSeen(
  ctx: FindingContext,
  core: MachineCore,
  slot: FindingSlot,
  epoch: number,
): Ticks {
  return (
    machineLastSeen(ctx, core, epoch) -
    (hash(ctx.seed, Stream.findingEpoch, core.index, slot.key) % TICKS_PER_HOUR)
  );
}

/** A delta export record. */
export function changeRecord(
  ctx: FindingContext,
  core: MachineCore,
  change: FindingChange,
  epoch: number,
): Record<string, unknown> {
  const lastSeen = change.status === 'Fixed' ? findingLastSeen(ctx, core, change.slot, epoch - 1) : change.at;
  return {
    ...exportRecord(ctx, core, change.slot, lastSeen, 'delta'),
    status: change.status,
    eventTimestamp: eventTimestamp(change.at),
  };
}
