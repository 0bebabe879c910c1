import { z } from 'zod';
import { recordValidator } from './record.js';
import { timestampSchema } from './timestamp.js';

/**
 * Microsoft Defender for Cloud records as Azure Resource Manager lists them. Members the client does not name
 * pass through; ids are ARM resource ids (case-insensitive on the service side, kept as sent).
 */

const armId = z.string().regex(/^\/subscriptions\//i, { error: 'must be an ARM resource id' });
const statusCode = z.enum(['Healthy', 'Unhealthy', 'NotApplicable']);
const severity = z.enum(['Low', 'Medium', 'High']);

const scoreSchema = z.looseObject({
  max: z.number().int().nonnegative(),
  current: z.number().nonnegative(),
  percentage: z.number().min(0).max(1),
});

/** ARM's envelope of a Microsoft.Security record: its id, name and type, and the record itself in `properties`. */
function armRecord<P extends z.ZodRawShape>(properties: P) {
  return z.looseObject({
    id: armId,
    name: z.string().min(1),
    type: z.string(),
    properties: z.looseObject(properties),
  });
}

const resourceDetailsSchema = z.looseObject({
  source: z.string(),
  id: z.string().optional(),
});

/** `GET /subscriptions` (api-version 2022-12-01). */
export const subscriptionSchema = z.looseObject({
  id: z.string(),
  subscriptionId: z.string().min(1),
  displayName: z.string(),
  state: z.string(),
  tenantId: z.string().optional(),
});
export type ArmSubscription = z.output<typeof subscriptionSchema>;

/** `…/providers/Microsoft.Security/secureScores` (2020-01-01). */
export const secureScoreSchema = armRecord({
  displayName: z.string(),
  score: scoreSchema,
  weight: z.number().int().nonnegative(),
});
export type SecureScore = z.output<typeof secureScoreSchema>;

/** `…/secureScores/{name}/secureScoreControls` (2020-01-01). */
export const secureScoreControlSchema = armRecord({
  displayName: z.string(),
  score: scoreSchema,
  healthyResourceCount: z.number().int().nonnegative(),
  unhealthyResourceCount: z.number().int().nonnegative(),
  notApplicableResourceCount: z.number().int().nonnegative(),
  weight: z.number().int().nonnegative(),
});
export type SecureScoreControl = z.output<typeof secureScoreControlSchema>;

/** `…/providers/Microsoft.Security/assessments` (2021-06-01). */
export const assessmentSchema = armRecord({
  resourceDetails: resourceDetailsSchema,
  displayName: z.string(),
  status: z.looseObject({
    code: statusCode,
    cause: z.string().optional(),
    description: z.string().optional(),
    firstEvaluationDate: timestampSchema.optional(),
    statusChangeDate: timestampSchema.optional(),
  }),
  additionalData: z.record(z.string(), z.string()).optional(),
  metadata: z.looseObject({ severity, displayName: z.string().optional() }).optional(),
  links: z.looseObject({ azurePortalUri: z.string() }).optional(),
});
export type Assessment = z.output<typeof assessmentSchema>;

const cveSchema = z.looseObject({ title: z.string(), link: z.string().optional() });

/** `…/providers/Microsoft.Security/subAssessments` (2019-01-01-preview): one finding of an assessment. */
export const subAssessmentSchema = armRecord({
  /** The finding's own id: a rule (VA2064) or a scanner's vulnerability id. */
  id: z.string(),
  displayName: z.string(),
  status: z.looseObject({
    code: statusCode,
    severity,
    cause: z.string().optional(),
    description: z.string().optional(),
  }),
  remediation: z.string().optional(),
  impact: z.string().optional(),
  category: z.string().optional(),
  description: z.string().optional(),
  timeGenerated: timestampSchema.optional(),
  resourceDetails: resourceDetailsSchema,
  additionalData: z
    .looseObject({
      assessedResourceType: z.string(),
      patchable: z.boolean().optional(),
      cve: z.array(cveSchema).nullable().optional(),
      repositoryName: z.string().optional(),
      imageDigest: z.string().optional(),
    })
    .optional(),
});
export type SubAssessment = z.output<typeof subAssessmentSchema>;

export const validateSubscription = recordValidator(subscriptionSchema);
export const validateSecureScore = recordValidator(secureScoreSchema);
export const validateSecureScoreControl = recordValidator(secureScoreControlSchema);
export const validateAssessment = recordValidator(assessmentSchema);
export const validateSubAssessment = recordValidator(subAssessmentSchema);

/** The CVE ids a finding names (container image and server findings carry them; SQL checks do not). */
export function cveIds(finding: SubAssessment): string[] {
  return (finding.properties.additionalData?.cve ?? []).map((c) => c.title).filter((t) => /^CVE-/i.test(t));
}
