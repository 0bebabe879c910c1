import { z } from 'zod';
import { entraDeviceRefBody } from './endpoint.js';

/** An Entra ID device as the directory lists it, with the endpoint that names it (if any). */
export const entraDeviceBody = entraDeviceRefBody.extend({
  integrationId: z.string(),
  operatingSystem: z.string().nullable(),
  operatingSystemVersion: z.string().nullable(),
  accountEnabled: z.boolean().nullable(),
  registeredAt: z.string().nullable().describe("Graph's registrationDateTime (ISO 8601)."),
  firstSyncedAt: z.string(),
  lastSyncedAt: z.string(),
  endpointId: z
    .number()
    .int()
    .nullable()
    .describe('The active endpoint that names the device (GET /api/v1/endpoints/:id); null: not onboarded.'),
});
