import { ApiError } from '../http/api-error.js';
import { sendODataList, mdeContext } from '../http/odata-list.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { pageRequest, pageSlice } from '../http/odata-query.js';
import { sendJson } from '../http/responses.js';
import { machineActionRecord, type MachineAction } from '../world/machine-actions.js';
import { type Route, MACHINE_READ, mde } from '../http/route.js';
import type { Handler } from './handler.js';

const ACTION_FILTER: FilterSchema<MachineAction> = {
  id: { type: 'string', get: (a) => a.id },
  status: { type: 'string', get: (a) => a.status },
  machineId: { type: 'string', get: (a) => a.machineId },
  type: { type: 'string', get: (a) => a.type },
  requestor: { type: 'string', get: (a) => a.requestor },
  creationDateTimeUtc: { type: 'date', get: (a) => a.created },
};

const MAX_PAGE = 10_000;

/** `GET /api/machineactions`: newest first. */
const listMachineActions: Handler = async (state, ex) => {
  const page = pageRequest(ex.query, MAX_PAGE, MAX_PAGE);
  const filter = ex.query.get('$filter');
  const predicate =
    filter === undefined ? () => true : compileFilter(filter, ACTION_FILTER, 'MachineActions');
  const matching = state.tenant.machineActions.list().filter(predicate);
  const { from, to } = pageSlice(matching.length, page);
  const records = matching.slice(from, to).map(machineActionRecord);
  await sendODataList(state, ex, mdeContext(state, 'MachineActions'), records, records.length);
};

/** `GET /api/machineactions/{id}` */
const getMachineAction: Handler = async (state, ex, [id = '']) => {
  const action = state.tenant.machineActions.byId(id);
  if (action === undefined) throw new ApiError(404, 'ResourceNotFound', `Machine action ${id} was not found`);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'MachineActions/$entity'),
    ...machineActionRecord(action),
  });
};

export const machineActionRoutes: readonly Route[] = [
  mde('/api/machineactions', /^\/api\/machineactions$/i, MACHINE_READ, 'default', listMachineActions),
  mde(
    '/api/machineactions/{id}',
    /^\/api\/machineactions\/([^/]+)$/i,
    MACHINE_READ,
    'default',
    getMachineAction,
  ),
];
