import { z } from 'zod';

/** What a caller asks for, as the API and the CLI take it. */
export const actionTypes = ['scan', 'isolate', 'release', 'collectInvestigationPackage'] as const;
export type ActionKind = (typeof actionTypes)[number];

/** Defender's MachineAction type of each kind. */
export const defenderActionType = {
  scan: 'RunAntiVirusScan',
  isolate: 'Isolate',
  release: 'Unisolate',
  collectInvestigationPackage: 'CollectInvestigationPackage',
} as const satisfies Record<ActionKind, string>;

const actionFields = {
  type: z.enum(actionTypes, { error: `type must be one of ${actionTypes.join(', ')}.` }),
  comment: z
    .string({ error: 'comment is required: say why, it is shown in the Defender portal.' })
    .trim()
    .min(1, { error: 'comment is required: say why, it is shown in the Defender portal.' })
    .max(1000, { error: 'comment must be at most 1,000 characters.' }),
  scanType: z.enum(['Quick', 'Full'], { error: 'scanType must be Quick or Full.' }).optional(),
  isolationType: z
    .enum(['Full', 'Selective'], { error: 'isolationType must be Full or Selective.' })
    .optional(),
  dryRun: z.boolean().default(false),
};

function onlyForItsType(
  value: { type: ActionKind; scanType?: string | undefined; isolationType?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.scanType !== undefined && value.type !== 'scan')
    ctx.addIssue({ code: 'custom', path: ['scanType'], message: 'scanType applies to type "scan" only.' });
  if (value.isolationType !== undefined && value.type !== 'isolate')
    ctx.addIssue({
      code: 'custom',
      path: ['isolationType'],
      message: 'isolationType applies to type "isolate" only.',
    });
}

export const actionRequestSchema = z.object(actionFields).strict().superRefine(onlyForItsType);
export type ActionRequest = z.output<typeof actionRequestSchema>;

export const bulkActionRequestSchema = z
  .object({
    ...actionFields,
    endpointIds: z
      .array(z.number().int().positive(), { error: 'endpointIds must be a list of endpoint ids.' })
      .min(1, { error: 'endpointIds must name at least one endpoint.' }),
  })
  .strict()
  .superRefine(onlyForItsType);
export type BulkActionRequest = z.output<typeof bulkActionRequestSchema>;

export const cancelRequestSchema = z.object({ comment: actionFields.comment }).strict();
