import { z } from 'zod';
import { defenderRegions, type DefenderRegion } from '../domain/clouds.js';
import { canonicalOnboardingStatus, onboardingStatuses } from '../domain/onboarding.js';
import {
  integrationProducts,
  type Filters,
  type Imports,
  type ProtectedDevicesSettings,
  type Schedules,
} from '../domain/integration.js';

// The stored settings' schemas give the domain's shapes (domain/integration.ts); `satisfies` keeps them in step.

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const domainName = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * Settings objects are written twice: with defaults (a new integration, a stored row read back) and without (a
 * change, where zod would otherwise fill every field not named with its default and reset it).
 */
const importFields = {
  assets: z.boolean(),
  vulnerabilities: z.boolean(),
  alerts: z.boolean(),
  incidents: z.boolean(),
  software: z.boolean(),
  recommendations: z.boolean(),
  /** Entra ID devices through Microsoft Graph (Device.Read.All), joined to endpoints by aadDeviceId. */
  entraDevices: z.boolean(),
};

const importsSchema = z
  .object({
    assets: importFields.assets.default(true),
    vulnerabilities: importFields.vulnerabilities.default(true),
    alerts: importFields.alerts.default(true),
    incidents: importFields.incidents.default(true),
    software: importFields.software.default(true),
    recommendations: importFields.recommendations.default(true),
    entraDevices: importFields.entraDevices.default(true),
  })
  .strict() satisfies z.ZodType<Imports>;

/** Minutes between runs per dataset; findings follow each machines run. */
const scheduleFields = {
  machines: z.number().int().min(5).max(10_080),
  vulnerabilities: z.number().int().min(5).max(10_080),
  alerts: z.number().int().min(1).max(1440),
  incidents: z.number().int().min(1).max(1440),
  machineActions: z.number().int().min(1).max(1440),
  software: z.number().int().min(60).max(10_080),
  recommendations: z.number().int().min(60).max(10_080),
  entraDevices: z.number().int().min(60).max(10_080),
  /** Defender for Cloud posture (product cloud). */
  cloudPosture: z.number().int().min(60).max(10_080),
};

const schedulesSchema = z
  .object({
    machines: scheduleFields.machines.default(60),
    vulnerabilities: scheduleFields.vulnerabilities.default(1440),
    alerts: scheduleFields.alerts.default(5),
    incidents: scheduleFields.incidents.default(5),
    machineActions: scheduleFields.machineActions.default(15),
    software: scheduleFields.software.default(1440),
    recommendations: scheduleFields.recommendations.default(1440),
    entraDevices: scheduleFields.entraDevices.default(1440),
    cloudPosture: scheduleFields.cloudPosture.default(240),
  })
  .strict() satisfies z.ZodType<Schedules>;

/** The import filters as stored and answered (stored values are read as they are, whatever their age). */
const filtersSchema = z
  .object({
    /**
     * Phones, tablets (iOS, Android, Fire OS, …) and IoT devices are not patchable endpoints; dropped unless
     * switched off (domain/device-platforms.ts).
     */
    dropMobileAndIot: z.boolean().default(true),
    /** Keep only these onboarding statuses (empty: all). */
    onboardingStatuses: z.array(z.string().min(1)).default([]),
    /** Keep only machines in these device groups (empty: all). */
    deviceGroups: z.array(z.string().min(1)).default([]),
    /** Keep only machines with at least one of these tags (empty: all). */
    tags: z.array(z.string().min(1)).default([]),
  })
  .strict() satisfies z.ZodType<Filters>;

/** A list of names a filter keeps (device groups, tags): trimmed, each once; empty keeps every machine. */
function filterNames(what: string) {
  return z
    .array(
      z
        .string({ error: 'must be a name (text).' })
        .trim()
        .min(1, { error: 'is empty; give a name or leave it out.' })
        .max(256, { error: 'is longer than 256 characters.' }),
      { error: `${what} must be a list of names.` },
    )
    .max(500, { error: `${what} holds more than 500 names.` })
    .transform((names) => [...new Set(names)]);
}

/**
 * The filters as a caller sets them, checked: an onboarding status must be one Defender documents (a typo would
 * otherwise drop every machine) and is stored as Defender writes it, whatever the case typed.
 */
const filterInputFields = {
  dropMobileAndIot: z.boolean({ error: 'filters.dropMobileAndIot must be true or false.' }),
  onboardingStatuses: z
    .array(
      z.string({ error: 'must be an onboarding status (text).' }).transform(
        (value, ctx) =>
          canonicalOnboardingStatus(value) ??
          (ctx.addIssue({
            code: 'custom',
            message: `${JSON.stringify(value)} is not an onboarding status Defender reports; use ${onboardingStatuses.join(', ')} (none: every status).`,
          }),
          z.NEVER),
      ),
      { error: 'filters.onboardingStatuses must be a list of onboarding statuses.' },
    )
    .transform((statuses) => [...new Set(statuses)]),
  deviceGroups: filterNames('filters.deviceGroups'),
  tags: filterNames('filters.tags'),
};

const filtersInputSchema = z
  .object({
    dropMobileAndIot: filterInputFields.dropMobileAndIot.default(true),
    onboardingStatuses: filterInputFields.onboardingStatuses.default([]),
    deviceGroups: filterInputFields.deviceGroups.default([]),
    tags: filterInputFields.tags.default([]),
  })
  .strict();

/** A change to some filters: what is not named stays as stored (no defaults, which would reset it). */
const filtersChangeSchema = z.object(filterInputFields).partial().strict();

