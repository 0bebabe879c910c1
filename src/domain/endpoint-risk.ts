/**
 * Endpoint risk level: the highest of four parts, each kept so the UI can say why an endpoint is rated as it
 * is. See DESIGN.md "Domain rules to start from".
 */
import {
  alertSeverityRisk,
  findingSeverityRisk,
  maxRisk,
  raiseRisk,
  raisesExposure,
  riskRank,
  type RiskLevel,
} from './levels.js';

type Text = string | null | undefined;

export interface RiskParts {
  /** Worst open finding's severity, raised one step for a verified or packaged exploit. */
  exposure: RiskLevel;
  /** Most severe active alert. */
  alert: RiskLevel;
  /** Defender's machine riskScore. */
  riskScore: RiskLevel;
  /** Defender's machine exposureLevel. */
  exposureLevel: RiskLevel;
}

export function endpointRiskLevel(parts: RiskParts): RiskLevel {
  return maxRisk(parts.exposure, parts.alert, parts.riskScore, parts.exposureLevel);
}

/**
 * The finding's severity as a risk level, one step higher when the exploit is verified or in a kit. A finding
 * without a known severity but with a usable exploit is raised from None to Low: a working exploit is a risk
 * whatever the rating says.
 */
export function findingExposureRisk(severity: Text, exploitabilityLevel: Text): RiskLevel {
  const base = findingSeverityRisk(severity);
  return raisesExposure(exploitabilityLevel) ? raiseRisk(base) : base;
}

/**
 * Only a resolved alert (MDE `Resolved`, Graph `resolved`) is inactive. Everything else counts as active —
 * `New`/`new`, `InProgress`/`inProgress`, and also MDE's `Unknown`, Graph's `unknownFutureValue`, a value either
 * API adds later, or no status at all: treating an unrecognised status as inactive would silently drop a live
 * alert from the endpoint's risk, while treating it as active at worst over-rates the endpoint until the
 * alert is resolved — the safer error for a security tool.
 */
export function isActiveAlertStatus(status: Text): boolean {
  return typeof status !== 'string' || status.trim().toLowerCase() !== 'resolved';
}

export interface AlertRiskInput {
  readonly severity: Text;
  readonly status: Text;
}

/** The most severe active alert; None when there is none or all are informational. */
export function alertRisk(alerts: Iterable<AlertRiskInput>): RiskLevel {
  let level: RiskLevel = 'None';
  for (const alert of alerts) {
    if (isActiveAlertStatus(alert.status)) level = maxRisk(level, alertSeverityRisk(alert.severity));
  }
  return level;
}

export interface FindingExposureInput {
  readonly severity: Text;
  readonly exploitabilityLevel: Text;
  /** CVSS v3 base score: breaks ties between findings of equal exposure risk. */
  readonly cvssScore?: number | null | undefined;
  /** Last tie-breaker, so the same findings always name the same worst one. */
  readonly cveId?: string | null | undefined;
  /** The store's finding status; `resolved` findings are skipped, anything else counts as open. */
  readonly status?: string | null | undefined;
}

/**
 * Orders findings worst first (negative when `a` is worse than `b`), so `findings.sort(compareFindingExposure)[0]`
 * is the worst. The SQL equivalent, to keep database ordering identical:
 *   ORDER BY <exposure risk rank> DESC, cvss_score DESC NULLS LAST, cve_id ASC NULLS LAST
 * where the exposure rank is riskRank(findingExposureRisk(severity, exploitability_level)). CVE ids compare
 * by UTF-16 code units (not locale), like SQLite's BINARY collation and PostgreSQL's "C" collation.
 */
export function compareFindingExposure(a: FindingExposureInput, b: FindingExposureInput): number {
  return (
    exposureRank(b) - exposureRank(a) ||
    compareNullsLast(a.cvssScore, b.cvssScore, (x, y) => y - x) ||
    compareNullsLast(a.cveId, b.cveId, (x, y) => (x < y ? -1 : x > y ? 1 : 0))
  );
}

function exposureRank(finding: FindingExposureInput): number {
  return riskRank(findingExposureRisk(finding.severity, finding.exploitabilityLevel));
}

function compareNullsLast<T>(
  a: T | null | undefined,
  b: T | null | undefined,
  compare: (x: T, y: T) => number,
): number {
  if (a == null) return b == null ? 0 : 1;
  if (b == null) return -1;
  return compare(a, b);
}

export interface ExposureRisk<T> {
  level: RiskLevel;
  /**
   * The open finding that sets the level, with its position in the input. Absent when no open finding
   * contributes any risk (no findings, or only ones of unknown severity without a usable exploit).
   */
  worst?: { index: number; finding: T };
}

export function exposureRisk<T extends FindingExposureInput>(findings: readonly T[]): ExposureRisk<T> {
  let worst: { index: number; finding: T } | undefined;
  findings.forEach((finding, index) => {
    if (isResolvedFinding(finding)) return;
    // Strictly worse only: among equals the first stays, so the result does not depend on sort stability.
    if (worst === undefined || compareFindingExposure(finding, worst.finding) < 0) worst = { index, finding };
  });
  if (worst === undefined) return { level: 'None' };
  const level = findingExposureRisk(worst.finding.severity, worst.finding.exploitabilityLevel);
  return level === 'None' ? { level } : { level, worst };
}

function isResolvedFinding(finding: FindingExposureInput): boolean {
  return finding.status?.trim().toLowerCase() === 'resolved';
}
