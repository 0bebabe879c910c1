import { z } from 'zod';
import { nullableBoolean, nullableNumber, nullableString } from './members.js';
import { timestampSchema } from './timestamp.js';
import { recordValidator } from './record.js';

/** `GET /api/recommendations` and `/api/recommendations/{id}`. Unknown members pass through. */
export const recommendationSchema = z.looseObject({
  // `va-_-vendor-_-product` for software recommendations; configuration ones have their own ids.
  id: z.string().min(1),
  productName: nullableString,
  recommendationName: nullableString,
  weaknesses: nullableNumber,
  vendor: nullableString,
  recommendedVersion: nullableString,
  recommendedProgram: nullableString,
  recommendedVendor: nullableString,
  recommendationCategory: nullableString,
  subCategory: nullableString,
  severityScore: nullableNumber,
  publicExploit: nullableBoolean,
  activeAlert: nullableBoolean,
  associatedThreats: z.array(z.string()).nullable().optional(),
  remediationType: nullableString,
  status: nullableString,
  configScoreImpact: nullableNumber,
  exposureImpact: nullableNumber,
  totalMachineCount: nullableNumber,
  exposedMachinesCount: nullableNumber,
  nonProductivityImpactedAssets: nullableNumber,
  relatedComponent: nullableString,
  exposedCriticalDevices: nullableNumber,
});
export type Recommendation = z.output<typeof recommendationSchema>;
export const validateRecommendation = recordValidator(recommendationSchema);

/** `GET /api/exposureScore` (the organisation) and `/ByMachineGroups` (one per device group). */
export const exposureScoreSchema = z.looseObject({
  time: timestampSchema,
  score: z.number(),
  rbacGroupName: nullableString,
  rbacGroupId: z.union([z.number(), z.string()]).nullable().optional(),
});
export type ExposureScore = z.output<typeof exposureScoreSchema>;
export const validateExposureScore = recordValidator(exposureScoreSchema);
