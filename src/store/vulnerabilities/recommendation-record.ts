import type { Insertable } from 'kysely';
import type { RecommendationsTable } from '../db/schema.js';
import type { Recommendation } from './recommendation-mapper.js';

/**
 * A security recommendation as the sync writes it, marked seen by its run: the facts the API shows, with the
 * flags as 0/1 (null when Defender does not say) and the record as received, as JSON.
 */
export interface RecommendationRecord extends Omit<
  Recommendation,
  'id' | 'publicExploit' | 'activeAlert' | 'defender'
> {
  readonly recommendationId: string;
  readonly publicExploit: number | null;
  readonly activeAlert: number | null;
  readonly raw: string;
  readonly runId: number;
}

export function recommendationRow(r: RecommendationRecord): Insertable<RecommendationsTable> {
  return {
    integration_id: r.integrationId,
    recommendation_id: r.recommendationId,
    name: r.name,
    product_name: r.productName,
    vendor: r.vendor,
    category: r.category,
    remediation_type: r.remediationType,
    status: r.status,
    recommended_version: r.recommendedVersion,
    severity_score: r.severityScore,
    weaknesses: r.weaknesses,
    public_exploit: r.publicExploit,
    active_alert: r.activeAlert,
    exposure_impact: r.exposureImpact,
    config_score_impact: r.configScoreImpact,
    total_machines: r.totalMachines,
    exposed_machines: r.exposedMachines,
    exposed_critical_devices: r.exposedCriticalDevices,
    raw: r.raw,
    run_id: r.runId,
    updated_at: r.updatedAt,
  };
}
