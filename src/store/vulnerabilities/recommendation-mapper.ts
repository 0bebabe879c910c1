import type { Selectable } from 'kysely';
import type { RecommendationsTable } from '../db/schema.js';
import { flag, parseStoredJson } from '../db/list-queries.js';

/** A security recommendation, as the API and the UI show it. */
export interface Recommendation {
  readonly id: string;
  readonly integrationId: string;
  readonly name: string | null;
  readonly productName: string | null;
  readonly vendor: string | null;
  readonly category: string | null;
  readonly remediationType: string | null;
  readonly status: string | null;
  readonly recommendedVersion: string | null;
  readonly severityScore: number | null;
  readonly weaknesses: number | null;
  readonly publicExploit: boolean | null;
  readonly activeAlert: boolean | null;
  readonly exposureImpact: number | null;
  readonly configScoreImpact: number | null;
  readonly totalMachines: number | null;
  readonly exposedMachines: number | null;
  readonly exposedCriticalDevices: number | null;
  readonly updatedAt: string;
  /** The record as Defender sent it. */
  readonly defender: unknown;
}

export function toRecommendation(row: Selectable<RecommendationsTable>): Recommendation {
  return {
    id: row.recommendation_id,
    integrationId: row.integration_id,
    name: row.name,
    productName: row.product_name,
    vendor: row.vendor,
    category: row.category,
    remediationType: row.remediation_type,
    status: row.status,
    recommendedVersion: row.recommended_version,
    severityScore: row.severity_score,
    weaknesses: row.weaknesses,
    publicExploit: flag(row.public_exploit),
    activeAlert: flag(row.active_alert),
    exposureImpact: row.exposure_impact,
    configScoreImpact: row.config_score_impact,
    totalMachines: row.total_machines,
    exposedMachines: row.exposed_machines,
    exposedCriticalDevices: row.exposed_critical_devices,
    updatedAt: row.updated_at,
    defender: parseStoredJson(row.raw),
  };
}
