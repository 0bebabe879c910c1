import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EndpointKey } from '../endpoints/endpoint-queries.js';
import {
  fetchPage,
  flag,
  nullsLast,
  parseStoredJson,
  type Page,
  type PageRequest,
} from '../db/list-queries.js';

/**
 * One installed software version of an endpoint, as Defender's software-vulnerability export reports it: the
 * export sends a row per software version and CVE, or a single row without a CVE when the version has no known
 * vulnerability. The fields from `id` on are that CVE-less row's own, null when Defender sent none.
 */
export interface SoftwareSummary {
  softwareVendor: string | null;
  softwareName: string | null;
  softwareVersion: string | null;
  /** Open rows of this version that name a CVE. */
  openVulnerabilities: number;
  /** Defender's record id of the row without a CVE. */
  id: string | null;
  /** Defender's raw first-seen / last-seen strings. */
  firstSeen: string | null;
  lastSeen: string | null;
  exploitabilityLevel: string | null;
  updateAvailable: boolean | null;
  /** The row's members that have no field above (disk and registry paths, the device context, …). */
  defender: unknown;
}

/**
 * An endpoint's software: its open findings grouped by vendor × name × version, each group joined to its row
 * without a CVE (the lowest id, should Defender ever send two), in one grouped query; by name, version, vendor.
 */
export async function listEndpointSoftware(
  db: Kysely<Database>,
  endpoint: EndpointKey,
  page: PageRequest,
): Promise<Page<SoftwareSummary>> {
  const versions = db
    .selectFrom('findings')
    .where('integration_id', '=', endpoint.integrationId)
    .where('machine_id', '=', endpoint.machineId)
    .where('status', '=', 'open')
    .select((eb) => [
      'software_vendor',
      'software_name',
      'software_version',
      // count(column) skips nulls: the rows that name a CVE, i.e. the vulnerabilities.
      eb.fn.count<number>('cve_id').as('open_vulnerabilities'),
      eb.fn.min(eb.case().when('cve_id', 'is', null).then(eb.ref('id')).end()).as('cveless_id'),
    ])
    .groupBy(['software_vendor', 'software_name', 'software_version'])
    .as('v');
  const rows = db
    .selectFrom(versions)
    .leftJoin('findings as f', 'f.id', 'v.cveless_id')
    .select([
      'v.software_vendor',
      'v.software_name',
      'v.software_version',
      'v.open_vulnerabilities',
      'f.finding_key',
      'f.first_seen_raw',
      'f.last_seen_raw',
      'f.exploitability_level',
      'f.update_available',
      'f.raw',
    ])
    // Vendor last: a name and version of two vendors stay apart, and the order is total for paging.
    .orderBy('v.software_name', nullsLast('asc'))
    .orderBy('v.software_version', nullsLast('asc'))
    .orderBy('v.software_vendor', nullsLast('asc'));
  return fetchPage(
    page,
    rows,
    db.selectFrom(versions).select((eb) => eb.fn.countAll<number>().as('total')),
    (slice) =>
      slice.map((row) => ({
        softwareVendor: row.software_vendor,
        softwareName: row.software_name,
        softwareVersion: row.software_version,
        openVulnerabilities: row.open_vulnerabilities,
        id: row.finding_key,
        firstSeen: row.first_seen_raw,
        lastSeen: row.last_seen_raw,
        exploitabilityLevel: row.exploitability_level,
        updateAvailable: flag(row.update_available),
        defender: parseStoredJson(row.raw),
      })),
  );
}
