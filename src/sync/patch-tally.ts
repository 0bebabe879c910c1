import type { Finding } from '../defender/index.js';
import { PatchMetadataAccumulator } from '../domain/patch-metadata.js';
import type { PatchRecord } from '../store/index.js';

/** The larger of two optional texts (code-unit order, as the databases' byte order for these ids). */
function larger(a: string | null, b: string | null | undefined): string | null {
  if (b == null) return a;
  return a === null || b > a ? b : a;
}

/** Ids in a growable typed array: millions of them over a large tenant cost 4 bytes each. */
class IdList {
  #ids = new Uint32Array(16);
  #length = 0;

  push(id: number): void {
    if (this.#length === this.#ids.length) {
      const grown = new Uint32Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    this.#ids[this.#length++] = id;
  }

  /** Ascending, each once (a device whose rows were not listed together adds its pair twice). */
  distinctSorted(): Uint32Array {
    const ids = this.#ids.subarray(0, this.#length).sort();
    let kept = 0;
    for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[kept++] = ids[i] ?? 0;
    return ids.subarray(0, kept);
  }
}

class PatchAggregate {
  readonly metadata = new PatchMetadataAccumulator();
  /** Hub ids of the endpoints it applies to. */
  readonly endpoints = new IdList();
  /** The devices it applies to that are not endpoints, by the tally's own numbering of them. */
  readonly others = new IdList();
  readonly cves = new Set<string>();
  readonly versions = new Set<string>();
  name: string | null = null;
  updateId: string | null = null;
  updateUrl: string | null = null;
  vendor: string | null = null;
  software: string | null = null;
  maxCvss: number | null = null;

  add(finding: Finding): void {
    this.metadata.add({
      severity: finding.vulnerabilitySeverityLevel,
      exploitabilityLevel: finding.exploitabilityLevel,
      updateAvailable: finding.securityUpdateAvailable,
    });
    if (finding.cveId != null) this.cves.add(finding.cveId);
    if (finding.softwareVersion != null) this.versions.add(finding.softwareVersion);
    this.name = larger(this.name, finding.recommendedSecurityUpdate);
    this.updateId = larger(this.updateId, finding.recommendedSecurityUpdateId);
    this.updateUrl = larger(this.updateUrl, finding.recommendedSecurityUpdateUrl);
    this.vendor = larger(this.vendor, finding.softwareVendor);
    this.software = larger(this.software, finding.softwareName);
    const cvss = finding.cvssScore;
    if (cvss != null && (this.maxCvss === null || cvss > this.maxCvss)) this.maxCvss = cvss;
  }
}

/**
 * Each patch of a findings run, aggregated as the findings stream by: its metadata by the domain's rule, its
 * CVEs and versions, and the devices it applies to, endpoints (by hub id) or not. A few hundred patches, never
 * the findings; the same values the SQL recount (`PatchesRepository.refresh`) computes from stored findings.
 */
export class PatchTally {
  readonly #patches = new Map<string, PatchAggregate>();
  /** Devices that are not endpoints, numbered as first met: their pairs cost 4 bytes like an endpoint's. */
  readonly #others = new Map<string, number>();
  #device: string | undefined;
  /** The current device's number among the others; -1 for an endpoint. */
  #other = -1;
  #devicePatches = new Set<string>();

  /** Adds a finding of the endpoint with this hub id, or (undefined) of a device that is not an endpoint. */
  add(key: string, finding: Finding, endpointId: number | undefined): void {
    let patch = this.#patches.get(key);
    if (patch === undefined) {
      patch = new PatchAggregate();
      this.#patches.set(key, patch);
    }
    patch.add(finding);
    // The export lists a device's rows together: a pair is noted once per run of the device's rows, and a device
    // that is not an endpoint is looked up once per run too.
    if (finding.deviceId !== this.#device) {
      this.#device = finding.deviceId;
      this.#devicePatches = new Set();
      this.#other = endpointId === undefined ? this.#numberOf(finding.deviceId) : -1;
    }
    if (this.#devicePatches.has(key)) return;
    this.#devicePatches.add(key);
    if (endpointId === undefined) patch.others.push(this.#other);
    else patch.endpoints.push(endpointId);
  }

  #numberOf(deviceId: string): number {
    let number = this.#others.get(deviceId);
    if (number === undefined) {
      number = this.#others.size;
      this.#others.set(deviceId, number);
    }
    return number;
  }

  /** The patches, made one at a time: each carries its endpoint list, so all at once would be megabytes. */
  *records(integrationId: string, now: string): Generator<PatchRecord> {
    for (const [key, p] of this.#patches) {
      const metadata = p.metadata.result();
      yield {
        integrationId,
        patchKey: key,
        name: p.name ?? p.updateId ?? key,
        fixingUpdateId: p.updateId,
        fixingUpdateUrl: p.updateUrl,
        softwareVendor: p.vendor,
        softwareName: p.software,
        severity: metadata['Defender.SeverityLevel'],
        exploitabilityLevel: metadata['Defender.ExploitabilityLevel'],
        knownExploit: metadata['Defender.KnownExploitExists'],
        updateAvailable: metadata['Defender.SecurityUpdateAvailable'],
        maxCvss: p.maxCvss,
        cves: [...p.cves].sort(),
        softwareVersions: [...p.versions].sort(),
        openFindings: p.metadata.count,
        endpointIds: p.endpoints.distinctSorted(),
        devicesNotImported: p.others.distinctSorted().length,
        updatedAt: now,
      };
    }
  }
}
