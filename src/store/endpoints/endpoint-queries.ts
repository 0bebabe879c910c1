import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import type { Database, EndpointsTable, ProfilesTable } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';
import { isolationStateIn } from './isolation-sql.js';
import type { IsolationStateName } from '../../domain/isolation.js';
import { exposureRisk, type RiskParts } from '../../domain/endpoint-risk.js';
import {
  endpointAlertsUrl,
  endpointOverviewUrl,
  endpointVulnerabilitiesUrl,
  integrationPortalTenant,
} from '../../domain/portal-links.js';
import { organisationScope } from '../dashboard/exposure-score-mapper.js';
import { endpointEntraIn, entraDevicesOf, type EntraDeviceRef } from './entra-device-queries.js';
import type { EntraFilterValue } from '../../domain/entra-join.js';
import {
  exposureLevelRisk,
  parseRiskLevel,
  riskRank,
  riskScoreRisk,
  type RiskLevel,
} from '../../domain/levels.js';
import {
  containsText,
  fetchPage,
  namesCve,
  nullsLast,
  parseObjectArray,
  parseSort,
  parseStoredJson,
  parseStringArray,
  sortValues,
  type Page,
  type PageRequest,
  type SortDirection,
} from '../db/list-queries.js';

export const endpointSortFields = ['name', 'lastSeen', 'os', 'risk'] as const;
export const endpointSorts = sortValues(endpointSortFields);
export type EndpointSort = (typeof endpointSorts)[number];
type EndpointSortField = (typeof endpointSortFields)[number];

/** What the endpoint lists need of the store: the connection, and the dialect for the isolation rule's SQL. */
export interface EndpointStore {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
}

export interface EndpointFilter {
  /** Only endpoints that carry a profile of this name (any case). */
  readonly profile?: string | undefined;
  /** The hub's risk levels to keep (any of them). */
  readonly riskLevel?: readonly RiskLevel[] | undefined;
  /** Part of the DNS name, the Defender machine id or an IP address (case-insensitive). */
  readonly search?: string | undefined;
  readonly os?: string | undefined;
  readonly health?: string | undefined;
  readonly risk?: string | undefined;
  readonly exposure?: string | undefined;
  readonly integrationId?: string | undefined;
  /** true: only endpoints Defender no longer lists; false (the default): only active ones. */
  readonly stale?: boolean | undefined;
  /** The isolation states to keep (any of them), by domain/isolation.ts's rule (stated in SQL). */
  readonly isolation?: readonly IsolationStateName[] | undefined;
  /** The Entra ID join types of the endpoint's device to keep, or `none` for no device (any of them). */
  readonly entra?: readonly EntraFilterValue[] | undefined;
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
  /** The hub's risk level: the highest of `riskParts`. */
  riskLevel: RiskLevel;
  riskParts: RiskParts;
  /** The Entra ID device the endpoint's aadDeviceId names in its integration; null without one. */
  entraDevice: EntraDeviceRef | null;
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
  /** The endpoint's profiles, best match first. */
  profiles: { name: string; kind: ProfilesTable['kind']; matchScore: number }[];
  /** The endpoint as Microsoft Defender sees it, with links to the Defender portal. */
  defender: DefenderView;
  /** The Defender machine record as received. */
  defenderRecord: unknown;
}

/** The endpoint's worst open vulnerability and what sets its exposure and alert risk, with portal links. */
export interface DefenderView {
  worstVulnerability: {
    id: string;
    description: string | null;
    severity: string | null;
    exploitabilityLevel: string | null;
  } | null;
  exposureRiskLevel: RiskLevel;
  /** Distinct CVEs among the open findings. */
  vulnerabilityCount: number;
  vulnerabilitiesUrl: string;
  alertRiskLevel: RiskLevel;
  alertsUrl: string;
  overviewUrl: string;
  riskScore: string | null;
  exposureLevel: string | null;
  /** Security recommendations that concern the device. */
  recommendations: number;
  exposureScore: { organisation: number | null; deviceGroup: number | null; time: string | null };
}

/** Where an endpoint's findings and alerts live: its integration and Defender machine id. */
export interface EndpointKey {
  readonly integrationId: string;
  readonly machineId: string;
}

