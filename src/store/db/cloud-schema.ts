/** Defender for Cloud posture tables (migration 0016), one row per record and integration. */
import type { CloudStatus } from '../../domain/cloud-status.js';

export interface CloudSubscriptionsTable {
  integration_id: string;
  subscription_id: string;
  display_name: string | null;
  state: string | null;
  last_read_at: string | null;
  /** 1 when the last read of its lists succeeded, 0 when refused (error_code and error_message say why). */
  last_read_ok: number;
  error_code: string | null;
  error_message: string | null;
  run_id: number;
}

export interface CloudSecureScoresTable {
  integration_id: string;
  subscription_id: string;
  /** ARM's name of the score (`ascScore`). */
  name: string;
  score_id: string;
  display_name: string | null;
  current: number;
  max: number;
  /** 0–1. */
  percentage: number;
  weight: number;
  /** JSON list of the score's controls. */
  controls: string;
  read_at: string;
  run_id: number;
}

/** The day's last reading of each score, for the trend. */
export interface CloudSecureScoreDaysTable {
  integration_id: string;
  subscription_id: string;
  name: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  current: number;
  max: number;
  percentage: number;
  read_at: string;
}

export interface CloudAssessmentsTable {
  integration_id: string;
  /** The ARM id of the assessment. */
  assessment_id: string;
  subscription_id: string;
  /** The assessment's name (its metadata key, a GUID). */
  name: string;
  resource_id: string | null;
  resource_type: string | null;
  display_name: string;
  status: CloudStatus;
  severity: string | null;
  remediation: string | null;
  portal_url: string | null;
  raw: string;
  run_id: number;
  updated_at: string;
}

export interface CloudFindingsTable {
  integration_id: string;
  /** The ARM id of the sub-assessment. */
  finding_id: string;
  subscription_id: string;
  /** The ARM id of the assessment it belongs to. */
  assessment_id: string | null;
  /** The scanner's or rule's id (`properties.id`). */
  vulnerability_id: string;
  display_name: string;
  resource_id: string | null;
  resource_type: string | null;
  /** `additionalData.assessedResourceType`: ServerVulnerability, ContainerRegistryVulnerability, … */
  assessed_resource_type: string | null;
  /** JSON list of CVE ids. */
  cve_ids: string;
  severity: string;
  patchable: number | null;
  status: CloudStatus;
  raw: string;
  run_id: number;
  updated_at: string;
}

/**
 * One row per CVE a cloud finding names (migration 0017), so the CVE catalog, the patches and the resources can
 * join cloud findings by CVE through an index instead of reading every finding's JSON list. Rewritten with its
 * finding and deleted with it (foreign key, on delete cascade).
 */
export interface CloudFindingCvesTable {
  integration_id: string;
  finding_id: string;
  /** Upper case, as the Defender for Endpoint catalog spells CVE ids. */
  cve_id: string;
  subscription_id: string;
  /** The assessed resource: its assessment's resource, else the finding's own (null when neither is known). */
  resource_id: string | null;
  /** That resource's ARM type. */
  resource_type: string | null;
  severity: string;
  status: CloudStatus;
  patchable: number | null;
}

export interface CloudTables {
  cloud_subscriptions: CloudSubscriptionsTable;
  cloud_secure_scores: CloudSecureScoresTable;
  cloud_secure_score_days: CloudSecureScoreDaysTable;
  cloud_assessments: CloudAssessmentsTable;
  cloud_findings: CloudFindingsTable;
  cloud_finding_cves: CloudFindingCvesTable;
}
