import type { Kysely, Selectable } from 'kysely';
import type { Database, PatchesTable } from '../db/schema.js';
import type { Exploitability, Severity } from '../../domain/levels.js';
import { exploitabilityRank, severityRank } from '../../domain/levels.js';
import {
  containsText,
  fetchPage,
  nullsLast,
  parseSort,
  parseStringArray,
  sortValues,
  type Page,
  type PageRequest,
} from '../db/list-queries.js';

export const patchSortFields = ['severity', 'exploitability', 'endpoints', 'cves', 'cvss', 'name'] as const;
export const patchSorts = sortValues(patchSortFields);
export type PatchSort = (typeof patchSorts)[number];
/** What GET /patches sorts by unless told: the most severe first. */
export const defaultPatchSort: PatchSort = '-severity';

export interface PatchFilter {
  readonly integrationId?: string | undefined;
  /** Any of these `Defender.SeverityLevel` values. */
  readonly severity?: readonly Severity[] | undefined;
  readonly exploitability?: readonly Exploitability[] | undefined;
  readonly knownExploit?: boolean | undefined;
  readonly updateAvailable?: boolean | undefined;
  readonly networkAccessible?: boolean | undefined;
  /** Part of the vendor, software name or update name (any case). */
  readonly search?: string | undefined;
  /** At least this CVSS score among the CVEs it fixes. */
  readonly minCvss?: number | undefined;
}

export interface PatchSummary {
  integrationId: string;
  key: string;
  name: string;
  fixingUpdateId: string | null;
  fixingUpdateUrl: string | null;
  softwareVendor: string | null;
  softwareName: string | null;
  softwareVersions: string[];
  metadata: {
    'Defender.SeverityLevel': string | null;
    'Defender.ExploitabilityLevel': string | null;
    'Defender.KnownExploitExists': boolean;
    'Defender.SecurityUpdateAvailable': boolean;
    'Defender.NetworkAccessible': boolean;
  };
  maxCvss: number | null;
  cves: string[];
  cveCount: number;
  /** Devices with an open finding it fixes, endpoints or not. */
  endpointCount: number;
  /** Of those, the devices that are not endpoints: counted, never listed among its endpoints. */
  devicesNotImported: number;
  openFindings: number;
  updatedAt: string;
}

/** Every patch column but its endpoint list, which can run to megabytes a page and is read through SQL only. */
export const patchSummaryColumns = [
  'integration_id',
  'patch_key',
  'name',
  'fixing_update_id',
  'fixing_update_url',
  'software_vendor',
  'software_name',
  'severity',
  'severity_rank',
  'exploitability_level',
  'exploitability_rank',
  'known_exploit',
  'update_available',
  'network_accessible',
  'max_cvss',
  'cves',
  'cve_count',
  'endpoint_count',
  'devices_not_imported',
  'open_findings',
  'software_versions',
  'updated_at',
] as const satisfies readonly Exclude<keyof PatchesTable, 'endpoint_ids'>[];

export type PatchSummaryRow = Pick<Selectable<PatchesTable>, (typeof patchSummaryColumns)[number]>;

export function toPatchSummary(row: PatchSummaryRow): PatchSummary {
  return {
    integrationId: row.integration_id,
    key: row.patch_key,
    name: row.name,
    fixingUpdateId: row.fixing_update_id,
    fixingUpdateUrl: row.fixing_update_url,
    softwareVendor: row.software_vendor,
    softwareName: row.software_name,
    softwareVersions: parseStringArray(row.software_versions),
    metadata: {
      'Defender.SeverityLevel': row.severity,
      'Defender.ExploitabilityLevel': row.exploitability_level,
      'Defender.KnownExploitExists': row.known_exploit === 1,
      'Defender.SecurityUpdateAvailable': row.update_available === 1,
      'Defender.NetworkAccessible': row.network_accessible === 1,
    },
    maxCvss: row.max_cvss,
    cves: parseStringArray(row.cves),
    cveCount: row.cve_count,
    endpointCount: row.endpoint_count,
    devicesNotImported: row.devices_not_imported,
    openFindings: row.open_findings,
    updatedAt: row.updated_at,
  };
}

/** Patches, filtered on their `Defender.*` metadata; ties by integration and key. */
export function listPatches(
  db: Kysely<Database>,
  filter: PatchFilter,
  sort: PatchSort,
  page: PageRequest,
): Promise<Page<PatchSummary>> {
  let query = db.selectFrom('patches');
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.severity !== undefined && filter.severity.length > 0)
    query = query.where('severity_rank', 'in', filter.severity.map(severityRank));
  if (filter.exploitability !== undefined && filter.exploitability.length > 0)
    query = query.where('exploitability_rank', 'in', filter.exploitability.map(exploitabilityRank));
  if (filter.knownExploit !== undefined)
    query = query.where('known_exploit', '=', filter.knownExploit ? 1 : 0);
  if (filter.updateAvailable !== undefined)
    query = query.where('update_available', '=', filter.updateAvailable ? 1 : 0);
  if (filter.networkAccessible !== undefined)
    query = query.where('network_accessible', '=', filter.networkAccessible ? 1 : 0);
  if (filter.minCvss !== undefined) query = query.where('max_cvss', '>=', filter.minCvss);
  const search = filter.search?.trim();
  if (search !== undefined && search !== '')
    query = query.where((eb) =>
      eb.or([
        containsText(eb.ref('software_vendor'), search),
        containsText(eb.ref('software_name'), search),
        containsText(eb.ref('name'), search),
      ]),
    );

  const { field, direction } = parseSort(sort);
  const column = {
    severity: 'severity_rank',
    exploitability: 'exploitability_rank',
    endpoints: 'endpoint_count',
    cves: 'cve_count',
    cvss: 'max_cvss',
    name: 'name',
  } as const satisfies Record<(typeof patchSortFields)[number], keyof PatchesTable>;
  const rows = query
    .select(patchSummaryColumns)
    .orderBy(column[field], nullsLast(direction))
    .orderBy('integration_id')
    .orderBy('patch_key');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (slice) => slice.map(toPatchSummary),
  );
}
