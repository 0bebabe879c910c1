import { z } from 'zod';
import { nullableBoolean, nullableNumber, nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

/** `GET /api/Software`, `/api/Software/{id}` and `/api/machines/{id}/software`. Unknown members pass through. */
export const softwareSchema = z.looseObject({
  // `vendor-_-name`, e.g. `microsoft-_-edge`.
  id: z.string().min(1),
  name: nullableString,
  vendor: nullableString,
  weaknesses: nullableNumber,
  publicExploit: nullableBoolean,
  activeAlert: nullableBoolean,
  exposedMachines: nullableNumber,
  impactScore: nullableNumber,
  installedMachines: nullableNumber,
  // The inventory export's lifecycle fields: `None`, `EOS Version`, `Upcoming EOS Software`, …
  endOfSupportStatus: nullableString,
  endOfSupportDate: optionalTimestamp,
});
export type Software = z.output<typeof softwareSchema>;
export const validateSoftware = recordValidator(softwareSchema);

/** `MachineReferences`: the device lists of a software, a CVE or a recommendation. */
export const machineReferenceSchema = z.looseObject({
  id: z.string().min(1),
  computerDnsName: nullableString,
  osPlatform: nullableString,
  rbacGroupName: nullableString,
  // Documented as a string, sent as a number (as on machines).
  rbacGroupId: z.union([z.number(), z.string()]).nullable().optional(),
});
export type MachineReference = z.output<typeof machineReferenceSchema>;
export const validateMachineReference = recordValidator(machineReferenceSchema);

/** `GET /api/Software/{id}/distributions`: installations and vulnerabilities per version. */
export const softwareDistributionSchema = z.looseObject({
  version: z.string(),
  installations: z.number(),
  vulnerabilities: nullableNumber,
});
export type SoftwareDistribution = z.output<typeof softwareDistributionSchema>;
export const validateSoftwareDistribution = recordValidator(softwareDistributionSchema);
