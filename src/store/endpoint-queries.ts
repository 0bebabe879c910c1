import type { Kysely, Selectable } from 'kysely';
import type { Database, EndpointsTable } from './schema.js';
import {
  containsText,
  fetchPage,
  jsonArrayHolds,
  namesCve,
  nullsLast,
  parseObjectArray,
  parseSort,
  parseStoredJson,
  parseStringArray,
  riskRank,
  sortValues,
  type Page,
  type PageRequest,
} from './list-queries.js';

export const endpointSortFields = ['name', 'lastSeen', 'os', 'risk'] as const;
export const endpointSorts = sortValues(endpointSortFields);
export type EndpointSort = (typeof endpointSorts)[number];

export interface EndpointFilter {
  /** Part of the DNS name, the Defender machine id or an IP address (case-insensitive). */
  readonly search?: string | undefined;
  readonly os?: string | undefined;
  readonly health?: string | undefined;
  readonly risk?: string | undefined;
  readonly exposure?: string | undefined;
  readonly integrationId?: string | undefined;
  /** true: only endpoints Defender no longer lists; false (the default): only active ones. */
  readonly stale?: boolean | undefined;
}

export interface EndpointSummary {
  id: number;
  integrationId: string;
  machineId: string;
  computerDnsName: string | null;
  osPlatform: string | null;
  osVersion: string | null;
  version: string | null;
  healthStatus: string | null;
  onboardingStatus: string | null;
  riskScore: string | null;
  exposureLevel: string | null;
  rbacGroupName: string | null;
  machineTags: string[];
  ipAddresses: Record<string, unknown>[];
  lastIpAddress: string | null;
  /** Defender's raw `lastSeen` string (seven fractional digits kept). */
  lastSeen: string | null;
  stale: boolean;
  staleSince: string | null;
  /** Open vulnerability findings: rows with a CVE (software rows without one are not counted). */
  openFindings: number;
}

export interface EndpointDetail extends EndpointSummary {
  firstSeen: string | null;
  aadDeviceId: string | null;
  deviceValue: string | null;
  osBuild: number | null;
  rbacGroupId: string | null;
  lastExternalIpAddress: string | null;
  /** Open vulnerability findings per severity (`Unknown` when Defender gave none). */
  openFindingsBySeverity: Record<string, number>;
  /** Stored alerts that name this machine. */
  alerts: number;
  /** The Defender machine record as received. */
  defender: unknown;
}

/** Where an endpoint's findings and alerts live: its integration and Defender machine id. */
export interface EndpointKey {
  readonly integrationId: string;
  readonly machineId: string;
}

const summaryColumns = [
  'id',
  'integration_id',
  'machine_id',
  'computer_dns_name',
  'os_platform',
  'os_version',
  'version',
  'health_status',
  'onboarding_status',
  'risk_score',
  'exposure_level',
  'rbac_group_name',
  'machine_tags',
  'ip_addresses',
  'last_ip_address',
  'last_seen_raw',
  'stale',
  'stale_since',
] as const satisfies readonly (keyof EndpointsTable)[];

type SummaryRow = Pick<Selectable<EndpointsTable>, (typeof summaryColumns)[number]>;

/** A page of endpoints; the open vulnerability counts of the whole page come from one grouped query. */
export async function listEndpoints(
  db: Kysely<Database>,
  filter: EndpointFilter,
  sort: EndpointSort,
  page: PageRequest,
): Promise<Page<EndpointSummary>> {
  let query = db.selectFrom('endpoints').where('stale', '=', filter.stale === true ? 1 : 0);
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.os !== undefined) query = query.where('os_platform', '=', filter.os);
  if (filter.health !== undefined) query = query.where('health_status', '=', filter.health);
  if (filter.risk !== undefined) query = query.where('risk_score', '=', filter.risk);
  if (filter.exposure !== undefined) query = query.where('exposure_level', '=', filter.exposure);
  const search = filter.search?.trim();
  if (search !== undefined && search !== '') {
    query = query.where((eb) =>
      eb.or([
        containsText(eb.ref('computer_dns_name'), search),
        containsText(eb.ref('machine_id'), search),
        containsText(eb.ref('last_ip_address'), search),
        // The JSON of every address the machine reported, searched only for address-like text so a word
        // such as "ethernet" does not match the adapter types stored beside the addresses.
        ...(/^[0-9a-f.:]+$/i.test(search) && /[.:]/.test(search)
          ? [containsText(eb.ref('ip_addresses'), search)]
          : []),
      ]),
    );
  }

  const { field, direction } = parseSort(sort);
  let rows = query.select(summaryColumns);
  if (field === 'name') rows = rows.orderBy('computer_dns_name', nullsLast(direction));
  if (field === 'lastSeen') rows = rows.orderBy('last_seen_at', nullsLast(direction));
  if (field === 'os')
    rows = rows.orderBy('os_platform', nullsLast(direction)).orderBy('os_version', nullsLast(direction));
  if (field === 'risk') rows = rows.orderBy((eb) => riskRank(eb.ref('risk_score')), nullsLast(direction));
  rows = rows.orderBy('id', 'asc');

  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    async (slice) => {
      const counts = await openFindingCounts(db, slice);
      return slice.map((row) => toSummary(row, counts.get(keyOf(row)) ?? 0));
    },
  );
}

