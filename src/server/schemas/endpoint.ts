import { z } from 'zod';

export const endpointSummaryBody = z.object({
  id: z.number().int().describe("The hub's id of the endpoint."),
  integrationId: z.string(),
  machineId: z.string().describe("Defender's machine id."),
  computerDnsName: z.string().nullable(),
  osPlatform: z.string().nullable(),
  osVersion: z.string().nullable(),
  version: z.string().nullable(),
  healthStatus: z.string().nullable(),
  onboardingStatus: z.string().nullable(),
  riskScore: z.string().nullable(),
  exposureLevel: z.string().nullable(),
  rbacGroupName: z.string().nullable(),
  machineTags: z.array(z.string()),
  ipAddresses: z.array(z.record(z.string(), z.unknown())),
  lastIpAddress: z.string().nullable(),
  lastSeen: z.string().nullable().describe("Defender's raw lastSeen (seven fractional digits kept)."),
  stale: z.boolean().describe('Defender no longer lists the machine.'),
  staleSince: z.string().nullable(),
  openFindings: z
    .number()
    .int()
    .describe(
      'Open vulnerability findings: rows with a CVE (installed software without one is not counted).',
    ),
});

export const endpointDetailBody = endpointSummaryBody.extend({
  firstSeen: z.string().nullable(),
  aadDeviceId: z.string().nullable(),
  deviceValue: z.string().nullable(),
  osBuild: z.number().nullable(),
  rbacGroupId: z.string().nullable(),
  lastExternalIpAddress: z.string().nullable(),
  openFindingsBySeverity: z
    .record(z.string(), z.number().int())
    .describe('Open vulnerability findings per severity (Unknown when Defender gave none).'),
  alerts: z.number().int().describe('Stored alerts that name this machine.'),
  defender: z.unknown().describe('The Defender machine record as received.'),
});

/** What a row of the software-vulnerability export keeps beside its columns. */
const defenderMembers = z
  .unknown()
  .describe(
    "The Defender record's members that have no field above (disk and registry paths, device context, newer members).",
  );

export const findingBody = z.object({
  id: z.number().int(),
  findingKey: z.string(),
  cveId: z.string(),
  softwareVendor: z.string().nullable(),
  softwareName: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  severity: z.string().nullable(),
  cvssScore: z.number().nullable(),
  exploitabilityLevel: z.string().nullable(),
  fixingUpdate: z.string().nullable(),
  fixingUpdateId: z.string().nullable(),
  fixingUpdateUrl: z.string().nullable(),
  updateAvailable: z.boolean().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  resolvedAt: z.string().nullable(),
  defender: defenderMembers,
});

/**
 * One installed software version; the fields from `id` on are those of the export's row without a CVE for it,
 * all null when Defender sent none (the version has open vulnerabilities only).
 */
export const softwareBody = z.object({
  softwareVendor: z.string().nullable(),
  softwareName: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  openVulnerabilities: z.number().int().describe('Open findings of this software version that name a CVE.'),
  id: z
    .string()
    .nullable()
    .describe("Defender's record id of the row without a CVE, when the export sent one for this version."),
  firstSeen: z.string().nullable().describe("That row's raw firstSeenTimestamp."),
  lastSeen: z.string().nullable().describe("That row's raw lastSeenTimestamp."),
  exploitabilityLevel: z.string().nullable().describe("That row's exploitabilityLevel."),
  updateAvailable: z.boolean().nullable().describe("That row's securityUpdateAvailable."),
  defender: defenderMembers,
});
