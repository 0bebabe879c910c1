import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp, timestampSchema } from './timestamp.js';
import { recordValidator } from './record.js';
import { oneOrMany } from './alert.js';

/** Graph `security/incidents`. Enum values arrive camelCase or PascalCase depending on the service's mood. */
export const incidentSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  displayName: nullableString,
  incidentWebUrl: nullableString,
  status: nullableString,
  severity: nullableString,
  classification: nullableString,
  determination: nullableString,
  assignedTo: nullableString,
  createdDateTime: optionalTimestamp,
  lastUpdateDateTime: timestampSchema,
  customTags: z.array(z.string()).nullable().optional(),
  systemTags: z.array(z.string()).nullable().optional(),
  // `$expand=alerts`: a list per the docs, a single object in some real answers.
  alerts: oneOrMany(z.looseObject({})),
});

export type Incident = z.output<typeof incidentSchema>;
export const validateIncident = recordValidator(incidentSchema);
