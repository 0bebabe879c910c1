import { z } from 'zod';
import { DefenderError, DefenderErrorCode } from './errors.js';
import { armAudienceOf, xdrBaseUrlOf } from './clouds.js';
import { cloudOfApiBaseUrl, clouds, defaultApiBaseUrl } from '../domain/clouds.js';
import type { RetryOptions } from './retry-policy.js';
import type { RateGovernorOptions } from './rate-governor.js';
import { Secret } from '../domain/secret.js';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const domainName = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function httpsUrl(what: string) {
  return z
    .string({ error: `${what} is required.` })
    .trim()
    .refine((v) => URL.canParse(v), { error: `${what} must be a URL, such as https://example.com.` })
    .refine((v) => !URL.canParse(v) || new URL(v).protocol === 'https:', {
      error: `${what} must use https://.`,
    })
    .transform((v) => v.replace(/\/+$/, ''));
}

const credentialSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('secret'),
    clientSecret: z
      .string()
      .trim()
      .min(1, { error: "The client secret is empty: paste the secret's Value from the app registration." }),
  }),
  z.object({
    type: z.literal('certificate'),
    /** PEM with the private key and the certificate, as Azure's ClientCertificateCredential takes it. */
    certificatePem: z
      .string()
      .refine((v) => v.includes('PRIVATE KEY-----') && v.includes('BEGIN CERTIFICATE'), {
        error: 'The certificate must be PEM text holding both the private key and the certificate.',
      }),
  }),
]);

export const defenderClientConfigSchema = z
  .object({
    tenantId: z
      .string({ error: 'The tenant ID is required.' })
      .trim()
      .refine((v) => guid.test(v) || domainName.test(v), {
        error:
          'The tenant ID must be a GUID (Directory (tenant) ID) or a domain name such as contoso.onmicrosoft.com.',
      }),
    clientId: z
      .string({ error: 'The client ID is required.' })
      .trim()
      .refine((v) => guid.test(v), {
        error: "The client ID must be the app registration's Application (client) ID, a GUID.",
      }),
    credential: credentialSchema,
    apiBaseUrl: httpsUrl('The Defender API base URL').default(defaultApiBaseUrl),
    authorityHost: httpsUrl('The authority host').optional(),
    graphBaseUrl: httpsUrl('The Microsoft Graph base URL').optional(),
    /** Azure Resource Manager, for Defender for Cloud (default per cloud: https://management.azure.com). */
    armBaseUrl: httpsUrl('The Azure Resource Manager base URL').optional(),
    /** The Microsoft 365 Defender API (incidents); default per cloud, or the API base URL when that is custom. */
    xdrBaseUrl: httpsUrl('The Microsoft 365 Defender API base URL').optional(),
    /** Token audiences; derived from the hosts' cloud when absent. */
    defenderAudience: z.string().optional(),
    graphAudience: z.string().optional(),
    armAudience: z.string().optional(),
    xdrAudience: z.string().optional(),
    caPem: z.string().optional(),
    httpsProxy: httpsOrHttpProxy().optional(),
    noProxy: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    if (/\/api(\/v1\.0)?$/i.test(config.apiBaseUrl)) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiBaseUrl'],
        message: `The Defender API base URL must not end in /api: use ${config.apiBaseUrl.replace(/\/api(\/v1\.0)?$/i, '')} (the client adds /api itself).`,
        params: { defenderCode: DefenderErrorCode.BaseUrlEndsWithApi },
      });
    }
  });

function httpsOrHttpProxy() {
  return z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), {
      error: 'The proxy must be a URL such as http://proxy.example.com:3128.',
    });
}

export type DefenderClientConfigInput = z.input<typeof defenderClientConfigSchema>;

/**
 * The credential as the client keeps it: wrapped, so a logged or inspected config (or an error holding one)
 * shows `[redacted]`; the value is revealed only where it is used (the token provider's credential).
 */
export type ResolvedCredential =
  | { readonly type: 'secret'; readonly clientSecret: Secret }
  | { readonly type: 'certificate'; readonly certificatePem: Secret };

export interface ResolvedDefenderConfig {
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: ResolvedCredential;
  readonly apiBaseUrl: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly defenderAudience: string;
  readonly graphAudience: string;
  readonly armBaseUrl: string;
  /** Token audience for ARM (scope `<armAudience>/.default`). */
  readonly armAudience: string;
  readonly xdrBaseUrl: string;
  /** Token audience of the Microsoft 365 Defender API, whose app roles (Incident.Read.All) are its own. */
  readonly xdrAudience: string;
  readonly caPem: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: string | undefined;
}

/** Options that tune behaviour rather than say where to connect. */
export interface DefenderClientTuning {
  readonly retry?: Partial<RetryOptions>;
  readonly governor?: Partial<RateGovernorOptions>;
}

/**
 * Validates and completes a client configuration. Throws a DefenderError whose message lists every problem,
 * each one saying what to change.
 */
export function resolveDefenderConfig(input: DefenderClientConfigInput): ResolvedDefenderConfig {
  const parsed = defenderClientConfigSchema.safeParse(input);
  if (!parsed.success) {
    const endsWithApi = parsed.error.issues.some(
      (i) => i.code === 'custom' && i.params?.defenderCode === DefenderErrorCode.BaseUrlEndsWithApi,
    );
    const problems = parsed.error.issues.map((i) => i.message);
    throw new DefenderError(
      endsWithApi && problems.length === 1
        ? DefenderErrorCode.BaseUrlEndsWithApi
        : DefenderErrorCode.InvalidConfig,
      problems.join(' '),
      {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      },
    );
  }
  const config = parsed.data;
  const cloudName = cloudOfApiBaseUrl(config.apiBaseUrl);
  const cloud = clouds[cloudName];
  return Object.freeze({
    tenantId: config.tenantId,
    clientId: config.clientId,
    credential: wrapCredential(config.credential),
    apiBaseUrl: config.apiBaseUrl,
    authorityHost: config.authorityHost ?? cloud.authorityHost,
    graphBaseUrl: config.graphBaseUrl ?? cloud.graphBaseUrl,
    defenderAudience: config.defenderAudience ?? cloud.defenderAudience,
    graphAudience: config.graphAudience ?? cloud.graphAudience,
    armBaseUrl: config.armBaseUrl ?? cloud.armBaseUrl,
    // ARM's audience is its public host even when armBaseUrl points elsewhere (a proxy, the simulator).
    armAudience: config.armAudience ?? armAudienceOf(config.armBaseUrl, cloud.armBaseUrl),
    xdrBaseUrl: config.xdrBaseUrl ?? xdrBaseUrlOf(config.apiBaseUrl, cloudName),
    // Like ARM's: the public App ID URI even when the base URL is a proxy or the simulator.
    xdrAudience: config.xdrAudience ?? cloud.xdrBaseUrl,
    caPem: config.caPem,
    httpsProxy: config.httpsProxy,
    noProxy: config.noProxy,
  });
}

function wrapCredential(credential: z.output<typeof credentialSchema>): ResolvedCredential {
  return credential.type === 'secret'
    ? { type: 'secret', clientSecret: new Secret(credential.clientSecret) }
    : { type: 'certificate', certificatePem: new Secret(credential.certificatePem) };
}
