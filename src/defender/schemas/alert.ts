import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp, timestampSchema } from './timestamp.js';
import { recordValidator } from './record.js';

/** A list, as documented; some producers flatten it to a single object, which is read as a list of one. */
export function oneOrMany<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item), item.transform((one) => [one])])
    .nullable()
    .optional();
}

const commentSchema = z.looseObject({
  comment: nullableString,
  createdBy: nullableString,
  createdTime: optionalTimestamp,
  createdDateTime: optionalTimestamp,
});

/** Graph `security/alerts_v2`: the current alert API. Evidence stays as sent (it is polymorphic). */
export const graphAlertSchema = z.looseObject({
  id: z.string().min(1),
  incidentId: nullableString,
  status: nullableString,
  severity: nullableString,
  classification: nullableString,
  determination: nullableString,
  serviceSource: nullableString,
  detectionSource: nullableString,
  title: nullableString,
  category: nullableString,
  alertWebUrl: nullableString,
  createdDateTime: optionalTimestamp,
  lastUpdateDateTime: timestampSchema,
  resolvedDateTime: optionalTimestamp,
  firstActivityDateTime: optionalTimestamp,
  lastActivityDateTime: optionalTimestamp,
  // Documented as a string, returned as a list.
  mitreTechniques: z
    .union([z.array(z.string()), z.string()])
    .nullable()
    .optional(),
  comments: z.array(commentSchema).nullable().optional(),
  evidence: oneOrMany(z.looseObject({ '@odata.type': nullableString })),
});

export type GraphAlert = z.output<typeof graphAlertSchema>;
export const validateGraphAlert = recordValidator(graphAlertSchema);

/** The MDE `/api/alerts` list (and `$expand=evidence`): older, still used where Graph is not permitted. */
export const mdeAlertSchema = z.looseObject({
  id: z.string().min(1),
  // Numbers in the API, strings in some exports.
  incidentId: z.union([z.number(), z.string()]).nullable().optional(),
  investigationId: z.union([z.number(), z.string()]).nullable().optional(),
  status: nullableString,
  severity: nullableString,
  classification: nullableString,
  determination: nullableString,
  detectionSource: nullableString,
  category: nullableString,
  title: nullableString,
  machineId: nullableString,
  computerDnsName: nullableString,
  alertCreationTime: optionalTimestamp,
  firstEventTime: optionalTimestamp,
  lastEventTime: optionalTimestamp,
  lastUpdateTime: optionalTimestamp,
  resolvedTime: optionalTimestamp,
  mitreTechniques: z
    .union([z.array(z.string()), z.string()])
    .nullable()
    .optional(),
  comments: z.array(commentSchema).nullable().optional(),
  evidence: oneOrMany(z.looseObject({ entityType: nullableString, evidenceCreationTime: optionalTimestamp })),
});

export type MdeAlert = z.output<typeof mdeAlertSchema>;
export const validateMdeAlert = recordValidator(mdeAlertSchema);
