import type { DefenderClient, ExposureScore, Recommendation } from '../../defender/index.js';
import type { RunCounters } from '../run-counters.js';
import { type Dataset, signalOption } from '../dataset.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import { defenderPages, syncCatalog } from '../catalog-sync.js';
import {
  type ExposureScoreRecord,
  organisationScope,
  type RecommendationRecord,
  type Repositories,
} from '../../store/index.js';

/** The recommendations it writes with their devices, and the exposure score readings. */
export type RecommendationsDeps = Pick<Repositories, 'recommendations' | 'exposureScores'>;

function toRecommendationRecord(
  r: Recommendation,
  integrationId: string,
  runId: number,
  now: string,
): RecommendationRecord {
  return {
    integrationId,
    recommendationId: r.id,
    name: r.recommendationName ?? null,
    productName: r.productName ?? null,
    vendor: r.vendor ?? null,
    category: r.recommendationCategory ?? null,
    remediationType: r.remediationType ?? null,
    status: r.status ?? null,
    recommendedVersion: r.recommendedVersion ?? null,
    severityScore: r.severityScore ?? null,
    weaknesses: r.weaknesses ?? null,
    publicExploit: storedFlag(r.publicExploit),
    activeAlert: storedFlag(r.activeAlert),
    exposureImpact: r.exposureImpact ?? null,
    configScoreImpact: r.configScoreImpact ?? null,
    totalMachines: r.totalMachineCount ?? null,
    exposedMachines: r.exposedMachinesCount ?? null,
    exposedCriticalDevices: r.exposedCriticalDevices ?? null,
    raw: storedRecordJson(r),
    runId,
    updatedAt: now,
  };
}

function toScoreRecord(score: ExposureScore, integrationId: string): ExposureScoreRecord {
  const group = score.rbacGroupId;
  return {
    integrationId,
    scope: group === null || group === undefined ? organisationScope : String(group),
    rbacGroupName: score.rbacGroupName ?? null,
    score: score.score,
    timeRaw: score.time.raw,
    timeAt: score.time.date.toISOString(),
  };
}

/** The organisation's score and every device group's, as one list of readings. */
async function readScores(
  client: DefenderClient,
  integrationId: string,
  counters: RunCounters,
  signal: { signal?: AbortSignal },
): Promise<ExposureScoreRecord[]> {
  const readings = [toScoreRecord(await client.recommendations.exposureScore(signal.signal), integrationId)];
  for await (const batch of client.recommendations.exposureScoreByMachineGroups(signal)) {
    counters.read(batch);
    for (const score of batch.items) readings.push(toScoreRecord(score, integrationId));
  }
  return readings;
}

/**
 * Security recommendations (`/api/recommendations`, SecurityRecommendation.Read.All), the devices each is about
 * (one call per recommendation and page, never per machine), then the exposure score of the organisation and of
 * each device group (Score.Read.All), kept as readings over time. Each part is read when its permission is
 * granted; the run records the other as not permitted. Recommendations Defender no longer lists are removed after
 * a complete run.
 */
export const recommendationsDataset: Dataset<RecommendationsDeps> = {
  name: 'recommendations',
  // Its devices are the endpoints; it reads nothing of the findings, so it runs while they are read.
  after: ['machines'],
  enabled: (integration) => integration.imports.recommendations,
  async run(ctx) {
    const { integration, client, deps, runId, counters, access } = ctx;
    const signal = signalOption(ctx);
    const outcome = access.permitted.includes('recommendations')
      ? await syncCatalog(ctx, {
          items: client.recommendations.list(signal),
          targets: [
            {
              kind: 'machine',
              read: (r) => defenderPages(client.recommendations.machineReferences(r.id, signal)),
            },
          ],
          store: (r) =>
            deps.recommendations.upsert(
              toRecommendationRecord(r, integration.id, runId, new Date().toISOString()),
            ),
          links: deps.recommendations.links,
          what: 'recommendations',
        })
      : // Not read, so nothing stored is removed: the list stays as the last permitted run left it.
        { complete: false, completeness: 'recommendations not permitted: the stored ones stay' };
    // A device group count is small (hundreds at most): its readings are stored together.
    if (access.permitted.includes('exposureScore'))
      await deps.exposureScores.record(await readScores(client, integration.id, counters, signal));
    return access.permitted.includes('exposureScore')
      ? outcome
      : { ...outcome, completeness: `${outcome.completeness}; exposure score not permitted` };
  },
};
