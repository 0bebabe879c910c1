import type { Kysely, NotNull } from 'kysely';
import type { Database } from './schema.js';
import type { EndpointKey } from './endpoint-queries.js';
import {
  fetchPage,
  flag,
  namesCve,
  nullsLast,
  parseStoredJson,
  severityRank,
  type Page,
  type PageRequest,
} from './list-queries.js';

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

/** One endpoint's vulnerability findings (its integration and machine, rows with a CVE only), worst first. */
export async function listEndpointFindings(
  db: Kysely<Database>,
  endpoint: EndpointKey,
  status: FindingStatusFilter,
  page: PageRequest,
): Promise<Page<FindingSummary>> {
  let query = db
    .selectFrom('findings')
    .where('integration_id', '=', endpoint.integrationId)
    .where('machine_id', '=', endpoint.machineId)
    .where((eb) => namesCve(eb.ref('cve_id')));
  if (status !== 'all') query = query.where('status', '=', status);
  const rows = query
    .select([
      'id',
      'finding_key',
      'cve_id',
      'software_vendor',
      'software_name',
      'software_version',
      'severity',
      'cvss_score',
      'exploitability_level',
      'fixing_update',
      'fixing_update_id',
      'fixing_update_url',
      'update_available',
      'first_seen_raw',
      'last_seen_raw',
      'status',
      'resolved_at',
      'raw',
    ])
    .$narrowType<{ cve_id: NotNull }>()
    .orderBy((eb) => severityRank(eb.ref('severity')), 'desc')
    .orderBy('cvss_score', nullsLast('desc'))
    .orderBy('id', 'asc');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (slice) =>
      slice.map((row) => ({
        id: row.id,
        findingKey: row.finding_key,
        cveId: row.cve_id,
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
        firstSeen: row.first_seen_raw,
        lastSeen: row.last_seen_raw,
        status: row.status,
        resolvedAt: row.resolved_at,
        defender: parseStoredJson(row.raw),
      })),
  );
}
