import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

/**
 * One row of the software-vulnerabilities export (JSON pages, via-files lines and the delta export): device ×
 * software × version × CVE. Keys arrive in PascalCase from files and camelCase from JSON; both read here.
 */
export const findingSchema = z.looseObject({
  id: z.string().min(1),
  deviceId: z.string().min(1),
  deviceName: nullableString,
  rbacGroupName: nullableString,
  rbacGroupId: z.union([z.number(), z.string()]).nullable().optional(),
  osPlatform: nullableString,
  osVersion: nullableString,
  osArchitecture: nullableString,
  softwareVendor: nullableString,
  softwareName: nullableString,
  softwareVersion: nullableString,
  cveId: nullableString,
  cvssScore: z.number().nullable().optional(),
  vulnerabilitySeverityLevel: nullableString,
  recommendedSecurityUpdate: nullableString,
  recommendedSecurityUpdateId: nullableString,
  recommendedSecurityUpdateUrl: nullableString,
  diskPaths: z.array(z.string()).nullable().optional(),
  registryPaths: z.array(z.string()).nullable().optional(),
  firstSeenTimestamp: optionalTimestamp,
  lastSeenTimestamp: optionalTimestamp,
  exploitabilityLevel: nullableString,
  recommendationReference: nullableString,
  securityUpdateAvailable: z.boolean().nullable().optional(),
  /** Delta export only: New, Fixed or Updated. */
  status: nullableString,
  eventTimestamp: optionalTimestamp,
});

export type Finding = z.output<typeof findingSchema>;
export const validateFinding = recordValidator(findingSchema);
