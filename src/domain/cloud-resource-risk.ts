/**
 * Risk level of a cloud resource (an Azure resource Defender for Cloud assesses), on the endpoints' scale so
 * cloud resources and endpoints filter and sort alike.
 */
import { findingSeverityRisk, maxRisk, riskLevels, type RiskLevel } from './levels.js';

type Text = string | null | undefined;

export interface CloudResourceRiskInput {
  /** Severity of the worst unhealthy assessment (Defender for Cloud's High, Medium, Low); null when none. */
  readonly worstAssessmentSeverity: Text;
  /** Severity of the worst open (unhealthy) finding of its assessments; null when none. */
  readonly worstFindingSeverity: Text;
}

/**
 * The worse of the two severities, read on the risk scale (Low → Low … a future Critical → Critical); None when
 * neither is known. Why these two and no more: a resource has no alerts, riskScore or exposureLevel as an
 * endpoint has, so the endpoint rule's exposure part is all that carries over — an unhealthy assessment says
 * the resource is misconfigured, an open finding says it is vulnerable, and Defender for Cloud rates both on
 * the same scale, so neither is weighted over the other. Healthy and not-applicable records carry no risk, and
 * a word outside the scale carries none either, so a value Defender adds later cannot outrank a known one.
 * The SQL twin (cloud-repository's resources) takes the highest rank of `rankOf(severity, riskLevels)` over
 * the unhealthy rows, 0 when none; `cloudResourceRiskRank` is that rank.
 */
export function cloudResourceRiskLevel(input: CloudResourceRiskInput): RiskLevel {
  return maxRisk(
    findingSeverityRisk(input.worstAssessmentSeverity),
    findingSeverityRisk(input.worstFindingSeverity),
  );
}

/** The level's position on the risk scale (None 0 … Critical 4), as the SQL twin computes it. */
export function cloudResourceRiskRank(input: CloudResourceRiskInput): number {
  return riskLevels.indexOf(cloudResourceRiskLevel(input));
}