/** One endpoint by its hub id, with its finding and alert counts and the Defender record. */
export async function getEndpoint(db: Kysely<Database>, id: number): Promise<EndpointDetail | undefined> {
  const row = await db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const [bySeverity, alerts] = await Promise.all([
    db
      .selectFrom('findings')
      .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('integration_id', '=', row.integration_id)
      .where('machine_id', '=', row.machine_id)
      .where('status', '=', 'open')
      .where((eb) => namesCve(eb.ref('cve_id')))
      .groupBy('severity')
      .execute(),
    db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', row.integration_id)
      .where((eb) => jsonArrayHolds(eb.ref('machine_ids'), row.machine_id))
      .executeTakeFirstOrThrow(),
  ]);
  const openFindingsBySeverity = Object.fromEntries(bySeverity.map((r) => [r.severity ?? 'Unknown', r.n]));
  const openFindings = bySeverity.reduce((sum, r) => sum + r.n, 0);
  return {
    ...toSummary(row, openFindings),
    firstSeen: row.first_seen_raw,
    aadDeviceId: row.aad_device_id,
    deviceValue: row.device_value,
    osBuild: row.os_build,
    rbacGroupId: row.rbac_group_id,
    lastExternalIpAddress: row.last_external_ip_address,
    openFindingsBySeverity,
    alerts: alerts.n,
    defender: parseStoredJson(row.raw),
  };
}

/** The integration and machine id of an endpoint, to scope its findings and alerts. */
export async function endpointKey(db: Kysely<Database>, id: number): Promise<EndpointKey | undefined> {
  const row = await db
    .selectFrom('endpoints')
    .select(['integration_id', 'machine_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : { integrationId: row.integration_id, machineId: row.machine_id };
}

const keyOf = (row: { integration_id: string; machine_id: string }): string =>
  `${row.integration_id}\n${row.machine_id}`;

/** Open vulnerability findings per endpoint of a page, in one grouped query over the page's machines only. */
async function openFindingCounts(
  db: Kysely<Database>,
  rows: readonly SummaryRow[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const counted = await db
    .selectFrom('findings')
    .select(['integration_id', 'machine_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .where((eb) => namesCve(eb.ref('cve_id')))
    .where('integration_id', 'in', [...new Set(rows.map((r) => r.integration_id))])
    .where('machine_id', 'in', [...new Set(rows.map((r) => r.machine_id))])
    .groupBy(['integration_id', 'machine_id'])
    .execute();
  return new Map(counted.map((r) => [keyOf(r), r.n]));
}

function toSummary(row: SummaryRow, openFindings: number): EndpointSummary {
  return {
    id: row.id,
    integrationId: row.integration_id,
    machineId: row.machine_id,
    computerDnsName: row.computer_dns_name,
    osPlatform: row.os_platform,
    osVersion: row.os_version,
    version: row.version,
    healthStatus: row.health_status,
    onboardingStatus: row.onboarding_status,
    riskScore: row.risk_score,
    exposureLevel: row.exposure_level,
    rbacGroupName: row.rbac_group_name,
    machineTags: parseStringArray(row.machine_tags),
    ipAddresses: parseObjectArray(row.ip_addresses),
    lastIpAddress: row.last_ip_address,
    lastSeen: row.last_seen_raw,
    stale: row.stale !== 0,
    staleSince: row.stale_since,
    openFindings,
  };
}
