import type { z } from 'zod';
import { HubError } from '../errors.js';
import {
  createDefenderClient,
  defaultApiBaseUrl,
  type DefenderClient,
  type DefenderClientOptions,
} from '../defender/index.js';
import type { DefenderClientConfigInput } from '../defender/config.js';
import type { createIntegrationSchema, Imports } from './integration-schema.js';
import type { IntegrationService } from './integration-service.js';
import {
  checkAfterFailure,
  readCredentialExpiry,
  withExpiryDate,
  type CredentialCheck,
} from './credential-check.js';
import { credentialWarnings, type CredentialType, type CredentialWarning } from './credential-health.js';

/** Validated settings of an integration that is not saved (the output of `createIntegrationSchema`). */
export type IntegrationSettings = z.output<typeof createIntegrationSchema>;

/** What a test reads besides the sign-in: one per import, named as the import toggles are. */
export const connectionFeatures = [
  'assets',
  'vulnerabilities',
  'alerts',
  'incidents',
  'software',
  'recommendations',
] as const;
export type Feature = (typeof connectionFeatures)[number];
export const connectionStepNames = ['token', ...connectionFeatures] as const;
export type ConnectionStepName = (typeof connectionStepNames)[number];

export interface ConnectionStep {
  name: ConnectionStepName;
  ok: boolean;
  /** The typed error's stable code, when the step failed. */
  code?: string;
  message?: string;
  ms: number;
}

export interface FeaturePermission {
  feature: Feature;
  /** App roles of which any one suffices. */
  needs: string[];
  granted: boolean;
}

/** The credential's health as the test found it; not a step, so an unknown expiry never fails the test. */
export interface CredentialReport {
  expiresAt: string | null;
  checkedAt: string;
  warnings: CredentialWarning[];
}

export interface ConnectionTestResult {
  ok: boolean;
  steps: ConnectionStep[];
  permissions: FeaturePermission[];
  credential: CredentialReport;
}

export interface ConnectionTestOptions {
  readonly signal?: AbortSignal;
  /** The end date known from an earlier look: Entra's "expired" does not say since when. */
  readonly knownExpiresAt?: string | null;
  /** Called with the look at the credential's health, to keep it. */
  readonly onCredentialCheck?: (check: CredentialCheck) => Promise<void>;
}

