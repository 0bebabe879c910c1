import { z } from 'zod';

const counts = z.record(z.string(), z.number().int());

/** One UTC day of an integration's (or every integration's) snapshots. */
export const trendPointBody = z.object({
  day: z.string().describe('YYYY-MM-DD (UTC); taken after each findings run, the last one of the day kept.'),
  endpointsByRisk: counts,
  openFindingsBySeverity: counts,
  patchesBySeverity: counts,
});
