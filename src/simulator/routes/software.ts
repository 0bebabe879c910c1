import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { compileFilter, textMember, type FilterSchema, type JsonRecord } from '../http/odata-filter.js';
import { mdeContext, sendODataList } from '../http/odata-list.js';
import { pageRequest, pageSlice } from '../http/odata-query.js';
import { sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import {
  machineInventory,
  softwareLedger,
  type ProductTally,
  type SoftwareData,
} from '../world/software-inventory.js';
import {
  distributionRecords,
  machineReference,
  softwareRecord,
  tallyBySoftwareId,
} from '../world/software-records.js';
import { vulnerabilityRecord } from '../world/vulnerability-catalog.js';
import { type Route, mde, SOFTWARE_READ, SOFTWARE_VULNERABILITY_READ } from '../http/route.js';
import type { Handler } from './handler.js';

/** The properties `GET /api/Software` documents as filterable. */
const SOFTWARE_FILTER: FilterSchema<JsonRecord> = {
  id: textMember('id'),
  name: textMember('name'),
  vendor: textMember('vendor'),
};

/** `$top` cap of the software lists; the sub-lists take the same `$top`/`$skip` so a client can step through them. */
export const MAX_PAGE = 10_000;

/** Sends one `$top`/`$skip` page of `total` records built by `at`. */
export async function sendPage(
  state: SimState,
  ex: Exchange,
  set: string,
  total: number,
  at: (position: number) => Record<string, unknown>,
): Promise<void> {
  const { from, to } = pageSlice(total, pageRequest(ex.query, MAX_PAGE, MAX_PAGE));
  function* records(): Generator<Record<string, unknown>> {
    for (let i = from; i < to; i++) yield at(i);
  }
  await sendODataList(state, ex, mdeContext(state, set), records(), to - from);
}

/** MachineReferences of machine indices, one page of them. */
export function sendMachineReferences(state: SimState, ex: Exchange, indices: Int32Array): Promise<void> {
  return sendPage(state, ex, 'MachineReferences', indices.length, (i) =>
    machineReference(state.tenant.machine(indices[i] ?? 0)),
  );
}

async function currentData(state: SimState): Promise<SoftwareData> {
  return softwareLedger(state.tenant).data(state.tenant.epoch);
}

async function softwareOr404(
  state: SimState,
  id: string,
): Promise<{ data: SoftwareData; tally: ProductTally }> {
  const data = await currentData(state);
  const tally = tallyBySoftwareId(data, id);
  if (tally === undefined) throw new ApiError(404, 'ResourceNotFound', `Software ${id} was not found`);
  return { data, tally };
}

function record(state: SimState, data: SoftwareData, tally: ProductTally): JsonRecord {
  return softwareRecord(tally, data, state.tenant.catalog, state.tenant.clock.epochStart(data.epoch));
}

/** `GET /api/Software`: every product installed somewhere, `$filter` on id/name/vendor, `$top` ≤ 10,000. */
const listSoftware: Handler = async (state, ex) => {
  const data = await currentData(state);
  const filter = ex.query.get('$filter');
  const predicate = filter === undefined ? () => true : compileFilter(filter, SOFTWARE_FILTER, 'Software');
  const matching = data.products.map((tally) => record(state, data, tally)).filter(predicate);
  await sendPage(state, ex, 'Software', matching.length, (i) => matching[i] ?? {});
};

/** `GET /api/Software/{id}` */
const getSoftware: Handler = async (state, ex, [id = '']) => {
  const { data, tally } = await softwareOr404(state, id);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'Software/$entity'),
    ...record(state, data, tally),
  });
};

/** `GET /api/Software/{id}/machineReferences`: the machines it is installed on, in machine list order. */
const softwareMachineReferences: Handler = async (state, ex, [id = '']) => {
  const { tally } = await softwareOr404(state, id);
  await sendMachineReferences(state, ex, tally.installed);
};

/** `GET /api/Software/{id}/vulnerabilities`: its CVEs open on at least one machine (its `weaknesses`). */
const softwareVulnerabilities: Handler = async (state, ex, [id = '']) => {
  const { tally } = await softwareOr404(state, id);
  const { exposedMachines } = await state.truth.data(state.tenant.epoch);
  await sendPage(state, ex, 'Vulnerabilities', tally.cves.length, (i) => {
    const entry = state.tenant.catalog.at(tally.cves[i] ?? 0);
    return vulnerabilityRecord(entry, exposedMachines[entry.index] ?? 0);
  });
};

/** `GET /api/Software/{id}/distributions`: installations and open CVEs per installed version. */
const softwareDistributions: Handler = async (state, ex, [id = '']) => {
  const { tally } = await softwareOr404(state, id);
  const rows = distributionRecords(tally);
  await sendPage(state, ex, 'Distributions', rows.length, (i) => rows[i] ?? {});
};

/** `GET /api/machines/{id}/software`: the machine's inventory as tenant-wide Software records. */
const machineSoftware: Handler = async (state, ex, [key = '']) => {
  const epoch = state.tenant.epoch;
  const core = state.tenant.findMachine(key, epoch);
  if (core === undefined) throw new ApiError(404, 'ResourceNotFound', `Machine ${key} was not found`);
  const data = await currentData(state);
  const byProduct = new Map(data.products.map((tally) => [tally.productIndex, tally]));
  const rows = machineInventory(state.tenant, core, epoch).flatMap((item) => {
    const tally = byProduct.get(item.productIndex);
    return tally === undefined ? [] : [record(state, data, tally)];
  });
  await sendPage(state, ex, 'Software', rows.length, (i) => rows[i] ?? {});
};

export const softwareRoutes: readonly Route[] = [
  mde(
    '/api/machines/{id}/software',
    /^\/api\/machines\/([^/]+)\/software$/i,
    SOFTWARE_READ,
    'default',
    machineSoftware,
  ),
  mde('/api/Software', /^\/api\/Software$/i, SOFTWARE_READ, 'default', listSoftware),
  mde('/api/Software/{id}', /^\/api\/Software\/([^/]+)$/i, SOFTWARE_READ, 'default', getSoftware),
  mde(
    '/api/Software/{id}/machineReferences',
    /^\/api\/Software\/([^/]+)\/machineReferences$/i,
    SOFTWARE_READ,
    'default',
    softwareMachineReferences,
  ),
  mde(
    '/api/Software/{id}/vulnerabilities',
    /^\/api\/Software\/([^/]+)\/vulnerabilities$/i,
    SOFTWARE_VULNERABILITY_READ,
    'default',
    softwareVulnerabilities,
  ),
  mde(
    '/api/Software/{id}/distributions',
    /^\/api\/Software\/([^/]+)\/distributions$/i,
    SOFTWARE_READ,
    'default',
    softwareDistributions,
  ),
];
