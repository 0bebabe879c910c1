import { z } from 'zod';

/** A security recommendation (the tenant's, or an endpoint's). */
export const recommendationBody = z.object({
  id: z.string().describe("Defender's id: va-_-vendor-_-product for software recommendations."),
  integrationId: z.string(),
  name: z.string().nullable(),
  productName: z.string().nullable(),
  vendor: z.string().nullable(),
  category: z.string().nullable().describe('Application, OS, Network, Accounts, Security controls.'),
  remediationType: z.string().nullable().describe('Update, Upgrade, Uninstall, ConfigurationChange.'),
  status: z.string().nullable().describe('Active or Exception.'),
  recommendedVersion: z.string().nullable(),
  severityScore: z.number().nullable(),
  weaknesses: z.number().int().nullable(),
  publicExploit: z.boolean().nullable(),
  activeAlert: z.boolean().nullable(),
  exposureImpact: z.number().nullable().describe('What acting on it would take off the exposure score.'),
  configScoreImpact: z.number().nullable(),
  totalMachines: z.number().int().nullable(),
  exposedMachines: z.number().int().nullable(),
  exposedCriticalDevices: z.number().int().nullable(),
  updatedAt: z.string(),
  defender: z.unknown().describe('The recommendation record as received.'),
});

/** One exposure score reading. */
export const exposureScoreReadingBody = z.object({
  score: z.number().describe('0–100, lower is better.'),
  time: z.string().describe("Defender's time of the reading."),
});

/** An integration's newest exposure scores: its organisation's and its device groups'. */
export const exposureScoreBody = z.object({
  integrationId: z.string(),
  organisation: exposureScoreReadingBody.nullable(),
  deviceGroups: z.array(
    exposureScoreReadingBody.extend({ rbacGroupId: z.string(), rbacGroupName: z.string().nullable() }),
  ),
});
