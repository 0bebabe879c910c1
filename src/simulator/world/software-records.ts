import { iso7, msFromTicks, type Ticks } from '../time.js';
import type { MachineCore } from './machines.js';
import { PRODUCT_KEYS, PRODUCT_LIST, type ProductKey, type SoftwareProduct } from './software-catalog.js';
import type { ProductTally, SoftwareData } from './software-inventory.js';
import type { VulnerabilityCatalog } from './vulnerability-catalog.js';

interface EndOfSupport {
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  /** Whether the whole product is out of support or only some of its versions. */
  readonly scope: 'Software' | 'Version';
  /** What the upgrade recommendation points to. */
  readonly successor?: { readonly vendor: string; readonly program: string };
}

/**
 * Vendor lifecycle dates of the catalog's products that end support around the simulated "now" (late 2026):
 * Windows 10 is past it, Windows Server 2016 is weeks away, OpenSSL 1.1.1 (one of its versions) long past.
 */
const END_OF_SUPPORT: Partial<Record<ProductKey, EndOfSupport>> = {
  windows10: {
    date: '2025-10-14',
    scope: 'Software',
    successor: { vendor: 'microsoft', program: 'windows_11' },
  },
  server2016: {
    date: '2027-01-12',
    scope: 'Software',
    successor: { vendor: 'microsoft', program: 'windows_server_2022' },
  },
  openssl: { date: '2023-09-11', scope: 'Version' },
};

const END_OF_SUPPORT_BY_INDEX: readonly (EndOfSupport | undefined)[] = PRODUCT_KEYS.map(
  (key) => END_OF_SUPPORT[key],
);

/** The inventory export's status words: `None`, `EOS Version`, `Upcoming EOS Version`, `EOS Software`, … */
export function endOfSupportStatus(productIndex: number, now: Ticks): string {
  const eos = END_OF_SUPPORT_BY_INDEX[productIndex];
  if (eos === undefined) return 'None';
  const passed = msFromTicks(now) >= Date.parse(`${eos.date}T00:00:00Z`);
  return `${passed ? '' : 'Upcoming '}EOS ${eos.scope}`;
}

function endOfSupportDate(productIndex: number): string | null {
  const eos = END_OF_SUPPORT_BY_INDEX[productIndex];
  return eos === undefined ? null : `${eos.date}T00:00:00+00:00`;
}

export function softwareId(product: SoftwareProduct): string {
  return `${product.vendor}-_-${product.name}`;
}

function productAt(index: number): SoftwareProduct {
  const product = PRODUCT_LIST[index];
  if (product === undefined) throw new RangeError(`no product at ${index}`);
  return product;
}

/** The impact of a share of the exposure on the 0–100 score (what fixing it would take off). */
export function scoreShare(impact: number, installations: number): number {
  return installations === 0 ? 0 : Math.round(((100 * impact) / installations) * 1e8) / 1e8;
}

/** `/api/Software` record: the published fields in the published order, then the inventory's lifecycle fields. */
export function softwareRecord(
  tally: ProductTally,
  data: SoftwareData,
  catalog: VulnerabilityCatalog,
  now: Ticks,
): Record<string, unknown> {
  const product = productAt(tally.productIndex);
  return {
    id: softwareId(product),
    name: product.name,
    vendor: product.vendor,
    weaknesses: tally.cves.length,
    publicExploit: tally.cves.some((cve) => catalog.at(cve).publicExploit),
    activeAlert: tally.activeAlert,
    exposedMachines: tally.exposed.length,
    impactScore: scoreShare(tally.impact, data.installations),
    // Not in the Software table; the counterpart of the recommendation's totalMachineCount.
    installedMachines: tally.installed.length,
    endOfSupportStatus: endOfSupportStatus(tally.productIndex, now),
    endOfSupportDate: endOfSupportDate(tally.productIndex),
  };
}

/** `/api/Software/{id}/distributions` rows. */
export function distributionRecords(tally: ProductTally): Record<string, unknown>[] {
  return tally.versions.map((v) => ({
    version: v.version,
    installations: v.installations,
    vulnerabilities: v.vulnerabilities,
  }));
}

/** `MachineReferences` rows, as the software and vulnerability device lists send them. */
export function machineReference(core: MachineCore): Record<string, unknown> {
  return {
    id: core.id,
    computerDnsName: core.computerDnsName,
    osPlatform: core.platform.osPlatform,
    rbacGroupName: core.rbacGroup.name,
    rbacGroupId: core.rbacGroup.id,
  };
}

