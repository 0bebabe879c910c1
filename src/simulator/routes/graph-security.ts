import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { graphContext, sendODataList } from '../http/odata-list.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { orderBy, pageRequest } from '../http/odata-query.js';
import type { SimState } from '../state.js';
import {
  graphAlertRecord,
  graphEnum,
  graphIncidentRecord,
  graphSeverity,
  graphStatus,
} from '../world/alert-records.js';
import type { AlertState } from '../world/alerts.js';
import { groupIncidents, type IncidentState } from '../world/incidents.js';
import { type Route, graph } from '../http/route.js';
import type { Handler } from './handler.js';

/** Graph security list caps: `$top` ≤ 1000, and `$top + $skip` ≤ 6000 (past that, page by time instead). */
const MAX_TOP = 1000;
const MAX_TOP_PLUS_SKIP = 6000;
/** Not documented; a page of 100 keeps several pages in play for small tenants. */
const DEFAULT_TOP = 100;

const ALERT_FILTER: FilterSchema<AlertState> = {
  createdDateTime: { type: 'date', get: (a) => a.created },
  lastUpdateDateTime: { type: 'date', get: (a) => a.lastUpdate },
  status: { type: 'string', get: graphStatus },
  severity: { type: 'string', get: graphSeverity },
  classification: { type: 'string', get: (a) => graphEnum(a.classification) },
  determination: { type: 'string', get: (a) => graphEnum(a.determination) },
  assignedTo: { type: 'string', get: (a) => a.assignedTo },
  serviceSource: { type: 'string', get: () => 'microsoftDefenderForEndpoint' },
};

const INCIDENT_FILTER: FilterSchema<IncidentState> = {
  createdDateTime: { type: 'date', get: (i) => i.created },
  lastUpdateDateTime: { type: 'date', get: (i) => i.lastUpdate },
  status: { type: 'string', get: (i) => i.status },
  severity: { type: 'string', get: (i) => graphEnum(i.severity) },
  assignedTo: { type: 'string', get: (i) => i.first.assignedTo },
  classification: { type: 'string', get: (i) => graphEnum(i.first.classification) },
  determination: { type: 'string', get: (i) => graphEnum(i.first.determination) },
};

interface Timed {
  readonly created: number;
  readonly lastUpdate: number;
}

/** Filter, order (newest first unless asked otherwise) and cut one Graph page; the nextLink carries `$skip`. */
async function sendGraphPage<T extends Timed>(
  state: SimState,
  ex: Exchange,
  set: string,
  items: readonly T[],
  schema: FilterSchema<T>,
  render: (item: T) => Record<string, unknown>,
): Promise<void> {
  const page = pageRequest(ex.query, MAX_TOP, DEFAULT_TOP);
  if (page.top + page.skip > MAX_TOP_PLUS_SKIP) {
    throw new ApiError(
      400,
      'BadRequest',
      `The sum of $top and $skip cannot exceed ${MAX_TOP_PLUS_SKIP}; narrow the query with a $filter on lastUpdateDateTime instead.`,
    );
  }
  const order = orderBy(ex.query, ['lastUpdateDateTime', 'createdDateTime']) ?? {
    field: 'createdDateTime',
    descending: true,
  };
  const filter = ex.query.get('$filter');
  const predicate = filter === undefined ? () => true : compileFilter(filter, schema, set);
  const key = order.field === 'lastUpdateDateTime' ? (item: T) => item.lastUpdate : (item: T) => item.created;
  const matching = items
    .map((item, position) => ({ item, position }))
    .filter(({ item }) => predicate(item))
    .sort(
      (a, b) =>
        (order.descending ? key(b.item) - key(a.item) : key(a.item) - key(b.item)) || a.position - b.position,
    );
  const records = matching.slice(page.skip, page.skip + page.top).map(({ item }) => render(item));
  const count = ex.query.get('$count')?.toLowerCase() === 'true' ? { '@odata.count': matching.length } : {};
  await sendODataList(
    state,
    ex,
    graphContext(state, set),
    records,
    records.length,
    () =>
      page.skip + page.top < matching.length
        ? { '@odata.nextLink': nextLink(state, ex, page.skip + page.top, page.top) }
        : {},
    count,
  );
}

function nextLink(state: SimState, ex: Exchange, skip: number, top: number): string {
  const params: string[] = [];
  for (const [key, value] of ex.url.searchParams) {
    if (key === '$skip' || key === '$top') continue;
    params.push(`${key}=${encodeURIComponent(value)}`);
  }
  params.push(`$top=${top}`, `$skip=${skip}`);
  return `${state.baseUrl()}${ex.pathname}?${params.join('&')}`;
}

/** `GET /v1.0/security/alerts_v2` */
const listGraphAlerts: Handler = async (state, ex) => {
  const { seed, identity } = state.tenant;
  await sendGraphPage(
    state,
    ex,
    'security/alerts_v2',
    state.tenant.alerts.states(state.tenant.epoch),
    ALERT_FILTER,
    (alert) => graphAlertRecord(seed, identity.tenantId, alert),
  );
};

/** `GET /v1.0/security/incidents`, `$expand=alerts` included. */
const listGraphIncidents: Handler = async (state, ex) => {
  const { seed, identity } = state.tenant;
  const expand = /(^|,)\s*alerts\s*(,|$)/i.test(ex.query.get('$expand') ?? '');
  const incidents = groupIncidents(state.tenant.alerts.states(state.tenant.epoch));
  await sendGraphPage(state, ex, 'security/incidents', incidents, INCIDENT_FILTER, (incident) =>
    graphIncidentRecord(seed, identity.tenantId, incident, expand),
  );
};

export const graphSecurityRoutes: readonly Route[] = [
  graph(
    '/v1.0/security/alerts_v2',
    /^\/v1\.0\/security\/alerts_v2$/i,
    ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'],
    listGraphAlerts,
  ),
  graph(
    '/v1.0/security/incidents',
    /^\/v1\.0\/security\/incidents$/i,
    ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'],
    listGraphIncidents,
  ),
];
