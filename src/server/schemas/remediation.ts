import { z } from 'zod';
import { severityLevels } from '../../domain/levels.js';

const severityRecord = <T extends z.ZodType>(value: T) =>
  z.object(
    Object.fromEntries(severityLevels.map((s) => [s, value])) as Record<(typeof severityLevels)[number], T>,
  );

const remediationTime = z.object({
  count: z.number().int().describe('Resolved findings counted.'),
  meanDays: z.number().nullable().describe('Mean days from first seen to resolved; null without any.'),
});

/** Mean time to remediate per severity, and how many open findings are past their SLA. */
export const remediationBody = z.object({
  slaDays: severityRecord(z.number().int()),
  meanTimeToRemediate: z.object({
    bySeverity: severityRecord(remediationTime),
    overall: remediationTime,
    ignored: z.object({
      resolvedBeforeFirstSeen: z.number().int(),
      invalidTimestamp: z.number().int(),
    }),
  }),
  openPastSla: severityRecord(z.number().int()),
});

/** An open finding past its SLA. */
export const pastSlaBody = z.object({
  integrationId: z.string(),
  endpointId: z.number().int().nullable().describe('Null for a device that is not an endpoint.'),
  machineId: z.string(),
  deviceName: z
    .string()
    .nullable()
    .describe("The endpoint's DNS name, or the findings export's name of a device that is not an endpoint."),
  cveId: z.string(),
  severity: z.string(),
  softwareName: z.string().nullable(),
  fixingUpdate: z.string().nullable(),
  firstSeenAt: z.string(),
  dueAt: z.string().describe('First seen plus the SLA days of its severity.'),
  daysOverdue: z.number().int(),
});
