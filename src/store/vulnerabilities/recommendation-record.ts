import type { Insertable } from 'kysely';
import type { RecommendationsTable } from '../db/schema.js';

/** A security recommendation as the sync writes it, marked seen by its run. */
export interface RecommendationRecord {
  readonly integrationId: string;
  readonly recommendationId: string;
  readonly name: string | null;
  readonly productName: string | null;
  readonly vendor: string | null;
  readonly category: string | null;
  readonly remediationType: string | null;
  readonly status: string | null;
  readonly recommendedVersion: string | null;
  readonly severityScore: number | null;
  readonly weaknesses: number | null;
  /** 0/1, null when Defender does not say. */
  readonly publicExploit: number | null;
  readonly activeAlert: number | null;
  readonly exposureImpact: number | null;
  readonly configScoreImpact: number | null;
  readonly totalMachines: number | null;
  readonly exposedMachines: number | null;
  readonly exposedCriticalDevices: number | null;
  /** The record as received, as JSON. */
  readonly raw: string;
  readonly runId: number;
  readonly updatedAt: string;
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