/** The roles each import needs, and which token carries them. */
const featureRoles: Readonly<Record<Feature, { audience: 'defender' | 'graph'; needs: readonly string[] }>> =
  {
    assets: { audience: 'defender', needs: ['Machine.Read.All', 'Machine.ReadWrite.All'] },
    vulnerabilities: { audience: 'defender', needs: ['Vulnerability.Read.All'] },
    alerts: { audience: 'graph', needs: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'] },
    incidents: { audience: 'graph', needs: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'] },
    software: { audience: 'defender', needs: ['Software.Read.All'] },
    // The exposure score needs Score.Read.All besides: the probe reads it too, so a missing one fails the step.
    recommendations: { audience: 'defender', needs: ['SecurityRecommendation.Read.All'] },
  };

const features = connectionFeatures;

/** Stable code of a probe that did not run because the sign-in it needs failed. */
export const stepSkippedCode = 'TEST_STEP_SKIPPED';

/**
 * Tries an integration's connection the way a sync would use it: sign in (Defender, and Graph when alerts or
 * incidents are imported), then read the first records of every enabled import, and when the credential
 * expires. Each step records the typed error's code instead of throwing, so one answer shows everything that
 * is wrong. Closes the client.
 */
export async function testConnection(
  client: DefenderClient,
  imports: Imports,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const signal = options.signal;
  const known = options.knownExpiresAt ?? null;
  const enabled = features.filter((f) => imports[f]);
  const audiences = [...new Set(enabled.map((f) => featureRoles[f].audience))];
  // The Defender sign-in is tried even with no import enabled: it is the one every later feature needs.
  if (!audiences.includes('defender')) audiences.unshift('defender');
  const granted = new Map<'defender' | 'graph', readonly string[]>();
  const steps: ConnectionStep[] = [];
  let signInFailure: unknown;
  let check: CredentialCheck;
  try {
    steps.push(
      await timed('token', async () => {
        signInFailure = await signIn(client, audiences, granted, signal);
        if (signInFailure !== undefined) throw withExpiryDate(signInFailure, known);
      }),
    );
    for (const feature of enabled) {
      if (!granted.has(featureRoles[feature].audience)) {
        steps.push({
          name: feature,
          ok: false,
          code: stepSkippedCode,
          message: 'Not tried: the sign-in it needs failed.',
          ms: 0,
        });
        continue;
      }
      steps.push(await timed(feature, () => probe(client, feature, signal)));
    }
    // A failed sign-in would only fail again (and wait out an unreachable host again).
    check =
      signInFailure === undefined
        ? await readCredentialExpiry(client, signal)
        : checkAfterFailure(signInFailure);
  } finally {
    await client.close();
  }
  await options.onCredentialCheck?.(check);
  return {
    ok: steps.every((s) => s.ok),
    steps,
    permissions: enabled.map((feature) => {
      const { audience, needs } = featureRoles[feature];
      const roles = granted.get(audience) ?? [];
      return { feature, needs: [...needs], granted: needs.some((role) => roles.includes(role)) };
    }),
    credential: credentialReport(client.config.credential.type, check, known),
  };
}

/**
 * Signs in for every audience, so a Graph failure does not hide a working Defender sign-in; keeps the roles
 * each token carries and returns the first failure.
 */
async function signIn(
  client: DefenderClient,
  audiences: readonly ('defender' | 'graph')[],
  granted: Map<'defender' | 'graph', readonly string[]>,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  let failure: unknown;
  for (const audience of audiences) {
    try {
      granted.set(audience, await client.grantedRoles(audience, signal));
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  return failure;
}

function credentialReport(
  type: CredentialType,
  check: CredentialCheck,
  known: string | null,
): CredentialReport {
  const expiresAt = check.expiresAt === undefined ? known : check.expiresAt;
  return {
    expiresAt,
    checkedAt: check.checkedAt,
    warnings: credentialWarnings({ type, outcome: check.outcome, expiresAt }, new Date()),
  };
}

/** Tests a saved integration with its stored (decrypted) credential. */
export async function testSavedIntegration(
  integrations: IntegrationService,
  idOrName: string,
  clientOptions: DefenderClientOptions = {},
): Promise<ConnectionTestResult> {
  const integration = await integrations.get(idOrName);
  const client = await integrations.client(integration.id, clientOptions);
  return testConnection(client, integration.imports, {
    knownExpiresAt: integration.credential.expiresAt,
    onCredentialCheck: (check) => integrations.recordCredentialCheck(integration.id, check),
  });
}

/** Tests settings before they are saved; nothing is stored. */
export async function testIntegrationSettings(
  settings: IntegrationSettings,
  clientOptions: DefenderClientOptions = {},
): Promise<ConnectionTestResult> {
  return testConnection(createDefenderClient(clientConfigOf(settings), clientOptions), settings.imports);
}

/** The Defender client configuration that validated integration settings describe. */
export function clientConfigOf(settings: IntegrationSettings): DefenderClientConfigInput {
  return {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    credential:
      settings.clientSecret !== undefined
        ? { type: 'secret', clientSecret: settings.clientSecret }
        : { type: 'certificate', certificatePem: settings.certificate ?? '' },
    apiBaseUrl: settings.apiBaseUrl ?? defaultApiBaseUrl,
    ...(settings.authorityHost === undefined ? {} : { authorityHost: settings.authorityHost }),
    ...(settings.graphBaseUrl === undefined ? {} : { graphBaseUrl: settings.graphBaseUrl }),
    ...(settings.caPem === undefined ? {} : { caPem: settings.caPem }),
  };
}

/** One cheap read per feature: the first batch of its list, then the list is abandoned. */
async function probe(
  client: DefenderClient,
  feature: Feature,
  signal: AbortSignal | undefined,
): Promise<void> {
  const common = { batchSize: 1, ...(signal === undefined ? {} : { signal }) };
  const lists = {
    assets: () => client.machines.list({ pageSize: 1, ...common }),
    vulnerabilities: () => client.vulnerabilities.list(common),
    alerts: () => client.alerts.list(common),
    incidents: () => client.incidents.list(common),
    software: () => client.software.list(common),
    recommendations: () => client.recommendations.list(common),
  } as const;
  // Leaving the loop closes the generator, which frees the connection mid-page.
  for await (const _batch of lists[feature]()) break;
  if (feature === 'recommendations') await client.recommendations.exposureScore(signal);
}

async function timed(name: ConnectionStepName, step: () => Promise<void>): Promise<ConnectionStep> {
  const started = performance.now();
  try {
    await step();
    return { name, ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      ok: false,
      code: error instanceof HubError ? error.code : 'CONNECTION_TEST_FAILED',
      message: error instanceof Error ? error.message : 'The step failed for an unknown reason.',
      ms: Math.round(performance.now() - started),
    };
  }
}