/** The columns an endpoint list row shows. */
export const summaryColumns = [
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
  'risk_level',
  'exposure_risk',
  'alert_risk',
] as const satisfies readonly (keyof EndpointsTable)[];

type SummaryRow = Pick<Selectable<EndpointsTable>, (typeof summaryColumns)[number]>;

/** The summary columns and the sort columns a keyset continues from. */
const listColumns = [...summaryColumns, 'last_seen_at', 'risk_rank', 'aad_device_id'] as const;
type ListRow = Pick<Selectable<EndpointsTable>, (typeof listColumns)[number]>;

/** The endpoints that match the filter (no order, no columns yet): the rows, the total and the export. */
function filteredEndpoints(store: EndpointStore, filter: EndpointFilter) {
  let query = store.db.selectFrom('endpoints').where('stale', '=', filter.stale === true ? 1 : 0);
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.os !== undefined) query = query.where('os_platform', '=', filter.os);
  if (filter.health !== undefined) query = query.where('health_status', '=', filter.health);
  if (filter.risk !== undefined) query = query.where('risk_score', '=', filter.risk);
  if (filter.riskLevel !== undefined && filter.riskLevel.length > 0)
    query = query.where('risk_rank', 'in', filter.riskLevel.map(riskRank));
  if (filter.exposure !== undefined) query = query.where('exposure_level', '=', filter.exposure);
  const profile = filter.profile;
  if (profile !== undefined)
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('endpoint_profiles as ep')
        .innerJoin('profiles as p', 'p.id', 'ep.profile_id')
        .select('ep.endpoint_id')
        .where(sql<string>`lower(p.name)`, '=', profile.toLowerCase()),
    );
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
  const isolation = isolationStateIn(store.db, store.dialect, filter.isolation ?? []);
  if (isolation !== undefined) query = query.where(isolation);
  if (filter.entra !== undefined && filter.entra.length > 0)
    query = query.where(endpointEntraIn(filter.entra));
  return query;
}

/** The columns each sort orders by, in turn; every sort ends with the id, ascending, so the order is total. */
interface SortKey {
  readonly column: 'computer_dns_name' | 'last_seen_at' | 'os_platform' | 'os_version' | 'risk_rank';
  /** Rows without a value go last, either direction. */
  readonly nullable: boolean;
}

const sortKeys: Record<EndpointSortField, readonly SortKey[]> = {
  name: [{ column: 'computer_dns_name', nullable: true }],
  lastSeen: [{ column: 'last_seen_at', nullable: true }],
  os: [
    { column: 'os_platform', nullable: true },
    { column: 'os_version', nullable: true },
  ],
  risk: [{ column: 'risk_rank', nullable: false }],
};

function ordered<O>(
  rows: SelectQueryBuilder<Database, 'endpoints', O>,
  keys: readonly SortKey[],
  direction: SortDirection,
): SelectQueryBuilder<Database, 'endpoints', O> {
  let query = rows;
  for (const key of keys) query = query.orderBy(key.column, key.nullable ? nullsLast(direction) : direction);
  return query.orderBy('id', 'asc');
}

/** Where a keyset read of the list stopped: the last row's sort values (as `sortKeys` names them) and id. */
export interface EndpointCursor {
  readonly values: readonly (string | number | null)[];
  readonly id: number;
}

/** The rows after the cursor in the order `ordered` gives: a row strictly beyond on one key, equal before it. */
function afterCursor(keys: readonly SortKey[], direction: SortDirection, cursor: EndpointCursor) {
  return (eb: ExpressionBuilder<Database, 'endpoints'>): Expression<SqlBool> => {
    const from = (i: number): Expression<SqlBool> => {
      const key = keys[i];
      if (key === undefined) return eb('id', '>', cursor.id);
      const value = cursor.values[i] ?? null;
      const column = eb.ref(key.column);
      // Nulls sort last: after a null come only more nulls.
      if (value === null) return eb.and([eb(column, 'is', null), from(i + 1)]);
      const beyond = [eb(column, direction === 'asc' ? '>' : '<', value)];
      if (key.nullable) beyond.push(eb(column, 'is', null));
      return eb.or([...beyond, eb.and([eb(column, '=', value), from(i + 1)])]);
    };
    return from(0);
  };
}

