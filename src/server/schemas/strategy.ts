import { z } from 'zod';
import { patchBody } from './patch.js';

export const strategyBody = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  expression: z.string().describe('The filter expression in canonical form.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const strategyProblemBody = z.object({
  line: z.number().int().describe('1-based.'),
  column: z.number().int().describe('1-based.'),
  expected: z.string().describe('What the language wanted there.'),
  found: z.string().describe('What was there.'),
  message: z.string(),
});

export const strategyCheckBody = z.union([
  z.object({
    ok: z.literal(true),
    expression: z.string().describe('The canonical form.'),
    matchingPatches: z
      .number()
      .int()
      .optional()
      .describe(
        'With count: true, the patches the expression selects: the total GET /api/v1/patch-strategies/:id/matches answers for a strategy saved with it.',
      ),
  }),
  z.object({ ok: z.literal(false), error: strategyProblemBody }),
]);

export const strategyMatchBody = patchBody.extend({
  matchedEndpoints: z
    .number()
    .int()
    .describe(
      'Devices of this patch the strategy selects: all of them, endpoints or not, when it names no endpoint field; else the endpoints whose fields satisfy it (a device that is not an endpoint has no endpoint fields).',
    ),
  endpoints: z
    .array(z.object({ id: z.number().int(), machineId: z.string(), computerDnsName: z.string().nullable() }))
    .describe(
      'The first endpointLimit of its selected endpoints, by id (devices that are not endpoints are not listed).',
    ),
});

export const strategyFieldBody = z.object({
  name: z.string(),
  type: z.string(),
  levels: z.array(z.string()).optional(),
  scope: z.enum(['patch', 'endpoint']),
  multiValued: z.boolean(),
  operators: z.array(z.string()),
  description: z.string(),
});
