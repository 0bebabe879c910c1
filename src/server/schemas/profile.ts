import { z } from 'zod';
import { ruleProfileInput } from '../../profiles/profile-service.js';

export const profileBody = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z
    .enum(['os', 'osVersion', 'rule'])
    .describe("os / osVersion: from Defender's OS report (per integration); rule: the hub's own."),
  integrationId: z.string().nullable().describe('The integration whose OS data created it; null for rules.'),
  rule: ruleProfileInput.shape.rule.nullable(),
  matchScore: z
    .number()
    .int()
    .nullable()
    .describe('100 (Very High) for OS profiles; null for rules, where each endpoint scores its own match.'),
  endpoints: z.number().int().describe('Active endpoints that carry it.'),
  createdAt: z.string(),
});