/** The list's items of some rows, with their open vulnerability counts and devices, one query each. */
async function summaries(db: Kysely<Database>, rows: readonly ListRow[]): Promise<EndpointSummary[]> {
  const [counts, deviceOf] = await Promise.all([openFindingCounts(db, rows), entraDevicesOf(db, rows)]);
  return rows.map((row) => toSummary(row, counts.get(keyOf(row)) ?? 0, deviceOf(row)));
}

/**
 * The list rows of these ids, in the ids' order. The list orders and pages ids alone (read from an index), then
 * reads the rows of the page: ordering whole rows sorted every matching endpoint's row for each page (a third of
 * a second at 100,000 endpoints when the order's first key has few values, as the risk level has).
 */
async function rowsInOrder(db: Kysely<Database>, ids: readonly { id: number }[]): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('endpoints')
    .select(listColumns)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((r) => byId.get(r.id) ?? []);
}

/** A page of endpoints; the open vulnerability counts of the whole page come from one grouped query. */
export async function listEndpoints(
  store: EndpointStore,
  filter: EndpointFilter,
  sort: EndpointSort,
  page: PageRequest,
): Promise<Page<EndpointSummary>> {
  const query = filteredEndpoints(store, filter);
  const { field, direction } = parseSort(sort);
  return fetchPage(
    page,
    ordered(query.select('id'), sortKeys[field], direction),
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    async (slice) => summaries(store.db, await rowsInOrder(store.db, slice)),
  );
}

/**
 * Up to `limit` endpoints of the list (same filter, same order) after `after` (from the start without one),
 * each with the cursor to continue from: a keyset read, so reading the whole list costs one page at a time
 * however far into it the read is.
 */
export async function listEndpointsAfter(
  store: EndpointStore,
  filter: EndpointFilter,
  sort: EndpointSort,
  after: EndpointCursor | undefined,
  limit: number,
): Promise<(EndpointSummary & { cursor: EndpointCursor })[]> {
  const { field, direction } = parseSort(sort);
  const keys = sortKeys[field];
  let query = filteredEndpoints(store, filter);
  if (after !== undefined) query = query.where(afterCursor(keys, direction, after));
  const rows = await rowsInOrder(
    store.db,
    await ordered(query.select('id'), keys, direction).limit(limit).execute(),
  );
  const [counts, deviceOf] = await Promise.all([
    openFindingCounts(store.db, rows),
    entraDevicesOf(store.db, rows),
  ]);
  return rows.map((row) => ({
    ...toSummary(row, counts.get(keyOf(row)) ?? 0, deviceOf(row)),
    cursor: { values: keys.map((k) => row[k.column]), id: row.id },
  }));
}

