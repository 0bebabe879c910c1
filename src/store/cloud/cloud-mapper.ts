import type { Selectable } from 'kysely';
import type {
  CloudAssessmentsTable,
  CloudFindingsTable,
  CloudSecureScoreDaysTable,
  CloudSecureScoresTable,
  CloudSubscriptionsTable,
} from '../db/cloud-schema.js';
import type { CloudStatus } from '../../domain/cloud-status.js';
import { flag, parseObjectArray, parseStoredJson, parseStringArray } from '../db/list-queries.js';

export interface CloudSubscription {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly displayName: string | null;
  readonly state: string | null;
  readonly lastReadAt: string | null;
  readonly lastReadOk: boolean;
  readonly error: { readonly code: string; readonly message: string } | null;
}

interface ScoreReading {
  readonly current: number;
  readonly max: number;
  readonly percentage: number;
}

export interface CloudSecureScore extends ScoreReading {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly name: string;
  readonly id: string;
  readonly displayName: string | null;
  readonly weight: number;
  readonly readAt: string;
  readonly controls: Record<string, unknown>[];
  readonly history: (ScoreReading & { readonly day: string })[];
}

export interface CloudAssessment {
  readonly integrationId: string;
  /** The ARM id of the assessment. */
  readonly id: string;
  /** The assessment's name (its metadata key, a GUID). */
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceId: string | null;
  readonly resourceType: string | null;
  readonly displayName: string;
  readonly status: CloudStatus;
  readonly severity: string | null;
  readonly remediation: string | null;
  readonly portalUrl: string | null;
  readonly updatedAt: string;
  /** The record as Defender for Cloud sent it. */
  readonly defender: unknown;
}

export interface CloudFinding {
  readonly integrationId: string;
  readonly id: string;
  /** The ARM id of the assessment it belongs to. */
  readonly assessmentId: string | null;
  readonly subscriptionId: string;
  /** The scanner's or rule's id (`properties.id`). */
  readonly vulnerabilityId: string;
  readonly displayName: string;
  readonly resourceId: string | null;
  readonly resourceType: string | null;
  /** `additionalData.assessedResourceType`: ServerVulnerability, ContainerRegistryVulnerability, … */
  readonly assessedResourceType: string | null;
  readonly cveIds: string[];
  readonly severity: string;
  readonly patchable: boolean | null;
  readonly status: CloudStatus;
  readonly updatedAt: string;
  readonly defender: unknown;
}

export function toSubscription(row: Selectable<CloudSubscriptionsTable>): CloudSubscription {
  return {
    integrationId: row.integration_id,
    subscriptionId: row.subscription_id,
    displayName: row.display_name,
    state: row.state,
    lastReadAt: row.last_read_at,
    lastReadOk: row.last_read_ok === 1,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? row.error_code },
  };
}

/** The scores, each with its own daily readings (the readings come ordered by score, then day). */
export function toSecureScores(
  scores: readonly Selectable<CloudSecureScoresTable>[],
  days: readonly Selectable<CloudSecureScoreDaysTable>[],
): CloudSecureScore[] {
  const keyOf = (r: { integration_id: string; subscription_id: string; name: string }) =>
    `${r.integration_id}\n${r.subscription_id}\n${r.name}`;
  const byScore = new Map<string, Selectable<CloudSecureScoreDaysTable>[]>();
  for (const day of days) {
    const list = byScore.get(keyOf(day));
    if (list === undefined) byScore.set(keyOf(day), [day]);
    else list.push(day);
  }
  return scores.map((row) => ({
    integrationId: row.integration_id,
    subscriptionId: row.subscription_id,
    name: row.name,
    id: row.score_id,
    displayName: row.display_name,
    current: row.current,
    max: row.max,
    percentage: row.percentage,
    weight: row.weight,
    readAt: row.read_at,
    controls: parseObjectArray(row.controls),
    history: (byScore.get(keyOf(row)) ?? []).map((d) => ({
      day: d.day,
      current: d.current,
      max: d.max,
      percentage: d.percentage,
    })),
  }));
}

export function toAssessment(row: Selectable<CloudAssessmentsTable>): CloudAssessment {
  return {
    integrationId: row.integration_id,
    id: row.assessment_id,
    name: row.name,
    subscriptionId: row.subscription_id,
    resourceId: row.resource_id,
    resourceType: row.resource_type,
    displayName: row.display_name,
    status: row.status,
    severity: row.severity,
    remediation: row.remediation,
    portalUrl: row.portal_url,
    updatedAt: row.updated_at,
    defender: parseStoredJson(row.raw),
  };
}

export function toFinding(row: Selectable<CloudFindingsTable>): CloudFinding {
  return {
    integrationId: row.integration_id,
    id: row.finding_id,
    assessmentId: row.assessment_id,
    subscriptionId: row.subscription_id,
    vulnerabilityId: row.vulnerability_id,
    displayName: row.display_name,
    resourceId: row.resource_id,
    resourceType: row.resource_type,
    assessedResourceType: row.assessed_resource_type,
    cveIds: parseStringArray(row.cve_ids),
    severity: row.severity,
    patchable: flag(row.patchable),
    status: row.status,
    updatedAt: row.updated_at,
    defender: parseStoredJson(row.raw),
  };
}
