import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

/** `GET /api/machineactions` and `/api/machineactions/{id}`, and the 201 answer of a response action. */
export const machineActionSchema = z
  .looseObject({
    id: z.string().min(1),
    type: nullableString,
    scope: nullableString,
    status: nullableString,
    requestor: nullableString,
    requestorComment: nullableString,
    machineId: nullableString,
    computerDnsName: nullableString,
    creationDateTimeUtc: optionalTimestamp,
    lastUpdateDateTimeUtc: optionalTimestamp,
    // The list examples spell it without "Date"; both are accepted and the entity's name is filled in.
    lastUpdateTimeUtc: optionalTimestamp,
    cancellationRequestor: nullableString,
    cancellationComment: nullableString,
    cancellationDateTimeUtc: optionalTimestamp,
    errorHResult: z.number().nullable().optional(),
    relatedFileInfo: z
      .looseObject({ fileIdentifier: nullableString, fileIdentifierType: nullableString })
      .nullable()
      .optional(),
  })
  .transform((action) =>
    action.lastUpdateDateTimeUtc == null && action.lastUpdateTimeUtc != null
      ? { ...action, lastUpdateDateTimeUtc: action.lastUpdateTimeUtc }
      : action,
  );

export type MachineAction = z.output<typeof machineActionSchema>;
export const validateMachineAction = recordValidator(machineActionSchema);
