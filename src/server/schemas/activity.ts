import { z } from 'zod';
import { activitySources } from '../../domain/activity-vocabulary.js';
import { integrationFilter } from './common.js';

const sourceBody = z
  .enum(activitySources)
  .describe(
    "The API it was read from: graph (Microsoft Graph security), mde (Defender for Endpoint's /api/alerts) or xdr (the Microsoft 365 Defender incidents API).",
  );

export const alertSummaryBody = z.object({
  id: z.string().describe("Defender's alert id."),
  integrationId: z.string(),
  incidentId: z.string().nullable(),
  title: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.string().nullable(),
  category: z.string().nullable(),
  serviceSource: z.string().nullable(),
  detectionSource: z.string().nullable(),
  machineIds: z.array(z.string()),
  createdAt: z.string().nullable(),
  lastUpdate: z.string(),
  portalUrl: z
    .string()
    .describe("The alert's page in the Defender portal (per cloud, with ?tid= of the integration's tenant)."),
  source: sourceBody,
});

export const alertDetailBody = alertSummaryBody.extend({
  raw: z.unknown().describe('The alert as its source sent it.'),
});

export const incidentSummaryBody = z.object({
  id: z.string().describe("Defender's incident id."),
  integrationId: z.string(),
  displayName: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.string().nullable(),
  classification: z.string().nullable(),
  determination: z.string().nullable(),
  createdAt: z.string().nullable(),
  lastUpdate: z.string(),
  portalUrl: z
    .string()
    .describe(
      "The incident's page in the Defender portal (per cloud, with ?tid= of the integration's tenant).",
    ),
  source: sourceBody,
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
