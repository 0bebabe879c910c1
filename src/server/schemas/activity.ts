import { z } from 'zod';
import { activitySources } from '../../domain/activity-vocabulary.js';
import { integrationFilter } from './common.js';

const sourceBody = z
  .enum(activitySources)
  .describe(
    "The API it was read from: graph (Microsoft Graph security), mde (Defender for Endpoint's /api/alerts) or xdr (the Microsoft 365 Defender incidents API).",
  );

/** Severity and status of an alert or incident, in Defender's own words. */
const triageFields = { severity: z.string().nullable(), status: z.string().nullable() };

/** The closing fields of an alert or incident: its times, its page in the portal and the API it came from. */
function recordTail(what: 'alert' | 'incident') {
  return {
    createdAt: z.string().nullable(),
    lastUpdate: z.string(),
    portalUrl: z
      .string()
      .describe(
        `The ${what}'s page in the Defender portal (per cloud, with ?tid= of the integration's tenant).`,
      ),
    source: sourceBody,
  };
}

export const alertSummaryBody = z.object({
  id: z.string().describe("Defender's alert id."),
  integrationId: z.string(),
  incidentId: z.string().nullable(),
  title: z.string().nullable(),
  ...triageFields,
  category: z.string().nullable(),
  serviceSource: z.string().nullable(),
  detectionSource: z.string().nullable(),
  machineIds: z.array(z.string()),
  ...recordTail('alert'),
});

export const alertDetailBody = alertSummaryBody.extend({
  raw: z.unknown().describe('The alert as its source sent it.'),
});

export const incidentSummaryBody = z.object({
  id: z.string().describe("Defender's incident id."),
  integrationId: z.string(),
  displayName: z.string().nullable(),
  ...triageFields,
  classification: z.string().nullable(),
  determination: z.string().nullable(),
  ...recordTail('incident'),
});

export const incidentDetailBody = incidentSummaryBody.extend({
  raw: z.unknown().describe('The incident as its source sent it.'),
});

/** Filters alerts and incidents share. */
export const activityFilterQuery = {
  severity: z.string().trim().min(1).optional().describe('Exact severity, e.g. high.'),
  status: z.string().trim().min(1).optional().describe('Exact status, e.g. new or resolved.'),
  integration: integrationFilter(),
  since: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional()
    .describe('Only records last updated at or after this instant (ISO-8601).'),
};
