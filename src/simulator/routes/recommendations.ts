import { ApiError } from '../http/api-error.js';
import {
  compileFilter,
  numberMember,
  textMember,
  type FilterSchema,
  type JsonRecord,
} from '../http/odata-filter.js';
import { mdeContext } from '../http/odata-list.js';
import { sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import { softwareLedger, type ProductTally, type SoftwareData } from '../world/software-inventory.js';
import {
  exposureScoreRecord,
  groupScoreRecords,
  rankedRecommendations,
  recommendationMachines,
  recommendationRecord,
  tallyByRecommendationId,
} from '../world/software-records.js';
import { type Route, mde, RECOMMENDATION_READ, SCORE_READ } from '../http/route.js';
import type { Handler } from './handler.js';
import { sendMachineReferences, sendPage } from './software.js';

/** The properties `GET /api/recommendations` documents as filterable. */
const RECOMMENDATION_FILTER: FilterSchema<JsonRecord> = {
  id: textMember('id'),
  productName: textMember('productName'),
  vendor: textMember('vendor'),
  recommendedVersion: textMember('recommendedVersion'),
  recommendationCategory: textMember('recommendationCategory'),
  subCategory: textMember('subCategory'),
  severityScore: numberMember('severityScore'),
  remediationType: textMember('remediationType'),
  recommendedProgram: textMember('recommendedProgram'),
  recommendedVendor: textMember('recommendedVendor'),
  status: textMember('status'),
};

interface Snapshot {
  readonly data: SoftwareData;
  /** The instant the epoch's numbers describe. */
  readonly at: number;
}

async function snapshot(state: SimState): Promise<Snapshot> {
  const data = await softwareLedger(state.tenant).data(state.tenant.epoch);
  return { data, at: state.tenant.clock.epochStart(data.epoch) };
}

function record(state: SimState, { data, at }: Snapshot, tally: ProductTally): JsonRecord {
  return recommendationRecord(tally, data, state.tenant.catalog, at);
}

async function recommendationOr404(
  state: SimState,
  id: string,
): Promise<{ snap: Snapshot; tally: ProductTally }> {
  const snap = await snapshot(state);
  const tally = tallyByRecommendationId(snap.data, id, snap.at);
  if (tally === undefined) throw new ApiError(404, 'ResourceNotFound', `Recommendation ${id} was not found`);
  return { snap, tally };
}

/** `GET /api/recommendations`: one per product with something open (or out of support), most exposure first. */
const listRecommendations: Handler = async (state, ex) => {
  const snap = await snapshot(state);
  const filter = ex.query.get('$filter');
  const predicate =
    filter === undefined ? () => true : compileFilter(filter, RECOMMENDATION_FILTER, 'Recommendations');
  const matching = rankedRecommendations(snap.data, snap.at)
    .map((tally) => record(state, snap, tally))
    .filter(predicate);
  await sendPage(state, ex, 'Recommendations', matching.length, (i) => matching[i] ?? {});
};

/** `GET /api/recommendations/{id}` */
const getRecommendation: Handler = async (state, ex, [id = '']) => {
  const { snap, tally } = await recommendationOr404(state, id);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'Recommendations/$entity'),
    ...record(state, snap, tally),
  });
};

/** `GET /api/recommendations/{id}/machineReferences`: the devices the recommendation would fix. */
const recommendationMachineReferences: Handler = async (state, ex, [id = '']) => {
  const { snap, tally } = await recommendationOr404(state, id);
  await sendMachineReferences(state, ex, recommendationMachines(tally, snap.at));
};

/** `GET /api/exposureScore` */
const exposureScore: Handler = async (state, ex) => {
  const { data, at } = await snapshot(state);
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'ExposureScore/$entity'),
    ...exposureScoreRecord(data, at),
  });
};

/** `GET /api/exposureScore/ByMachineGroups` */
const exposureScoreByMachineGroups: Handler = async (state, ex) => {
  const { data, at } = await snapshot(state);
  const rows = groupScoreRecords(data, at);
  await sendPage(state, ex, 'ExposureScore', rows.length, (i) => rows[i] ?? {});
};

/** Security recommendations and the exposure score. */
export const recommendationRoutes: readonly Route[] = [
  mde(
    '/api/recommendations',
    /^\/api\/recommendations$/i,
    RECOMMENDATION_READ,
    'default',
    listRecommendations,
  ),
  mde(
    '/api/recommendations/{id}',
    /^\/api\/recommendations\/([^/]+)$/i,
    RECOMMENDATION_READ,
    'default',
    getRecommendation,
  ),
  mde(
    '/api/recommendations/{id}/machineReferences',
    /^\/api\/recommendations\/([^/]+)\/machineReferences$/i,
    RECOMMENDATION_READ,
    'default',
    recommendationMachineReferences,
  ),
  mde('/api/exposureScore', /^\/api\/exposureScore$/i, SCORE_READ, 'default', exposureScore),
  mde(
    '/api/exposureScore/ByMachineGroups',
    /^\/api\/exposureScore\/ByMachineGroups$/i,
    SCORE_READ,
    'default',
    exposureScoreByMachineGroups,
  ),
];
