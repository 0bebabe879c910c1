import type { Finding, Software } from '../defender/index.js';
import type { FindingSoftwareCves, SyncRun } from '../store/index.js';

/**
 * Software → CVE lists from the vulnerability export. Each export row names its product (`softwareVendor`,
 * `softwareName`, the two halves of the software id `vendor-_-name`) and its CVE, so the findings run already
 * holds what `GET /api/Software/{id}/vulnerabilities` answers product by product: the CVEs open on at least one
 * machine. The software run takes them from here and calls Defender only for a product the findings cannot answer.
 */

/** The software id a finding's product has, compared without letter case (Defender sends both lower case). */
export function softwareKey(vendor: string, name: string): string {
  return `${vendor}-_-${name}`.toLowerCase();
}

/** The distinct product × CVE pairs of one findings run, gathered row by row as the export is read. */
export class SoftwareCveTally {
  readonly #cves = new Map<string, Set<string>>();

  add(finding: Pick<Finding, 'softwareVendor' | 'softwareName' | 'cveId'>): void {
    const { softwareVendor: vendor, softwareName: name, cveId } = finding;
    // A row without a CVE is software with nothing open; one without a product names no software id.
    if (cveId == null || vendor == null || name == null) return;
    const key = softwareKey(vendor, name);
    const cves = this.#cves.get(key);
    if (cves === undefined) this.#cves.set(key, new Set([cveId]));
    else cves.add(cveId);
  }

  /** Product key → its CVEs, as the store keeps them. */
  byProduct(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#cves;
  }
}

/** The findings run the tally would come from. */
export type FindingsRun = Pick<SyncRun, 'id' | 'status' | 'finishedAt'>;

/**
 * Which products' CVE lists the stored findings answer. They answer only when the integration's latest findings
 * run succeeded, tallied what is stored, and finished at most `maxAgeMs` ago (one machines interval: the findings
 * follow each machines run, so an older one means that chain is failing and its tally may be out of date). A run
 * still going, failed or cancelled, or one by a hub before this version, leaves the per-product call. Then, per
 * product, only when the tally counts exactly the CVEs Defender's software list says it has (`weaknesses`), so a
 * product named differently in the export, or whose CVEs changed since the findings run, is still asked for.
 */
export class FindingsCveAnswer {
  readonly #cves: ReadonlyMap<string, readonly string[]> | undefined;
  #answered = 0;
  #asked = 0;

  private constructor(cves: ReadonlyMap<string, readonly string[]> | undefined) {
    this.#cves = cves;
  }

  /** The integration does not import vulnerabilities: every product is asked for. */
  static none(): FindingsCveAnswer {
    return new FindingsCveAnswer(undefined);
  }

  static from(
    latest: FindingsRun | undefined,
    stored: FindingSoftwareCves,
    freshness: { readonly now: Date; readonly maxAgeMs: number },
  ): FindingsCveAnswer {
    const fresh =
      latest?.finishedAt != null &&
      freshness.now.getTime() - Date.parse(latest.finishedAt) <= freshness.maxAgeMs;
    const usable =
      fresh && latest.status === 'succeeded' && (stored.runId === undefined || stored.runId === latest.id);
    return new FindingsCveAnswer(usable ? stored.cves : undefined);
  }

  /** The product's CVEs when the findings answer for it; undefined when Defender must be asked. */
  cvesOf(product: Pick<Software, 'id' | 'weaknesses'>): readonly string[] | undefined {
    const cves = this.#answer(product);
    if (cves === undefined) this.#asked++;
    else this.#answered++;
    return cves;
  }

  #answer(product: Pick<Software, 'id' | 'weaknesses'>): readonly string[] | undefined {
    if (this.#cves === undefined || product.weaknesses == null) return undefined;
    const cves = this.#cves.get(product.id.toLowerCase()) ?? [];
    return cves.length === product.weaknesses ? cves : undefined;
  }

  /** For the run's completeness note. */
  describe(): string {
    if (this.#cves === undefined)
      return 'CVE lists: every product asked of Defender (no usable findings run)';
    return `CVE lists: ${this.#answered} of ${this.#answered + this.#asked} products from the findings, ${this.#asked} asked of Defender`;
  }
}