/** Devices never isolated through the hub (see domain/protected-devices.ts). */
const protectedDeviceFields = {
  tags: z.array(z.string().trim().min(1)).max(100),
  deviceGroups: z.array(z.string().trim().min(1)).max(100),
  /** Globs over the DNS name: `*` any run, `?` one character, ignoring case. */
  namePatterns: z.array(z.string().trim().min(1).max(253)).max(100),
};

const protectedDevicesSchema = z
  .object({
    tags: protectedDeviceFields.tags.default([]),
    deviceGroups: protectedDeviceFields.deviceGroups.default([]),
    namePatterns: protectedDeviceFields.namePatterns.default([]),
  })
  .strict() satisfies z.ZodType<ProtectedDevicesSettings>;

function httpsUrl(what: string) {
  return z
    .string()
    .trim()
    .refine((v) => URL.canParse(v), { error: `${what} must be a URL such as https://example.com.` })
    .refine((v) => !URL.canParse(v) || new URL(v).protocol === 'https:', {
      error: `${what} must use https://.`,
    })
    .transform((v) => v.replace(/\/+$/, ''));
}

/** A region name (US, EU, GCC High, …) or a URL; a URL ending in /api is refused with the fix. */
const apiBaseUrlSchema = z
  .string()
  .trim()
  .transform((v) => (v in defenderRegions ? defenderRegions[v as DefenderRegion].apiBaseUrl : v))
  .pipe(httpsUrl('apiBaseUrl'))
  .refine((v) => !/\/api(\/v1\.0)?$/i.test(v), {
    error: (issue) =>
      `apiBaseUrl must not end in /api: use ${String(issue.input).replace(/\/api(\/v1\.0)?$/i, '')}.`,
  });

const productSchema = z.enum(integrationProducts, { error: 'product must be "endpoint" or "cloud".' });

const baseFields = {
  name: z.string().trim().min(1, { error: 'name is required.' }).max(120),
  product: productSchema.default('endpoint'),
  tenantId: z
    .string({ error: 'tenantId is required.' })
    .trim()
    .refine((v) => guid.test(v) || domainName.test(v), {
      error: 'tenantId must be a GUID or a domain name such as contoso.onmicrosoft.com.',
    }),
  clientId: z
    .string({ error: 'clientId is required.' })
    .trim()
    .refine((v) => guid.test(v), {
      error: "clientId must be the app registration's Application (client) ID, a GUID.",
    }),
  clientSecret: z.string().trim().min(1, { error: 'clientSecret is empty.' }).optional(),
  certificate: z
    .string()
    .refine((v) => v.includes('PRIVATE KEY-----') && v.includes('BEGIN CERTIFICATE'), {
      error: 'certificate must be PEM text holding the private key and the certificate.',
    })
    .optional(),
  apiBaseUrl: apiBaseUrlSchema.optional(),
  authorityHost: httpsUrl('authorityHost').optional(),
  graphBaseUrl: httpsUrl('graphBaseUrl').optional(),
  /** Azure Resource Manager (product cloud); the cloud's host when absent (https://management.azure.com). */
  armBaseUrl: httpsUrl('armBaseUrl').optional(),
  /** The subscriptions a cloud integration reads; empty: every one the app can read. */
  subscriptions: z
    .array(
      z
        .string()
        .trim()
        .refine((v) => guid.test(v), {
          error: (issue) =>
            `subscriptions must hold subscription IDs (GUIDs such as 00000000-0000-0000-0000-000000000000, the subscription's "Subscription ID" in the Azure portal); ${JSON.stringify(issue.input)} is not one.`,
        }),
    )
    .max(1000)
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .optional(),
  caPem: z
    .string()
    .refine((v) => v.includes('BEGIN CERTIFICATE'), { error: 'caPem must be a PEM certificate.' })
    .optional(),
  enabled: z.boolean().default(true),
  imports: importsSchema.default(importsSchema.parse({})),
  schedules: schedulesSchema.default(schedulesSchema.parse({})),
  filters: filtersInputSchema.default(filtersInputSchema.parse({})),
  protectedDevices: protectedDevicesSchema.default(protectedDevicesSchema.parse({})),
};

export const createIntegrationSchema = z
  .object(baseFields)
  .strict()
  .refine((v) => (v.clientSecret === undefined) !== (v.certificate === undefined), {
    error: 'Give exactly one credential: clientSecret or certificate.',
    path: ['clientSecret'],
  });

export const updateIntegrationSchema = z
  .object({
    ...baseFields,
    name: baseFields.name.optional(),
    tenantId: baseFields.tenantId.optional(),
    clientId: baseFields.clientId.optional(),
    // Not baseFields.product: zod applies its default under optional(), and a change would reset the product.
    product: productSchema.optional(),
    // null clears a setting back to its default (the cloud's host; the system's trusted certificates).
    authorityHost: baseFields.authorityHost.nullable(),
    graphBaseUrl: baseFields.graphBaseUrl.nullable(),
    armBaseUrl: baseFields.armBaseUrl.nullable(),
    caPem: baseFields.caPem.nullable(),
    enabled: z.boolean().optional(),
    // Changes name only what changes: no defaults, which would reset every setting not named.
    imports: z.object(importFields).partial().strict().optional(),
    schedules: z.object(scheduleFields).partial().strict().optional(),
    filters: filtersChangeSchema.optional(),
    protectedDevices: z.object(protectedDeviceFields).partial().strict().optional(),
  })
  .strict()
  .refine((v) => v.clientSecret === undefined || v.certificate === undefined, {
    error: 'Give at most one credential: clientSecret or certificate.',
    path: ['clientSecret'],
  });

export type CreateIntegrationInput = z.input<typeof createIntegrationSchema>;
export type UpdateIntegrationInput = z.input<typeof updateIntegrationSchema>;
export { importsSchema, schedulesSchema, filtersSchema, protectedDevicesSchema };
