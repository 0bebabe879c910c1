import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { AlertRow, Database, IncidentRow } from '../db/schema.js';
import type { EndpointKey } from '../endpoints/endpoint-queries.js';
import {
  fetchPage,
  parseStoredJson,
  parseStringArray,
  type Page,
  type PageRequest,
} from '../db/list-queries.js';
import {
  portalTenantOf,
  portalTenants,
  withPortalTenants,
  type PortalTenants,
} from '../endpoints/portal-tenants.js';
import { alertUrl, incidentUrl } from '../../domain/portal-links.js';
import type { ActivitySource } from '../../domain/activity-vocabulary.js';

/** Filters alerts and incidents share. */

/** The alert columns a list row shows (the API's list and the CLI's export read the same ones). */
export const alertSummaryColumns = [
  'alert_id',
  'integration_id',
  'incident_id',
  'title',
  'severity',
  'status',
  'category',
  'service_source',
  'detection_source',
  'machine_ids',
  'created_at_raw',
  'last_update_raw',
  'source',
] as const;

export interface ActivityFilter {
  readonly integrationId?: string | undefined;
  readonly severity?: string | undefined;
  readonly status?: string | undefined;
  /** An instant (ISO-8601): only records last updated at or after it. */
  readonly since?: Date | undefined;
}

export interface AlertFilter extends ActivityFilter {
  /** Only the alerts that name this endpoint's machine, in its integration. */
  readonly endpoint?: EndpointKey | undefined;
}

export interface AlertSummary {
  id: string;
  integrationId: string;
  incidentId: string | null;
  title: string | null;
  severity: string | null;
  status: string | null;
  category: string | null;
  serviceSource: string | null;
  detectionSource: string | null;
  machineIds: string[];
  /** Defender's raw created / last-update strings. */
  createdAt: string | null;
  lastUpdate: string;
  /** The alert's page in the Defender portal, in its integration's cloud and tenant. */
  portalUrl: string;
  /** The API it was read from. */
  source: ActivitySource;
}

export interface AlertDetail extends AlertSummary {
  raw: unknown;
}

export interface IncidentSummary {
  id: string;
  integrationId: string;
  displayName: string | null;
  severity: string | null;
  status: string | null;
  classification: string | null;
  determination: string | null;
  createdAt: string | null;
  lastUpdate: string;
  /** The incident's page in the Defender portal, in its integration's cloud and tenant. */
  portalUrl: string;
  /** The API it was read from. */
  source: ActivitySource;
}

export interface IncidentDetail extends IncidentSummary {
  raw: unknown;
}

/** Alerts, the most recently updated first. */
export function listAlerts(
  db: Kysely<Database>,
  filter: AlertFilter,
  page: PageRequest,
): Promise<Page<AlertSummary>> {
  const integrationId = filter.endpoint?.integrationId ?? filter.integrationId;
  let query = withActivityFilter(db.selectFrom('alerts'), { ...filter, integrationId });
  if (filter.endpoint !== undefined) {
    const endpoint = filter.endpoint;
    query = query.where('alert_id', 'in', (eb) =>
      eb
        .selectFrom('alert_machines')
        .select('alert_machines.alert_id')
        .where('alert_machines.integration_id', '=', endpoint.integrationId)
        .where('alert_machines.machine_id', '=', endpoint.machineId),
    );
  }
  const rows = query.select(alertSummaryColumns).orderBy('last_update_at', 'desc').orderBy('alert_id', 'asc');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    withPortalTenants(db, toAlertSummary),
  );
}

/** One alert by Defender's id; `integrationId` picks among integrations that hold the same tenant. */
export async function getAlert(
  db: Kysely<Database>,
  alertId: string,
  integrationId?: string,
): Promise<AlertDetail | undefined> {
  let query = db.selectFrom('alerts').selectAll().where('alert_id', '=', alertId);
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  return detailOf(db, await query.orderBy('last_update_at', 'desc').executeTakeFirst(), toAlertSummary);
}

