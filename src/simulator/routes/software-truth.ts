import { ApiError } from '../http/api-error.js';
import { sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import { machineInventory, softwareLedger, type SoftwareData } from '../world/software-inventory.js';
import {
  exposureScoreRecord,
  groupScoreRecords,
  hasRecommendation,
  softwareRecord,
  tallyBySoftwareId,
} from '../world/software-records.js';
import { type Route, open } from '../http/route.js';
import type { Handler } from './handler.js';

/** `GET /_sim/truth/software` entry: what a complete read of `/api/Software` must find for one product. */
export interface TruthSoftware {
  readonly id: string;
  readonly installedMachines: number;
  readonly exposedMachines: number;
  readonly weaknesses: number;
  readonly impactScore: number;
  readonly endOfSupportStatus: string;
  /** Whether `/api/recommendations` lists one for it. */
  readonly recommendation: boolean;
}

/** `GET /_sim/truth/software/{id}/machines` entry, in machine list order. */
export interface TruthSoftwareMachine {
  readonly id: string;
  readonly version: string;
  /** An open finding of this software is on the machine. */
  readonly exposed: boolean;
}

async function current(state: SimState): Promise<{ data: SoftwareData; at: number }> {
  const data = await softwareLedger(state.tenant).data(state.tenant.epoch);
  return { data, at: state.tenant.clock.epochStart(data.epoch) };
}

export async function truthSoftware(state: SimState): Promise<TruthSoftware[]> {
  const { data, at } = await current(state);
  return data.products.map((tally) => {
    const record = softwareRecord(tally, data, state.tenant.catalog, at);
    return {
      id: String(record.id),
      installedMachines: tally.installed.length,
      exposedMachines: tally.exposed.length,
      weaknesses: tally.cves.length,
      impactScore: Number(record.impactScore),
      endOfSupportStatus: String(record.endOfSupportStatus),
      recommendation: hasRecommendation(tally, at),
    };
  });
}

/** Computed machine by machine (not from the ledger's lists), so it checks the ledger as much as the routes. */
export async function truthSoftwareMachines(
  state: SimState,
  id: string,
): Promise<TruthSoftwareMachine[] | undefined> {
  const { data } = await current(state);
  const tally = tallyBySoftwareId(data, id);
  if (tally === undefined) return undefined;
  const epoch = data.epoch;
  const machines: TruthSoftwareMachine[] = [];
  for (const index of state.tenant.population.alive(epoch)) {
    const core = state.tenant.machine(index);
    const item = machineInventory(state.tenant, core, epoch).find(
      (i) => i.productIndex === tally.productIndex,
    );
    if (item !== undefined)
      machines.push({ id: core.id, version: item.version, exposed: item.cves.length > 0 });
  }
  return machines;
}

const truthSoftwareRoute: Handler = async (state, ex) => {
  await sendJson(ex, 200, await truthSoftware(state));
};

const truthSoftwareMachinesRoute: Handler = async (state, ex, [id = '']) => {
  const machines = await truthSoftwareMachines(state, id);
  if (machines === undefined) throw new ApiError(404, 'ResourceNotFound', `Software ${id} was not found`);
  await sendJson(ex, 200, machines);
};

/** `GET /_sim/truth/exposure-score`: `{score, byMachineGroups}` as the score routes must answer. */
const truthExposureScoreRoute: Handler = async (state, ex) => {
  const { data, at } = await current(state);
  await sendJson(ex, 200, {
    ...exposureScoreRecord(data, at),
    installations: data.installations,
    byMachineGroups: groupScoreRecords(data, at),
  });
};

export const softwareTruthRoutes: readonly Route[] = [
  open('GET', '/_sim/truth/software', /^\/_sim\/truth\/software$/, 'sim', truthSoftwareRoute),
  open(
    'GET',
    '/_sim/truth/software/{id}/machines',
    /^\/_sim\/truth\/software\/([^/]+)\/machines$/,
    'sim',
    truthSoftwareMachinesRoute,
  ),
  open(
    'GET',
    '/_sim/truth/exposure-score',
    /^\/_sim\/truth\/exposure-score$/,
    'sim',
    truthExposureScoreRoute,
  ),
];