/** A product out of support as a whole gets an upgrade; the rest an update, once something of it is open. */
export function isUpgrade(productIndex: number, now: Ticks): boolean {
  return endOfSupportStatus(productIndex, now) === 'EOS Software';
}

export function hasRecommendation(tally: ProductTally, now: Ticks): boolean {
  return tally.exposed.length > 0 || isUpgrade(tally.productIndex, now);
}

/** The machines a recommendation is about: the exposed ones, or every installation for an upgrade. */
export function recommendationMachines(tally: ProductTally, now: Ticks): Int32Array {
  return isUpgrade(tally.productIndex, now) ? tally.installed : tally.exposed;
}

export function recommendationId(product: SoftwareProduct): string {
  return `va-_-${product.vendor}-_-${product.name}`;
}

/** `/api/recommendations` record (software recommendations; the simulator has no configuration ones). */
export function recommendationRecord(
  tally: ProductTally,
  data: SoftwareData,
  catalog: VulnerabilityCatalog,
  now: Ticks,
): Record<string, unknown> {
  const product = productAt(tally.productIndex);
  const upgrade = isUpgrade(tally.productIndex, now);
  const successor = END_OF_SUPPORT_BY_INDEX[tally.productIndex]?.successor;
  const entries = tally.cves.map((cve) => catalog.at(cve));
  return {
    id: recommendationId(product),
    productName: product.name,
    recommendationName: upgrade
      ? `Upgrade ${product.displayName} to a supported version`
      : `Update ${product.displayName}`,
    weaknesses: tally.cves.length,
    vendor: product.vendor,
    recommendedVersion: product.update === 'version' ? product.fixedVersion : '',
    recommendedProgram: upgrade ? (successor?.program ?? '') : '',
    recommendedVendor: upgrade ? (successor?.vendor ?? '') : '',
    recommendationCategory: 'Application',
    subCategory: '',
    severityScore: entries.reduce((worst, e) => Math.max(worst, e.cvssV3), 0),
    publicExploit: entries.some((e) => e.publicExploit),
    activeAlert: tally.activeAlert,
    associatedThreats: [],
    remediationType: upgrade ? 'Upgrade' : 'Update',
    status: 'Active',
    configScoreImpact: 0,
    exposureImpact: scoreShare(tally.impact, data.installations),
    totalMachineCount: tally.installed.length,
    exposedMachinesCount: tally.exposed.length,
    nonProductivityImpactedAssets: 0,
    relatedComponent: product.displayName,
    exposedCriticalDevices: tally.exposedHighValue,
  };
}

/** Recommendations, most exposure first (ties by id), as the portal ranks them. */
export function rankedRecommendations(data: SoftwareData, now: Ticks): ProductTally[] {
  return data.products
    .filter((tally) => hasRecommendation(tally, now))
    .sort(
      (a, b) =>
        b.impact - a.impact ||
        recommendationId(productAt(a.productIndex)).localeCompare(
          recommendationId(productAt(b.productIndex)),
        ),
    );
}

/** `{time, score}` and per group `{time, score, rbacGroupName, rbacGroupId}`. */
export function exposureScoreRecord(data: SoftwareData, now: Ticks): Record<string, unknown> {
  const impact = data.products.reduce((sum, p) => sum + p.impact, 0);
  return { time: iso7(now), score: scoreShare(impact, data.installations) };
}

export function groupScoreRecords(data: SoftwareData, now: Ticks): Record<string, unknown>[] {
  return data.groups
    .filter((g) => g.installations > 0)
    .map((g) => ({
      time: iso7(now),
      score: scoreShare(g.impact, g.installations),
      rbacGroupName: g.rbacGroupName,
      rbacGroupId: g.rbacGroupId,
    }));
}

/** The tally of a software id (`vendor-_-name`, any letter case). */
export function tallyBySoftwareId(data: SoftwareData, id: string): ProductTally | undefined {
  const wanted = id.toLowerCase();
  return data.products.find((t) => softwareId(productAt(t.productIndex)) === wanted);
}

export function tallyByRecommendationId(
  data: SoftwareData,
  id: string,
  now: Ticks,
): ProductTally | undefined {
  const wanted = id.toLowerCase();
  return rankedRecommendations(data, now).find((t) => recommendationId(productAt(t.productIndex)) === wanted);
}
