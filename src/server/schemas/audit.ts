import { z } from 'zod';

/** One entry of the audit log: what was done through the API or the CLI, by whom, and how it ended. */
export const auditEntryBody = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string().nullable().describe('The username (or the name tried at a failed sign-in).'),
  actorKind: z.enum(['session', 'token', 'cli', 'anonymous']),
  address: z.string().nullable(),
  action: z.string().describe('`METHOD /route` for the API, the command for the CLI.'),
  target: z.string().nullable(),
  outcome: z.enum(['success', 'failure', 'refused']),
  status: z.number().int().nullable(),
  details: z
    .unknown()
    .describe('The request, the error code, and before/after of a setting; secrets masked.'),
});
