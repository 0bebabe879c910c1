import { z } from 'zod';

export const patchBody = z.object({
  integrationId: z.string(),
  key: z.string().describe('vendor|product|fix, e.g. microsoft|windows_11|kb:5034441.'),
  name: z.string().describe("The fixing update's title, or its id when Defender gave no title."),
  fixingUpdateId: z.string().nullable().describe('The KB number or other update id.'),
  fixingUpdateUrl: z.string().nullable(),
  softwareVendor: z.string().nullable(),
  softwareName: z.string().nullable(),
  softwareVersions: z.array(z.string()).describe('The installed versions it fixes.'),
  metadata: z
    .object({
      'Defender.SeverityLevel': z.string().nullable().describe('Highest severity among its findings.'),
      'Defender.ExploitabilityLevel': z
        .string()
        .nullable()
        .describe('Highest exploitability among its findings.'),
      'Defender.KnownExploitExists': z.boolean().describe('The exploit is public, verified or in a kit.'),
      'Defender.SecurityUpdateAvailable': z
        .boolean()
        .describe('Any of its findings says an update is available.'),
      'Defender.NetworkAccessible': z
        .boolean()
        .describe("A CVE it fixes is reachable over the network (the catalog's CVSS vector says AV:N)."),
    })
    .describe('Aggregated over the open findings it fixes.'),
  maxCvss: z.number().nullable(),
  cves: z.array(z.string()),
  cveCount: z.number().int(),
  endpointCount: z
    .number()
    .int()
    .describe(
      'Devices with an open finding it fixes, endpoints or not (devicesNotImported of them are not).',
    ),
  devicesNotImported: z
    .number()
    .int()
    .describe(
      'Of those, the devices that are not endpoints (filtered out by the import filters, or their machine records unread): counted, never listed among its endpoints.',
    ),
  openFindings: z.number().int(),
  updatedAt: z.string().describe('When the last findings run recounted it.'),
});

/** A patch as GET /patches lists it: with the cloud resources its CVEs expose. */
export const patchListItemBody = patchBody.extend({
  exposedCloudResources: z
    .number()
    .int()
    .describe('Cloud resources (of any cloud integration) with an unhealthy finding naming one of its CVEs.'),
});
