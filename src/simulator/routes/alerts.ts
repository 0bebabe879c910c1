import { ApiError } from '../http/api-error.js';
import { sendODataList, mdeContext } from '../http/odata-list.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { orderBy, pageRequest, pageSlice } from '../http/odata-query.js';
import { sendJson } from '../http/responses.js';
import { mdeAlertRecord } from '../world/alert-records.js';
import type { AlertState } from '../world/alerts.js';
import { type Route, ALERT_READ, mde } from '../http/route.js';
import type { Handler } from './handler.js';

const ALERT_FILTER: FilterSchema<AlertState> = {
  alertCreationTime: { type: 'date', get: (a) => a.created },
  lastUpdateTime: { type: 'date', get: (a) => a.lastUpdate },
  lastEventTime: { type: 'date', get: (a) => a.lastEvent },
  incidentId: { type: 'number', get: (a) => a.incidentId },
  investigationId: { type: 'number', get: (a) => a.investigationId },
  id: { type: 'string', get: (a) => a.id },
  assignedTo: { type: 'string', get: (a) => a.assignedTo },
  detectionSource: { type: 'string', get: (a) => a.template.detectionSource },
  status: { type: 'string', get: (a) => a.status },
  severity: { type: 'string', get: (a) => a.severity },
  category: { type: 'string', get: (a) => a.template.category },
};

const SORT_KEYS: Record<string, (a: AlertState) => number> = {
  alertCreationTime: (a) => a.created,
  lastUpdateTime: (a) => a.lastUpdate,
};

const MAX_PAGE = 10_000;

/** `GET /api/alerts`: `$filter`, `$top` (≤ 10,000), `$skip`, `$orderby`, `$expand=evidence`; oldest first by default. */
const listAlerts: Handler = async (state, ex) => {
  const page = pageRequest(ex.query, MAX_PAGE, MAX_PAGE);
  const order = orderBy(ex.query, Object.keys(SORT_KEYS));
  const filter = ex.query.get('$filter');
  const predicate = filter === undefined ? () => true : compileFilter(filter, ALERT_FILTER, 'Alerts');
  const matching = state.tenant.alerts.states(state.tenant.epoch).filter(predicate);
  if (order !== undefined) {
    const key = SORT_KEYS[order.field] ?? ((a: AlertState) => a.created);
    matching.sort((a, b) => (order.descending ? key(b) - key(a) : key(a) - key(b)) || a.index - b.index);
  }
  const withEvidence = /(^|,)\s*evidence\s*(,|$)/i.test(ex.query.get('$expand') ?? '');
  const { from, to } = pageSlice(matching.length, page);
  const { seed, identity } = state.tenant;
  const records = matching
    .slice(from, to)
    .map((alert) => mdeAlertRecord(seed, identity.tenantId, alert, withEvidence));
  await sendODataList(state, ex, mdeContext(state, 'Alerts'), records, records.length);
};

/** `GET /api/alerts/{id}`: the published single-alert body has no `@odata.context` and includes evidence. */
const getAlert: Handler = async (state, ex, [id = '']) => {
  const alert = state.tenant.alerts.byId(id, state.tenant.epoch);
  if (alert === undefined) throw new ApiError(404, 'ResourceNotFound', `Alert ${id} was not found`);
  await sendJson(ex, 200, mdeAlertRecord(state.tenant.seed, state.tenant.identity.tenantId, alert, true));
};

export const alertRoutes: readonly Route[] = [
  mde('/api/alerts', /^\/api\/alerts$/i, ALERT_READ, 'alerts', listAlerts),
  mde('/api/alerts/{id}', /^\/api\/alerts\/([^/]+)$/i, ALERT_READ, 'alerts', getAlert),
];
