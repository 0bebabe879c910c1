import { z } from 'zod';
import { nullableBoolean, nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

/**
 * Microsoft Graph `device` (`GET /v1.0/devices`), an Entra ID device. `id` is the directory object id;
 * `deviceId` is the GUID Defender reports as a machine's `aadDeviceId`, the key of the join. `trustType`:
 * `AzureAd` (Entra joined), `Workplace` (registered), `ServerAd` (hybrid joined). Unknown members pass through.
 */
export const deviceSchema = z.looseObject({
  id: z.string().min(1),
  deviceId: z.string().min(1),
  displayName: nullableString,
  operatingSystem: nullableString,
  operatingSystemVersion: nullableString,
  trustType: nullableString,
  isCompliant: nullableBoolean,
  isManaged: nullableBoolean,
  approximateLastSignInDateTime: optionalTimestamp,
  accountEnabled: nullableBoolean,
  registrationDateTime: optionalTimestamp,
});

export type EntraDevice = z.output<typeof deviceSchema>;
export const validateDevice = recordValidator(deviceSchema);
