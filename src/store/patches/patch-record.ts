import type { Insertable } from 'kysely';
import type { PatchesTable } from '../db/schema.js';
import { exploitabilityRank, severityRank } from '../../domain/levels.js';

/** A patch as a complete findings run tallied it over its findings. */
export interface PatchRecord {
  readonly integrationId: string;
  /** The fixing update's key (domain `patchKey`). */
  readonly patchKey: string;
  /** The update's title: the KB (`KB5034441`) or the recommended update text. */
  readonly name: string;
  readonly fixingUpdateId: string | null;
  readonly fixingUpdateUrl: string | null;
  readonly softwareVendor: string | null;
  readonly softwareName: string | null;
  /** The `Defender.*` metadata of its findings, by the domain's rule. */
  readonly severity: string | null;
  readonly exploitabilityLevel: string | null;
  readonly knownExploit: boolean;
  readonly updateAvailable: boolean;
  readonly maxCvss: number | null;
  /** Sorted. */
  readonly cves: readonly string[];
  /** Sorted. */
  readonly softwareVersions: readonly string[];
  readonly openFindings: number;
  /** The endpoints (hub ids, ascending, each once) with an open finding it fixes. */
  readonly endpointIds: Uint32Array | readonly number[];
  /** The devices with an open finding it fixes that are not endpoints. */
  readonly devicesNotImported: number;
  readonly updatedAt: string;
}

/** Its row: the ranks and counts the lists and sorts read, and no network access until the catalog says so. */
export function toPatchRow(p: PatchRecord): Insertable<PatchesTable> {
  return {
    integration_id: p.integrationId,
    patch_key: p.patchKey,
    name: p.name,
    fixing_update_id: p.fixingUpdateId,
    fixing_update_url: p.fixingUpdateUrl,
    software_vendor: p.softwareVendor,
    software_name: p.softwareName,
    severity: p.severity,
    severity_rank: severityRank(p.severity),
    exploitability_level: p.exploitabilityLevel,
    exploitability_rank: exploitabilityRank(p.exploitabilityLevel),
    known_exploit: p.knownExploit ? 1 : 0,
    update_available: p.updateAvailable ? 1 : 0,
    // From the CVE catalog, not the findings: PatchesRepository sets it as it stores the rows.
    network_accessible: 0,
    max_cvss: p.maxCvss,
    cves: JSON.stringify(p.cves),
    cve_count: p.cves.length,
    open_findings: p.openFindings,
    software_versions: JSON.stringify(p.softwareVersions),
    // Spelled out: a typed array's JSON is an object, and the list can hold a hundred thousand ids.
    endpoint_ids: `[${p.endpointIds.join(',')}]`,
    endpoint_count: p.endpointIds.length + p.devicesNotImported,
    devices_not_imported: p.devicesNotImported,
    updated_at: p.updatedAt,
  };
}
