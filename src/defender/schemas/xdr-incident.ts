import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp, timestampSchema } from './timestamp.js';
import { recordValidator } from './record.js';
import { oneOrMany } from './alert.js';

/** Documented as long; read as text, like Graph's ids, so one column holds either source's. */
const numericId = z.union([z.number(), z.string().min(1)]).transform(String);

/** An alert as the incident embeds it; its devices name the Defender for Endpoint machines. */
const xdrIncidentAlertSchema = z.looseObject({
  alertId: z.string().min(1),
  incidentId: numericId.nullable().optional(),
  serviceSource: nullableString,
  status: nullableString,
  severity: nullableString,
  lastUpdatedTime: optionalTimestamp,
  devices: oneOrMany(z.looseObject({ mdatpDeviceId: nullableString })),
});

/**
 * The Microsoft 365 Defender incidents API (`GET /api/incidents` on api.security.microsoft.com): PascalCase
 * enums, a numeric id, and every related alert embedded.
 */
export const xdrIncidentSchema = z.looseObject({
  incidentId: numericId,
  redirectIncidentId: numericId.nullable().optional(),
  incidentName: nullableString,
  createdTime: optionalTimestamp,
  lastUpdateTime: timestampSchema,
  assignedTo: nullableString,
  classification: nullableString,
  determination: nullableString,
  status: nullableString,
  severity: nullableString,
  tags: z.array(z.string()).nullable().optional(),
  alerts: oneOrMany(xdrIncidentAlertSchema),
});

export type XdrIncident = z.output<typeof xdrIncidentSchema>;
export const validateXdrIncident = recordValidator(xdrIncidentSchema);
