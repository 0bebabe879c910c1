import { ApiError } from '../http/api-error.js';
import { sendODataList, mdeContext } from '../http/odata-list.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { pageRequest, pageSlice } from '../http/odata-query.js';
import { sendJson } from '../http/responses.js';
import { openFindings } from '../world/findings.js';
import { vulnerabilityRecord, type CatalogEntry } from '../world/vulnerability-catalog.js';
import { type Route, mde, VULNERABILITY_READ } from '../http/route.js';
import type { Handler } from './handler.js';

const VULNERABILITY_FILTER: FilterSchema<CatalogEntry> = {
  id: { type: 'string', get: (v) => v.id },
  name: { type: 'string', get: (v) => v.id },
  description: { type: 'string', get: (v) => v.description },
  severity: { type: 'string', get: (v) => v.severity },
  cvssV3: { type: 'number', get: (v) => v.cvssV3 },
  publishedOn: { type: 'date', get: (v) => v.publishedOn },
  updatedOn: { type: 'date', get: (v) => v.updatedOn },
};

/** The documented cap for this list is 8,000, not the usual 10,000. */
const MAX_PAGE = 8000;

/** `GET /api/vulnerabilities`: the catalog, with `exposedMachines` counted from the current findings. */
const listVulnerabilities: Handler = async (state, ex) => {
  const page = pageRequest(ex.query, MAX_PAGE, MAX_PAGE);
  const filter = ex.query.get('$filter');
  const predicate =
    filter === undefined ? () => true : compileFilter(filter, VULNERABILITY_FILTER, 'Vulnerabilities');
  const matching = state.tenant.catalog.entries.filter(predicate);
  const { exposedMachines } = await state.truth.data(state.tenant.epoch);
  const { from, to } = pageSlice(matching.length, page);
  const records = matching
    .slice(from, to)
    .map((entry) => vulnerabilityRecord(entry, exposedMachines[entry.index] ?? 0));
  await sendODataList(state, ex, mdeContext(state, 'Vulnerabilities'), records, records.length);
};

/** `GET /api/vulnerabilities/{cveId}` */
const getVulnerability: Handler = async (state, ex, [cveId = '']) => {
  const entry = state.tenant.catalog.byId(cveId);
  if (entry === undefined)
    throw new ApiError(404, 'ResourceNotFound', `Vulnerability ${cveId} was not found`);
  const { exposedMachines } = await state.truth.data(state.tenant.epoch);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'Vulnerabilities/$entity'),
    ...vulnerabilityRecord(entry, exposedMachines[entry.index] ?? 0),
  });
};

/** `GET /api/machines/{id}/vulnerabilities`: the CVEs open on one machine. */
const machineVulnerabilities: Handler = async (state, ex, [key = '']) => {
  const epoch = state.tenant.epoch;
  const core = state.tenant.findMachine(key, epoch);
  if (core === undefined) throw new ApiError(404, 'ResourceNotFound', `Machine ${key} was not found`);
  const { exposedMachines } = await state.truth.data(epoch);
  const records = openFindings(state.tenant, core, epoch)
    .filter((slot) => slot.cveIndex >= 0)
    .map((slot) =>
      vulnerabilityRecord(state.tenant.catalog.at(slot.cveIndex), exposedMachines[slot.cveIndex] ?? 0),
    );
  await sendODataList(state, ex, mdeContext(state, 'Vulnerabilities'), records, records.length);
};

export const vulnerabilityRoutes: readonly Route[] = [
  mde(
    '/api/machines/{id}/vulnerabilities',
    /^\/api\/machines\/([^/]+)\/vulnerabilities$/i,
    VULNERABILITY_READ,
    'machineVulnerabilities',
    machineVulnerabilities,
  ),
  mde(
    '/api/vulnerabilities',
    /^\/api\/vulnerabilities$/i,
    VULNERABILITY_READ,
    'default',
    listVulnerabilities,
  ),
  mde(
    '/api/vulnerabilities/{id}',
    /^\/api\/vulnerabilities\/([^/]+)$/i,
    VULNERABILITY_READ,
    'default',
    getVulnerability,
  ),
];
