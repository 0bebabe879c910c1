import { z } from 'zod';

export const healthBody = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string().describe("defender-hub's version (package.json)."),
});
