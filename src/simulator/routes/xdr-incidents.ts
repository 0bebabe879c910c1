import { ApiError } from '../http/api-error.js';
import type { Query } from '../http/exchange.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { mdeContext, sendODataList } from '../http/odata-list.js';
import { pageRequest, pageSlice } from '../http/odata-query.js';
import { groupIncidents, type IncidentState } from '../world/incidents.js';
import { xdrIncidentRecord, xdrIncidentStatus } from '../world/xdr-incident-records.js';
import { type Route, xdr } from '../http/route.js';
import type { Handler } from './handler.js';

/** "Maximum page size is 100 incidents", also the page when `$top` is not given. */
const MAX_PAGE = 100;

/** The properties the list page says `$filter` takes. */
const INCIDENT_FILTER: FilterSchema<IncidentState> = {
  lastUpdateTime: { type: 'date', get: (i) => i.lastUpdate },
  createdTime: { type: 'date', get: (i) => i.created },
  status: { type: 'string', get: xdrIncidentStatus },
  assignedTo: { type: 'string', get: (i) => i.first.assignedTo },
};

/** Options the page does not list are refused as ASP.NET OData refuses a query option it was not allowed. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  $orderby: 'OrderBy',
  $select: 'Select',
  $expand: 'Expand',
  $count: 'Count',
};

function refuseUnsupported(query: Query): void {
  for (const [option, name] of Object.entries(UNSUPPORTED)) {
    if (query.get(option) === undefined) continue;
    throw new ApiError(
      400,
      'ODataError',
      `The query specified in the URI is not valid. Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
    );
  }
}

/**
 * `GET /api/incidents` of the Microsoft 365 Defender API: `$filter`, `$top` (≤ 100), `$skip`; the most recent
 * first; no next link (a client steps `$skip`, as on the MDE lists).
 */
const listXdrIncidents: Handler = async (state, ex) => {
  refuseUnsupported(ex.query);
  const page = pageRequest(ex.query, MAX_PAGE, MAX_PAGE);
  const filter = ex.query.get('$filter');
  const predicate = filter === undefined ? () => true : compileFilter(filter, INCIDENT_FILTER, 'Incidents');
  const matching = groupIncidents(state.tenant.alerts.states(state.tenant.epoch))
    .filter(predicate)
    .sort((a, b) => b.created - a.created || b.id - a.id);
  const { from, to } = pageSlice(matching.length, page);
  const records = matching.slice(from, to).map((incident) => xdrIncidentRecord(state.tenant.seed, incident));
  await sendODataList(state, ex, mdeContext(state, 'Incidents'), records, records.length);
};

export const xdrIncidentRoutes: readonly Route[] = [
  xdr(
    '/api/incidents',
    /^\/api\/incidents$/i,
    ['Incident.Read.All', 'Incident.ReadWrite.All'],
    'incidents',
    listXdrIncidents,
  ),
];
