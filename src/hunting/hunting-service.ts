import { z } from 'zod';
import { parseInput } from '../parse-input.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import type { HuntingResult } from '../defender/index.js';

export const huntingQuerySchema = z
  .object({
    integration: z.string({ error: 'integration is required: an integration id or name.' }).trim().min(1),
    query: z
      .string({ error: 'query is required: the KQL to run.' })
      .trim()
      .min(1, { error: 'query is required: the KQL to run.' })
      .max(30_000, { error: 'query must be at most 30,000 characters.' }),
    timespan: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('ISO 8601: P7D, start/end, start/P1D …; the service default is the last 30 days.'),
  })
  .strict();

/** Advanced hunting through an integration: Graph runHuntingQuery, the retiring MDE API only as a fallback. */
export class HuntingService {
  readonly #integrations: IntegrationService;

  constructor(integrations: IntegrationService) {
    this.#integrations = integrations;
  }

  async run(input: unknown, signal?: AbortSignal): Promise<HuntingResult> {
    const { integration, query, timespan } = parseInput(huntingQuerySchema, input);
    const client = await this.#integrations.client(integration);
    try {
      return await client.hunting.run(query, {
        ...(timespan === undefined ? {} : { timespan }),
        ...(signal === undefined ? {} : { signal }),
      });
    } finally {
      await client.close();
    }
  }
}
