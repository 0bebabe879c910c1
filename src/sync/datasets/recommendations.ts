import type { DefenderClient, ExposureScore, Recommendation } from '../../defender/index.js';
import type { RunCounters } from '../run-counters.js';
import type { Dataset } from '../dataset.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import { defenderPages, syncCatalog } from '../catalog-sync.js';
import {
  type NewExposureScoreRow,
  type NewRecommendationRow,
  organisationScope,
  type Repositories,
} from '../../store/index.js';

/** The recommendations it writes with their devices, and the exposure score readings. */
export type RecommendationsDeps = Pick<Repositories, 'recommendations' | 'exposureScores'>;

function toRecommendationRow(
  r: Recommendation,
  integrationId: string,
  runId: number,
  now: string,
): NewRecommendationRow {
  return {
    integration_id: integrationId,
    recommendation_id: r.id,
    name: r.recommendationName ?? null,
    product_name: r.productName ?? null,
    vendor: r.vendor ?? null,
    category: r.recommendationCategory ?? null,
    remediation_type: r.remediationType ?? null,
    status: r.status ?? null,
    recommended_version: r.recommendedVersion ?? null,
    severity_score: r.severityScore ?? null,
    weaknesses: r.weaknesses ?? null,
    public_exploit: storedFlag(r.publicExploit),
    active_alert: storedFlag(r.activeAlert),
    exposure_impact: r.exposureImpact ?? null,
    config_score_impact: r.configScoreImpact ?? null,
    total_machines: r.totalMachineCount ?? null,
    exposed_machines: r.exposedMachinesCount ?? null,
    exposed_critical_devices: r.exposedCriticalDevices ?? null,
    raw: storedRecordJson(r),
    run_id: runId,
    updated_at: now,
  };
}

function toScoreRow(score: ExposureScore, integrationId: string): NewExposureScoreRow {
  const group = score.rbacGroupId;
  return {
    integration_id: integrationId,
    scope: group === null || group === undefined ? organisationScope : String(group),
    rbac_group_name: score.rbacGroupName ?? null,
    score: score.score,
    time_raw: score.time.raw,
    time_at: score.time.date.toISOString(),
  };
}

/** The organisation's score and every device group's, as one list of rows. */
async function readScores(
  client: DefenderClient,
  integrationId: string,
  counters: RunCounters,
  signal: { signal?: AbortSignal },
): Promise<NewExposureScoreRow[]> {
  const rows = [toScoreRow(await client.recommendations.exposureScore(signal.signal), integrationId)];
  for await (const batch of client.recommendations.exposureScoreByMachineGroups(signal)) {
    counters.read(batch);
    for (const score of batch.items) rows.push(toScoreRow(score, integrationId));
  }
  return rows;
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
  enabled: (integration) => integration.imports.recommendations,
  async run(ctx) {
    const { integration, client, deps, runId, counters, access } = ctx;
    const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
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
              toRecommendationRow(r, integration.id, runId, new Date().toISOString()),
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
