import { z } from 'zod';
import { alertSeverityLevels, riskLevels, severityLevels } from '../../domain/levels.js';
import { integrationStatusBody } from './integration.js';
import { patchListItemBody } from './patch.js';

const count = z.number().int();

export const dashboardBody = z.object({
  endpointsByRisk: z
    .record(z.enum(riskLevels), count)
    .describe(
      'Active (not stale) endpoints per risk level, every level present: GET /api/v1/endpoints?riskLevel= totals.',
    ),
  openFindingsBySeverity: z
    .record(z.string(), count)
    .describe(
      `Open vulnerability findings per severity (${severityLevels.join(', ')}, every one present, and Unknown when some have none), taken from each integration's newest daily snapshot: as the last findings run left them, not recounted live.`,
    ),
  alertsBySeverity: z
    .record(z.string(), count)
    .describe(
      `Alerts not resolved per severity in Graph's spelling (${alertSeverityLevels.join(', ')}, every one present; a word Graph adds later as stored), counted live.`,
    ),
  topPatches: z
    .array(patchListItemBody)
    .describe('The first 5 patches of GET /api/v1/patches in its default order (most severe first).'),
  integrations: z.array(integrationStatusBody).describe('As GET /api/v1/integrations/status answers them.'),
});