/** Incidents, the most recently updated first. */
export function listIncidents(
  db: Kysely<Database>,
  filter: ActivityFilter,
  page: PageRequest,
): Promise<Page<IncidentSummary>> {
  const query = withActivityFilter(db.selectFrom('incidents'), filter);
  const rows = query
    .select([
      'incident_id',
      'integration_id',
      'display_name',
      'severity',
      'status',
      'classification',
      'determination',
      'created_at_raw',
      'last_update_raw',
      'source',
    ])
    .orderBy('last_update_at', 'desc')
    .orderBy('incident_id', 'asc');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    withPortalTenants(db, toIncidentSummary),
  );
}

export async function getIncident(
  db: Kysely<Database>,
  incidentId: string,
  integrationId?: string,
): Promise<IncidentDetail | undefined> {
  let query = db.selectFrom('incidents').selectAll().where('incident_id', '=', incidentId);
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  return detailOf(db, await query.orderBy('last_update_at', 'desc').executeTakeFirst(), toIncidentSummary);
}

/**
 * The shared filters, written against the columns both tables have. Kysely cannot type one builder over
 * either table, so the conditions name their columns as references and the builder keeps its own type.
 */
function withActivityFilter<Q extends { where(condition: Expression<SqlBool>): Q }>(
  query: Q,
  filter: ActivityFilter,
): Q {
  const equals = [
    ['integration_id', filter.integrationId],
    ['severity', filter.severity],
    ['status', filter.status],
  ] as const;
  for (const [column, value] of equals)
    if (value !== undefined) query = query.where(sql<SqlBool>`${sql.ref(column)} = ${value}`);
  if (filter.since !== undefined)
    query = query.where(sql<SqlBool>`${sql.ref('last_update_at')} >= ${filter.since.toISOString()}`);
  return query;
}

type AlertSummaryRow = Pick<
  AlertRow,
  | 'alert_id'
  | 'integration_id'
  | 'incident_id'
  | 'title'
  | 'severity'
  | 'status'
  | 'category'
  | 'service_source'
  | 'detection_source'
  | 'machine_ids'
  | 'created_at_raw'
  | 'last_update_raw'
  | 'source'
>;

function toAlertSummary(row: AlertSummaryRow, tenants: PortalTenants): AlertSummary {
  return {
    id: row.alert_id,
    integrationId: row.integration_id,
    incidentId: row.incident_id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    category: row.category,
    serviceSource: row.service_source,
    detectionSource: row.detection_source,
    machineIds: parseStringArray(row.machine_ids),
    createdAt: row.created_at_raw,
    lastUpdate: row.last_update_raw,
    portalUrl: alertUrl(portalTenantOf(tenants, row.integration_id), row.alert_id),
    source: row.source,
  };
}

type IncidentSummaryRow = Pick<
  IncidentRow,
  | 'incident_id'
  | 'integration_id'
  | 'display_name'
  | 'severity'
  | 'status'
  | 'classification'
  | 'determination'
  | 'created_at_raw'
  | 'last_update_raw'
  | 'source'
>;

function toIncidentSummary(row: IncidentSummaryRow, tenants: PortalTenants): IncidentSummary {
  return {
    id: row.incident_id,
    integrationId: row.integration_id,
    displayName: row.display_name,
    severity: row.severity,
    status: row.status,
    classification: row.classification,
    determination: row.determination,
    createdAt: row.created_at_raw,
    lastUpdate: row.last_update_raw,
    portalUrl: incidentUrl(portalTenantOf(tenants, row.integration_id), row.incident_id),
    source: row.source,
  };
}

/** A list row's summary with the record as Defender sent it: what one alert's or incident's page shows. */
async function detailOf<R extends { readonly integration_id: string; readonly raw: string }, S>(
  db: Kysely<Database>,
  row: R | undefined,
  toSummary: (row: R, tenants: PortalTenants) => S,
): Promise<(S & { raw: unknown }) | undefined> {
  if (row === undefined) return undefined;
  const tenants = await portalTenants(db, [row.integration_id]);
  return { ...toSummary(row, tenants), raw: parseStoredJson(row.raw) };
}
