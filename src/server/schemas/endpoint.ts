import { z } from 'zod';
import { riskLevels } from '../../domain/levels.js';
import { entraJoinTypes } from '../../domain/entra-join.js';

const riskLevel = z.enum(riskLevels);

/** An Entra ID device as an endpoint names it. */
export const entraDeviceRefBody = z.object({
  id: z.string().describe('The directory object id (Graph device id).'),
  deviceId: z.string().describe("The device GUID (Graph deviceId, Defender's aadDeviceId), in lower case."),
  displayName: z.string().nullable(),
  trustType: z.string().nullable().describe("Graph's trustType: AzureAd, Workplace or ServerAd."),
  joinType: z
    .enum(entraJoinTypes)
    .describe('joined (trustType AzureAd), hybridJoined (ServerAd), registered (Workplace or none).'),
  isCompliant: z.boolean().nullable().describe('Intune compliance; null when the device is not managed.'),
  isManaged: z.boolean().nullable(),
  lastSignInAt: z.string().nullable().describe("Graph's approximateLastSignInDateTime (ISO 8601)."),
});

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
  riskLevel: riskLevel.describe("The hub's risk level: the highest of riskParts."),
  riskParts: z
    .object({
      exposure: riskLevel.describe(
        "The worst open finding's severity, one step higher when its exploit is verified or in a kit.",
      ),
      alert: riskLevel.describe(
        'The most severe active (not resolved) alert; informational ones count as None.',
      ),
      riskScore: riskLevel.describe("Defender's riskScore (Informational counts as None)."),
      exposureLevel: riskLevel.describe("Defender's exposureLevel."),
    })
    .describe('What the risk level is made of, so the reason is visible.'),
  isolation: z
    .object({
      state: z.enum(['isolated', 'notIsolated', 'pending']),
      since: z.string().nullable(),
      actionId: z.string().nullable(),
    })
    .describe(
      'From the latest isolate or release action that did not fail (Defender keeps no isolation flag on the machine).',
    ),
  entraDevice: entraDeviceRefBody
    .nullable()
    .describe(
      "The Entra ID device whose deviceId is the endpoint's aadDeviceId, in its integration (entraDevices sync); " +
        'null when the directory has none or the dataset was not synced.',
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
  profiles: z
    .array(
      z.object({
        name: z.string(),
        kind: z.enum(['os', 'osVersion', 'rule']),
        matchScore: z.number().int().describe('100 Very High, 75 High, 50 Medium, 25 Low.'),
      }),
    )
    .describe("The endpoint's profiles, best match first."),
  defender: z
    .object({
      worstVulnerability: z
        .object({
          id: z.string().describe('CVE id.'),
          description: z.string().nullable().describe("From the integration's CVE catalog."),
          severity: z.string().nullable(),
          exploitabilityLevel: z.string().nullable(),
        })
        .nullable()
        .describe('The open finding that sets the exposure risk; null without open vulnerabilities.'),
      exposureRiskLevel: riskLevel,
      vulnerabilityCount: z.number().int().describe('Distinct CVEs among the open findings.'),
      vulnerabilitiesUrl: z.string().describe("The device's vulnerabilities in the Defender portal."),
      alertRiskLevel: riskLevel,
      alertsUrl: z.string().describe("The device's alerts in the Defender portal."),
      overviewUrl: z.string().describe("The device's page in the Defender portal."),
      riskScore: z.string().nullable().describe("Defender's riskScore as reported."),
      exposureLevel: z.string().nullable().describe("Defender's exposureLevel as reported."),
      recommendations: z
        .number()
        .int()
        .describe(
          'Security recommendations that concern the device (GET /api/v1/endpoints/:id/recommendations).',
        ),
      exposureScore: z
        .object({
          organisation: z.number().nullable(),
          deviceGroup: z
            .number()
            .nullable()
            .describe("The score of the device's group, when Defender rates it."),
          time: z.string().nullable().describe("Defender's time of the organisation's reading."),
        })
        .describe(
          'The newest exposure score readings (0–100, lower is better); null before a recommendations sync.',
        ),
    })
    .describe('The endpoint as Microsoft Defender sees it, with links into the Defender portal (per cloud).'),
  defenderRecord: z.unknown().describe('The Defender machine record as received.'),
});

/** What a row of the software-vulnerability export keeps beside its columns. */
const defenderMembers = z
  .unknown()
  .describe(
    "The Defender record's members that have no field above (disk and registry paths, device context, newer members).",
  );

/** The software version a finding or an inventory row is about, as Defender names it. */
const softwareVersionFields = {
  softwareVendor: z.string().nullable(),
  softwareName: z.string().nullable(),
  softwareVersion: z.string().nullable(),
};

export const findingBody = z.object({
  id: z.number().int(),
  findingKey: z.string(),
  cveId: z.string(),
  ...softwareVersionFields,
  severity: z.string().nullable(),
  cvssScore: z.number().nullable(),
  exploitabilityLevel: z.string().nullable(),
  fixingUpdate: z.string().nullable(),
  fixingUpdateId: z.string().nullable(),
  fixingUpdateUrl: z.string().nullable(),
  updateAvailable: z.boolean().nullable(),
  networkAccessible: z
    .boolean()
    .nullable()
    .describe(
      "The CVE is reachable over the network: the catalog's CVSS vector says AV:N. Null when unknown.",
    ),
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
  ...softwareVersionFields,
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

/** An endpoint as a list of devices (by software, by recommendation) names it. */
export const endpointRefBody = z.object({
  id: z.number().int().describe("The endpoint's hub id (GET /api/v1/endpoints/:id)."),
  machineId: z.string(),
  computerDnsName: z.string().nullable(),
  osPlatform: z.string().nullable(),
});
