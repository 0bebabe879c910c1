import { z } from 'zod';

/** A product of the software inventory (an endpoint's installed versions: `softwareBody` in endpoint.ts). */
export const softwareProductBody = z.object({
  id: z.string().describe("Defender's id, vendor-_-name."),
  integrationId: z.string(),
  name: z.string().nullable(),
  vendor: z.string().nullable(),
  weaknesses: z.number().int().nullable().describe('Distinct open CVEs.'),
  publicExploit: z.boolean().nullable(),
  activeAlert: z.boolean().nullable(),
  exposedMachines: z.number().int().nullable(),
  installedMachines: z.number().int().nullable(),
  impactScore: z.number().nullable(),
  endOfSupportStatus: z
    .string()
    .nullable()
    .describe('None, EOS Version, Upcoming EOS Software, … as Defender gives it.'),
  endOfSupportDate: z.string().nullable(),
  updatedAt: z.string(),
});

/** One of a product's CVEs, described from the CVE catalog. */
export const softwareVulnerabilityBody = z.object({
  cveId: z.string(),
  severity: z.string().nullable(),
  cvssV3: z.number().nullable(),
  description: z.string().nullable().describe('Null when the CVE catalog does not hold it yet.'),
});