/** One endpoint by its hub id, with its finding and alert counts, its Defender view and the Defender record. */
export async function getEndpoint(db: Kysely<Database>, id: number): Promise<EndpointDetail | undefined> {
  const row = await db
    .selectFrom('endpoints')
    .innerJoin('integrations', 'integrations.id', 'endpoints.integration_id')
    .selectAll('endpoints')
    .select(['integrations.tenant_id', 'integrations.api_base_url'])
    .where('endpoints.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const [findings, alerts, profiles, recommendations, organisationScore, groupScore] = await Promise.all([
    db
      .selectFrom('findings')
      .select(['cve_id', 'severity', 'exploitability_level', 'cvss_score'])
      .where('integration_id', '=', row.integration_id)
      .where('machine_id', '=', row.machine_id)
      .where('status', '=', 'open')
      .where((eb) => namesCve(eb.ref('cve_id')))
      .execute(),
    db
      .selectFrom('alert_machines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', row.integration_id)
      .where('machine_id', '=', row.machine_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('endpoint_profiles as ep')
      .innerJoin('profiles as p', 'p.id', 'ep.profile_id')
      .select(['p.name', 'p.kind', 'ep.match_score'])
      .where('ep.endpoint_id', '=', row.id)
      .orderBy('ep.match_score', 'desc')
      .orderBy('p.name')
      .execute(),
    db
      .selectFrom('catalog_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', row.integration_id)
      .where('kind', '=', 'machine')
      .where('target_id', '=', row.machine_id)
      .where('catalog', '=', 'recommendation')
      .executeTakeFirstOrThrow(),
    newestScore(db, row.integration_id, organisationScope),
    row.rbac_group_id === null ? undefined : newestScore(db, row.integration_id, row.rbac_group_id),
  ]);
  const openFindingsBySeverity: Record<string, number> = {};
  for (const f of findings) {
    const severity = f.severity ?? 'Unknown';
    openFindingsBySeverity[severity] = (openFindingsBySeverity[severity] ?? 0) + 1;
  }
  const summary = toSummary(row, findings.length, (await entraDevicesOf(db, [row]))(row));
  const tenant = integrationPortalTenant({ tenantId: row.tenant_id, apiBaseUrl: row.api_base_url });
  return {
    ...summary,
    firstSeen: row.first_seen_raw,
    aadDeviceId: row.aad_device_id,
    deviceValue: row.device_value,
    osBuild: row.os_build,
    rbacGroupId: row.rbac_group_id,
    lastExternalIpAddress: row.last_external_ip_address,
    openFindingsBySeverity,
    alerts: alerts.n,
    profiles: profiles.map((p) => ({ name: p.name, kind: p.kind, matchScore: p.match_score })),
    defender: {
      worstVulnerability: await worstVulnerability(db, row.integration_id, findings),
      exposureRiskLevel: summary.riskParts.exposure,
      vulnerabilityCount: new Set(findings.map((f) => f.cve_id)).size,
      vulnerabilitiesUrl: endpointVulnerabilitiesUrl(tenant, row.machine_id),
      alertRiskLevel: summary.riskParts.alert,
      alertsUrl: endpointAlertsUrl(tenant, row.machine_id),
      overviewUrl: endpointOverviewUrl(tenant, row.machine_id),
      riskScore: row.risk_score,
      exposureLevel: row.exposure_level,
      recommendations: recommendations.n,
      exposureScore: {
        organisation: organisationScore?.score ?? null,
        deviceGroup: groupScore?.score ?? null,
        time: organisationScore?.time_raw ?? null,
      },
    },
    defenderRecord: parseStoredJson(row.raw),
  };
}

function newestScore(
  db: Kysely<Database>,
  integrationId: string,
  scope: string,
): Promise<{ score: number; time_raw: string } | undefined> {
  return db
    .selectFrom('exposure_scores')
    .select(['score', 'time_raw'])
    .where('integration_id', '=', integrationId)
    .where('scope', '=', scope)
    .orderBy('time_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The open finding that sets the exposure risk (by the domain's order), described from the CVE catalog. */
async function worstVulnerability(
  db: Kysely<Database>,
  integrationId: string,
  findings: readonly {
    cve_id: string | null;
    severity: string | null;
    exploitability_level: string | null;
    cvss_score: number | null;
  }[],
): Promise<DefenderView['worstVulnerability']> {
  const { worst } = exposureRisk(
    findings.map((f) => ({
      cveId: f.cve_id,
      severity: f.severity,
      exploitabilityLevel: f.exploitability_level,
      cvssScore: f.cvss_score,
    })),
  );
  const cveId = worst?.finding.cveId;
  if (worst === undefined || cveId == null) return null;
  const catalog = await db
    .selectFrom('vulnerabilities')
    .select('description')
    .where('integration_id', '=', integrationId)
    .where('cve_id', '=', cveId)
    .executeTakeFirst();
  return {
    id: cveId,
    description: catalog?.description ?? null,
    severity: worst.finding.severity ?? null,
    exploitabilityLevel: worst.finding.exploitabilityLevel ?? null,
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
  rows: readonly { integration_id: string; machine_id: string }[],
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

function toSummary(
  row: SummaryRow,
  openFindings: number,
  entraDevice: EntraDeviceRef | null,
): EndpointSummary {
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
    riskLevel: storedRisk(row.risk_level),
    riskParts: {
      exposure: storedRisk(row.exposure_risk),
      alert: storedRisk(row.alert_risk),
      riskScore: riskScoreRisk(row.risk_score),
      exposureLevel: exposureLevelRisk(row.exposure_level),
    },
    entraDevice,
  };
}

const storedRisk = (text: string): RiskLevel => parseRiskLevel(text) ?? 'None';
