import type { Insertable } from 'kysely';
import type {
  CloudAssessmentsTable,
  CloudFindingsTable,
  CloudSecureScoreDaysTable,
  CloudSecureScoresTable,
  CloudSubscriptionsTable,
} from '../db/cloud-schema.js';
import type { CloudAssessment, CloudFinding } from './cloud-mapper.js';

/** A subscription as the last read of its lists left it, marked seen by the run. */
export interface CloudSubscriptionRecord {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly displayName: string | null;
  readonly state: string | null;
  readonly lastReadAt: string | null;
  /** 1 when the read succeeded, 0 when refused (errorCode and errorMessage say why). */
  readonly lastReadOk: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly runId: number;
}

/** A secure score with its controls, as read now. */
export interface CloudSecureScoreRecord {
  readonly integrationId: string;
  readonly subscriptionId: string;
  /** ARM's name of the score (`ascScore`). */
  readonly name: string;
  readonly scoreId: string;
  readonly displayName: string | null;
  readonly current: number;
  readonly max: number;
  /** 0–1. */
  readonly percentage: number;
  readonly weight: number;
  /** JSON list of the score's controls. */
  readonly controls: string;
  readonly readAt: string;
  readonly runId: number;
}

/** The day's reading of a secure score, for the trend. */
export interface CloudSecureScoreDayRecord {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly name: string;
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly current: number;
  readonly max: number;
  readonly percentage: number;
  readonly readAt: string;
}

/** An assessment as the sync writes it: what the API shows, its ARM id as `assessmentId`, the record as JSON. */
export interface CloudAssessmentRecord extends Omit<CloudAssessment, 'id' | 'defender'> {
  readonly assessmentId: string;
  readonly raw: string;
  readonly runId: number;
}

/** A finding (an ARM sub-assessment) as the sync writes it: its CVE ids as a JSON list, `patchable` 0/1. */
export interface CloudFindingRecord extends Omit<CloudFinding, 'id' | 'cveIds' | 'patchable' | 'defender'> {
  readonly findingId: string;
  readonly cveIds: string;
  readonly patchable: number | null;
  readonly raw: string;
  readonly runId: number;
}

export function cloudSubscriptionRow(r: CloudSubscriptionRecord): Insertable<CloudSubscriptionsTable> {
  return {
    integration_id: r.integrationId,
    subscription_id: r.subscriptionId,
    display_name: r.displayName,
    state: r.state,
    last_read_at: r.lastReadAt,
    last_read_ok: r.lastReadOk,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    run_id: r.runId,
  };
}

export function cloudSecureScoreRow(r: CloudSecureScoreRecord): Insertable<CloudSecureScoresTable> {
  return {
    integration_id: r.integrationId,
    subscription_id: r.subscriptionId,
    name: r.name,
    score_id: r.scoreId,
    display_name: r.displayName,
    current: r.current,
    max: r.max,
    percentage: r.percentage,
    weight: r.weight,
    controls: r.controls,
    read_at: r.readAt,
    run_id: r.runId,
  };
}

export function cloudSecureScoreDayRow(r: CloudSecureScoreDayRecord): Insertable<CloudSecureScoreDaysTable> {
  return {
    integration_id: r.integrationId,
    subscription_id: r.subscriptionId,
    name: r.name,
    day: r.day,
    current: r.current,
    max: r.max,
    percentage: r.percentage,
    read_at: r.readAt,
  };
}

export function cloudAssessmentRow(r: CloudAssessmentRecord): Insertable<CloudAssessmentsTable> {
  return {
    integration_id: r.integrationId,
    assessment_id: r.assessmentId,
    subscription_id: r.subscriptionId,
    name: r.name,
    resource_id: r.resourceId,
    resource_type: r.resourceType,
    display_name: r.displayName,
    status: r.status,
    severity: r.severity,
    remediation: r.remediation,
    portal_url: r.portalUrl,
    raw: r.raw,
    run_id: r.runId,
    updated_at: r.updatedAt,
  };
}

export function cloudFindingRow(r: CloudFindingRecord): Insertable<CloudFindingsTable> {
  return {
    integration_id: r.integrationId,
    finding_id: r.findingId,
    subscription_id: r.subscriptionId,
    assessment_id: r.assessmentId,
    vulnerability_id: r.vulnerabilityId,
    display_name: r.displayName,
    resource_id: r.resourceId,
    resource_type: r.resourceType,
    assessed_resource_type: r.assessedResourceType,
    cve_ids: r.cveIds,
    severity: r.severity,
    patchable: r.patchable,
    status: r.status,
    raw: r.raw,
    run_id: r.runId,
    updated_at: r.updatedAt,
  };
}
