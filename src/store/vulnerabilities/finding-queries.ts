import type { Kysely, NotNull, Selectable } from 'kysely';
import type { Database, FindingsTable } from '../db/schema.js';
import type { EndpointKey } from '../endpoints/endpoint-queries.js';
import {
  fetchPage,
  flag,
  namesCve,
  nullsLast,
  parseStoredJson,
  severityRank,
  type Page,
  type PageRequest,
} from '../db/list-queries.js';

export const findingStatuses = ['open', 'resolved', 'all'] as const;
export type FindingStatusFilter = (typeof findingStatuses)[number];

export interface FindingSummary {
  id: number;
  findingKey: string;
  cveId: string;
  softwareVendor: string | null;
  softwareName: string | null;
  softwareVersion: string | null;
  severity: string | null;
  cvssScore: number | null;
  exploitabilityLevel: string | null;
  fixingUpdate: string | null;
  fixingUpdateId: string | null;
  fixingUpdateUrl: string | null;
  updateAvailable: boolean | null;
  /** The CVE is reachable over the network, as the catalog's CVSS vector says (`AV:N`); null when unknown. */
  networkAccessible: boolean | null;
  /** Defender's raw first-seen / last-seen strings. */
  firstSeen: string | null;
  lastSeen: string | null;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  /**
   * Defender's members of the record that have no field above (disk and registry paths, the device context,
   * members Microsoft adds later): the sync stores only those beside the columns.
   */
  defender: unknown;
}

/** The finding columns an endpoint's findings page and the findings export both show. */
export const findingColumns = [
  'f.cve_id',
  'f.software_vendor',
  'f.software_name',
  'f.software_version',
  'f.severity',
  'f.cvss_score',
  'f.exploitability_level',
  'f.fixing_update',
  'f.fixing_update_id',
  'f.fixing_update_url',
  'f.update_available',
  'f.first_seen_raw',
  'f.last_seen_raw',
  'f.status',
  'f.resolved_at',
] as const;

type Unqualified<C> = C extends `f.${infer Column}` ? Column : never;
type SoftwareFactsRow = Pick<Selectable<FindingsTable>, Unqualified<(typeof findingColumns)[number]>>;

/** What a finding says of the software and its fix, as the API and the export name it. */
export function softwareFacts<R extends SoftwareFactsRow>(row: R) {
  const cveId: R['cve_id'] = row.cve_id;
  return {
    cveId,
    softwareVendor: row.software_vendor,
    softwareName: row.software_name,
    softwareVersion: row.software_version,
    severity: row.severity,
    cvssScore: row.cvss_score,
    exploitabilityLevel: row.exploitability_level,
    fixingUpdate: row.fixing_update,
    fixingUpdateId: row.fixing_update_id,
    fixingUpdateUrl: row.fixing_update_url,
    updateAvailable: flag(row.update_available),
  };
}

export interface FindingFilter {
  readonly status: FindingStatusFilter;
  /** The CVE is reachable over the network (catalog CVSS `AV:N`) or not; unknown matches neither. */
  readonly networkAccessible?: boolean | undefined;
}

/** One endpoint's vulnerability findings (its integration and machine, rows with a CVE only), worst first. */
export async function listEndpointFindings(
  db: Kysely<Database>,
  endpoint: EndpointKey,
  filter: FindingFilter,
  page: PageRequest,
): Promise<Page<FindingSummary>> {
  // The CVE's attack vector is the catalog's, per integration (a finding carries no CVSS vector).
  let query = db
    .selectFrom('findings as f')
    .leftJoin('vulnerabilities as v', (join) =>
      join.onRef('v.integration_id', '=', 'f.integration_id').onRef('v.cve_id', '=', 'f.cve_id'),
    )
    .where('f.integration_id', '=', endpoint.integrationId)
    .where('f.machine_id', '=', endpoint.machineId)
    .where((eb) => namesCve(eb.ref('f.cve_id')));
  if (filter.status !== 'all') query = query.where('f.status', '=', filter.status);
  if (filter.networkAccessible !== undefined)
    query = query.where('v.network_accessible', '=', filter.networkAccessible ? 1 : 0);
  const rows = query
    .select(['f.id', 'f.finding_key', ...findingColumns, 'f.raw', 'v.network_accessible'])
    .$narrowType<{ cve_id: NotNull }>()
    .orderBy((eb) => severityRank(eb.ref('f.severity')), 'desc')
    .orderBy('f.cvss_score', nullsLast('desc'))
    .orderBy('f.id', 'asc');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (slice) =>
      slice.map((row) => ({
        id: row.id,
        findingKey: row.finding_key,
        ...softwareFacts(row),
        networkAccessible: flag(row.network_accessible),
        firstSeen: row.first_seen_raw,
        lastSeen: row.last_seen_raw,
        status: row.status,
        resolvedAt: row.resolved_at,
        defender: parseStoredJson(row.raw),
      })),
  );
}
