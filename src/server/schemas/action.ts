import { z } from 'zod';

export const actionBody = z.object({
  id: z.string().describe("Defender's machine action id."),
  integrationId: z.string(),
  endpointId: z.number().int().nullable().describe("The hub's endpoint, when it has the machine."),
  machineId: z.string(),
  computerDnsName: z.string().nullable(),
  type: z.string().describe('RunAntiVirusScan, Isolate, Unisolate, CollectInvestigationPackage, …'),
  scope: z.string().nullable().describe('Quick/Full for scans, Full/Selective for isolation.'),
  status: z.string().describe('Pending, InProgress, Succeeded, Failed, Cancelled or TimeOut.'),
  requestor: z.string().nullable().describe('Who Defender says asked (the app id for the hub’s own).'),
  requestorComment: z.string().nullable(),
  requestedBy: z.string().nullable().describe('Who asked through the hub; null for actions made elsewhere.'),
  createdAt: z.string(),
  lastUpdateAt: z.string().nullable(),
});

export const actionOutcomeBody = z.object({
  endpointId: z.number().int(),
  ok: z.boolean(),
  dryRun: z.boolean(),
  linked: z
    .boolean()
    .describe('Defender already had an action of this kind under way on the device: `action` is that one.'),
  action: actionBody.nullable(),
  wouldRequest: z
    .object({ type: z.string(), scope: z.string().nullable(), machineId: z.string(), comment: z.string() })
    .nullable()
    .describe('A dry run: what would be asked of Defender.'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
