import { z } from 'zod';
import { riskLevels } from '../../domain/levels.js';

export const cloudSubscriptionBody = z.object({
  integrationId: z.string(),
  subscriptionId: z.string(),
  displayName: z.string().nullable(),
  state: z.string().nullable().describe('Enabled, Disabled, Warned, …'),
  lastReadAt: z.string().nullable().describe('When the hub last read its lists.'),
  lastReadOk: z.boolean().describe('Whether that read succeeded; false: see error.'),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe('Why the last read failed (e.g. DEFENDER_PERMISSION_MISSING: no Security Reader role).'),
});

const scoreFields = {
  current: z.number().describe('Points gained.'),
  max: z.number().describe('Points possible.'),
  percentage: z.number().describe('current / max, 0–1.'),
};

export const cloudSecureScoreBody = z.object({
  integrationId: z.string(),
  subscriptionId: z.string(),
  name: z.string().describe("ARM's name of the score (ascScore: the default initiative)."),
  id: z.string().describe('ARM id of the score.'),
  displayName: z.string().nullable(),
  ...scoreFields,
  weight: z.number().int(),
  readAt: z.string().describe('When the hub read it.'),
  controls: z
    .array(z.record(z.string(), z.unknown()))
    .describe('The security controls of the score: points, weight and resources by health.'),
  history: z
    .array(z.object({ day: z.string().describe('YYYY-MM-DD (UTC).'), ...scoreFields }))
    .describe('One reading per day (its last), oldest first, over the days asked.'),
});

/** An assessment's (and a finding's) health, as Defender for Cloud reports it. */
export const cloudAssessmentStatuses = ['healthy', 'unhealthy', 'notApplicable'] as const;

export const cloudAssessmentBody = z.object({
  integrationId: z.string(),
  id: z.string().describe('ARM id of the assessment.'),
  name: z.string().describe("The assessment's key (its metadata's name)."),
  subscriptionId: z.string(),
  resourceId: z.string().nullable().describe('The assessed resource.'),
  resourceType: z.string().nullable().describe('ARM type of the resource.'),
  displayName: z.string(),
  status: z.enum(cloudAssessmentStatuses),
  severity: z.string().nullable().describe('High, Medium or Low.'),
  remediation: z.string().nullable().describe('What to do, as Defender for Cloud describes it.'),
  portalUrl: z.string().nullable().describe('The assessment in the Azure portal.'),
  updatedAt: z.string(),
  defender: z.unknown().describe('The assessment record as received.'),
});

export const cloudFindingBody = z.object({
  integrationId: z.string(),
  id: z.string().describe('ARM id of the sub-assessment.'),
  assessmentId: z.string().nullable().describe('ARM id of the assessment it belongs to.'),
  subscriptionId: z.string(),
  vulnerabilityId: z.string().describe("The scanner's or rule's id (a number, VA2064, …)."),
  displayName: z.string(),
  resourceId: z.string().nullable(),
  resourceType: z.string().nullable().describe('ARM type of the resource.'),
  assessedResourceType: z
    .string()
    .nullable()
    .describe('ServerVulnerability, ContainerRegistryVulnerability, SqlServerVulnerability, …'),
  cveIds: z.array(z.string()).describe('The CVEs it names; empty for configuration checks.'),
  severity: z.string(),
  patchable: z.boolean().nullable(),
  status: z.enum(cloudAssessmentStatuses),
  updatedAt: z.string(),
  defender: z.unknown().describe('The sub-assessment record as received.'),
});

export const cloudResourceBody = z.object({
  integrationId: z.string(),
  subscriptionId: z.string(),
  resourceId: z.string(),
  resourceType: z.string().nullable(),
  assessments: z.number().int().describe('Assessments of the resource, any status.'),
  unhealthy: z
    .object({ High: z.number().int(), Medium: z.number().int(), Low: z.number().int() })
    .describe('Its unhealthy assessments by severity.'),
  riskLevel: z
    .enum(riskLevels)
    .describe(
      'The worse of its worst unhealthy assessment and worst open finding, on the endpoint risk scale.',
    ),
  findings: z.number().int().describe('Open (unhealthy) findings of its assessments.'),
  cves: z.number().int().describe('Distinct CVEs its open findings name.'),
});
