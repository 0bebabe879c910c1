import { ApiError } from '../http/api-error.js';
import { sendODataList, mdeContext } from '../http/odata-list.js';
import {
  compileFilter,
  numberMember,
  textMember,
  type FilterSchema,
  type JsonRecord,
} from '../http/odata-filter.js';
import { pageRequest, pageSlice } from '../http/odata-query.js';
import { sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import { parseIsoTicks } from '../time.js';
import { machineRecord } from '../world/machines.js';
import { type Route, MACHINE_READ, mde } from '../http/route.js';
import type { Handler } from './handler.js';

/** The properties `GET /api/machines` documents as filterable. */
const MACHINE_FILTER: FilterSchema<JsonRecord> = {
  computerDnsName: textMember('computerDnsName'),
  id: textMember('id'),
  version: textMember('version'),
  deviceValue: textMember('deviceValue'),
  aadDeviceId: textMember('aadDeviceId'),
  machineTags: {
    type: 'collection',
    get: (r) => (Array.isArray(r.machineTags) ? (r.machineTags as string[]) : []),
  },
  lastSeen: {
    type: 'date',
    get: (r) => (typeof r.lastSeen === 'string' ? (parseIsoTicks(r.lastSeen) ?? null) : null),
  },
  exposureLevel: textMember('exposureLevel'),
  onboardingStatus: textMember('onboardingStatus'),
  lastIpAddress: textMember('lastIpAddress'),
  healthStatus: textMember('healthStatus'),
  osPlatform: textMember('osPlatform'),
  riskScore: textMember('riskScore'),
  rbacGroupId: numberMember('rbacGroupId'),
};

const MAX_PAGE = 10_000;
const FILTER_CACHE_SIZE = 8;
const filterCache = new WeakMap<SimState, Map<string, Int32Array>>();

/** Machine indices matching a filter at an epoch; cached, so stepping `$skip` through a filtered list stays cheap. */
function matchingIndices(state: SimState, epoch: number, filter: string | undefined): Int32Array {
  const alive = state.tenant.population.alive(epoch);
  if (filter === undefined) return alive;
  let cache = filterCache.get(state);
  if (cache === undefined) {
    cache = new Map();
    filterCache.set(state, cache);
  }
  const key = `${epoch}|${filter}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const predicate = compileFilter(filter, MACHINE_FILTER, 'Machines');
  const matches: number[] = [];
  for (const index of alive) {
    if (predicate(machineRecord(state.tenant, state.tenant.machine(index), epoch))) matches.push(index);
  }
  const result = Int32Array.from(matches);
  if (cache.size >= FILTER_CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, result);
  return result;
}

/**
 * `GET /api/machines`: `$filter`, `$top` (≤ 10,000), `$skip`, no `@odata.nextLink` (clients step `$skip` until a
 * short page), and 404 when nothing matches at all, as the service answers.
 */
const listMachines: Handler = async (state, ex) => {
  const page = pageRequest(ex.query, MAX_PAGE, MAX_PAGE);
  const epoch = state.tenant.epoch;
  const indices = matchingIndices(state, epoch, ex.query.get('$filter'));
  if (indices.length === 0) throw new ApiError(404, 'ResourceNotFound', 'No machines found');
  const { from, to } = pageSlice(indices.length, page);
  function* records(): Generator<JsonRecord> {
    for (let i = from; i < to; i++)
      yield machineRecord(state.tenant, state.tenant.machine(indices[i] ?? 0), epoch);
  }
  await sendODataList(state, ex, mdeContext(state, 'Machines'), records(), to - from);
};

/** `GET /api/machines/{id}`: by machine id or computer name. */
const getMachine: Handler = async (state, ex, [key = '']) => {
  const epoch = state.tenant.epoch;
  const core = state.tenant.findMachine(key, epoch);
  if (core === undefined) throw new ApiError(404, 'ResourceNotFound', `Machine ${key} was not found`);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'Machines/$entity'),
    ...machineRecord(state.tenant, core, epoch),
  });
};

export const machineRoutes: readonly Route[] = [
  mde('/api/machines', /^\/api\/machines$/i, MACHINE_READ, 'default', listMachines),
  mde('/api/machines/{id}', /^\/api\/machines\/([^/]+)$/i, MACHINE_READ, 'default', getMachine),
];
