import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

export const ipAddressSchema = z.looseObject({
  ipAddress: nullableString,
  macAddress: nullableString,
  type: nullableString,
  operationalStatus: nullableString,
});

/** `GET /api/machines` and `/api/machines/{id}`. Unknown members pass through untouched. */
export const machineSchema = z.looseObject({
  id: z.string().min(1),
  computerDnsName: nullableString,
  firstSeen: optionalTimestamp,
  lastSeen: optionalTimestamp,
  osPlatform: nullableString,
  osVersion: nullableString,
  osProcessor: nullableString,
  osArchitecture: nullableString,
  version: nullableString,
  osBuild: z.number().nullable().optional(),
  lastIpAddress: nullableString,
  lastExternalIpAddress: nullableString,
  healthStatus: nullableString,
  onboardingStatus: nullableString,
  // Documented as a string, sent as a number.
  rbacGroupId: z.union([z.number(), z.string()]).nullable().optional(),
  rbacGroupName: nullableString,
  riskScore: nullableString,
  exposureLevel: nullableString,
  deviceValue: nullableString,
  isAadJoined: z.boolean().nullable().optional(),
  aadDeviceId: nullableString,
  machineTags: z.array(z.string()).nullable().optional(),
  ipAddresses: z.array(ipAddressSchema).nullable().optional(),
});

export type Machine = z.output<typeof machineSchema>;
export const validateMachine = recordValidator(machineSchema);
