import type { z } from 'zod';
import {
  createDefenderClient,
  defaultApiBaseUrl,
  DEVICE_READ_ROLE,
  type DefenderClient,
  type DefenderClientOptions,
} from '../defender/index.js';
import type { DefenderClientConfigInput } from '../defender/config.js';
import type { Audience } from '../defender/token-provider.js';
import type { createIntegrationSchema, Imports, UpdateIntegrationInput } from './integration-schema.js';
import type { IntegrationService } from './integration-service.js';
import {
  checkAfterFailure,
  readCredentialExpiry,
  withExpiryDate,
  type CredentialCheck,
} from './credential-check.js';
import { credentialWarnings, type CredentialType, type CredentialWarning } from './credential-health.js';
import { cloudSteps, type VisibleSubscription } from './cloud-connection-test.js';
import {
  cloudStepNames,
  connectionFeatures,
  skippedStep,
  timed,
  type ConnectionStep,
  type Feature,
} from './connection-steps.js';

/** Validated settings of an integration that is not saved (the output of `createIntegrationSchema`). */
export type IntegrationSettings = z.output<typeof createIntegrationSchema>;

export {
  cloudStepNames,
  connectionFeatures,
  connectionStepNames,
  stepSkippedCode,
  type ConnectionStep,
  type ConnectionStepName,
  type Feature,
} from './connection-steps.js';
export type { VisibleSubscription } from './cloud-connection-test.js';

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
  product: Product;
  steps: ConnectionStep[];
  permissions: FeaturePermission[];
  credential: CredentialReport;
  /** Cloud: every subscription the app sees, to choose from; Endpoint: none. */
  subscriptions: VisibleSubscription[];
}

type Product = 'endpoint' | 'cloud';

/** What of an integration's settings decides what its test reads. */
export interface ConnectionTarget {
  readonly product: Product;
  readonly imports: Imports;
  /** Cloud: the subscription ids to read (lower case); empty: every one the app sees. */
  readonly subscriptions: readonly string[];
}

export interface ConnectionTestOptions {
  readonly signal?: AbortSignal;
  /** The end date known from an earlier look: Entra's "expired" does not say since when. */
  readonly knownExpiresAt?: string | null;
  /** Called with the look at the credential's health, to keep it. */
  readonly onCredentialCheck?: (check: CredentialCheck) => Promise<void>;
}

/** The roles each import needs, and which token carries them. */
const featureRoles: Readonly<Record<Feature, { audience: FeatureAudience; needs: readonly string[] }>> = {
  assets: { audience: 'defender', needs: ['Machine.Read.All', 'Machine.ReadWrite.All'] },
  vulnerabilities: { audience: 'defender', needs: ['Vulnerability.Read.All'] },
  alerts: { audience: 'graph', needs: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'] },
  incidents: { audience: 'graph', needs: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'] },
  software: { audience: 'defender', needs: ['Software.Read.All'] },
  // The exposure score needs Score.Read.All besides: the probe reads it too, so a missing one fails the step.
  recommendations: { audience: 'defender', needs: ['SecurityRecommendation.Read.All'] },
  entraDevices: { audience: 'graph', needs: [DEVICE_READ_ROLE, 'Directory.Read.All'] },
};

type FeatureAudience = 'defender' | 'graph';

/** What the steps after the sign-in found, whichever product was tested. */
interface ProductSteps {
  steps: ConnectionStep[];
  /** The first sign-in failure, when one failed. */
  signInFailure: unknown;
  permissions: FeaturePermission[];
  subscriptions: VisibleSubscription[];
}

/**
 * Tries an integration's connection the way a sync would use it. Endpoint: sign in (Defender, and Graph when
 * alerts, incidents or Entra ID devices are imported), then read the first records of every enabled import.
 * Cloud: sign in for Azure Resource Manager, list the subscriptions and read each chosen one (never the
 * Defender for Endpoint API, as an Endpoint test never calls ARM). Then, both: when the credential expires.
 * Each step records the typed error's code instead of throwing, so one answer shows everything that is wrong.
 * Closes the client.
 */
export async function testConnection(
  client: DefenderClient,
  target: ConnectionTarget,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const signal = options.signal;
  const known = options.knownExpiresAt ?? null;
  let found: ProductSteps;
  let check: CredentialCheck;
  try {
    found =
      target.product === 'cloud'
        ? await cloudTest(client, target.subscriptions, known, signal)
        : await endpointTest(client, target.imports, known, signal);
    // A failed sign-in would only fail again (and wait out an unreachable host again).
    check =
      found.signInFailure === undefined
        ? await readCredentialExpiry(client, signal)
        : checkAfterFailure(found.signInFailure);
  } finally {
    await client.close();
  }
  await options.onCredentialCheck?.(check);
  return {
    ok: found.steps.every((s) => s.ok),
    product: target.product,
    steps: found.steps,
    permissions: found.permissions,
    credential: credentialReport(client.config.credential.type, check, known),
    subscriptions: found.subscriptions,
  };
}

async function endpointTest(
  client: DefenderClient,
  imports: Imports,
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<ProductSteps> {
  const enabled = connectionFeatures.filter((f) => imports[f]);
  const audiences = [...new Set(enabled.map((f) => featureRoles[f].audience))];
  // The Defender sign-in is tried even with no import enabled: it is the one every later feature needs.
  if (!audiences.includes('defender')) audiences.unshift('defender');
  const { step, granted, failure } = await tokenStep(client, audiences, known, signal);
  const steps = [step];
  for (const feature of enabled) {
    steps.push(
      granted.has(featureRoles[feature].audience)
        ? await timed(feature, () => probe(client, feature, signal))
        : skippedStep(feature, 'the sign-in it needs failed.'),
    );
  }
  return {
    steps,
    signInFailure: failure,
    permissions: enabled.map((feature) => {
      const { audience, needs } = featureRoles[feature];
      const roles = granted.get(audience) ?? [];
      return { feature, needs: [...needs], granted: needs.some((role) => roles.includes(role)) };
    }),
    subscriptions: [],
  };
}

/** ARM access is Azure RBAC on each subscription, not app roles: no permission rows, the steps say it. */
async function cloudTest(
  client: DefenderClient,
  chosen: readonly string[],
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<ProductSteps> {
  const { step, failure } = await tokenStep(client, ['arm'], known, signal);
  if (failure !== undefined)
    return {
      steps: [step, ...cloudStepNames.map((name) => skippedStep(name, 'the sign-in it needs failed.'))],
      signInFailure: failure,
      permissions: [],
      subscriptions: [],
    };
  const cloud = await cloudSteps(client, chosen, signal);
  return {
    steps: [step, ...cloud.steps],
    signInFailure: undefined,
    permissions: [],
    subscriptions: cloud.subscriptions,
  };
}

/** The `token` step: a sign-in per audience, with the roles each token carries. */
async function tokenStep<A extends Audience>(
  client: DefenderClient,
  audiences: readonly A[],
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<{ step: ConnectionStep; granted: Map<A, readonly string[]>; failure: unknown }> {
  const granted = new Map<A, readonly string[]>();
  let failure: unknown;
  const step = await timed('token', async () => {
    failure = await signIn(client, audiences, granted, signal);
    if (failure !== undefined) throw withExpiryDate(failure, known);
  });
  return { step, granted, failure };
}

/**
 * Signs in for every audience, so a Graph failure does not hide a working Defender sign-in; keeps the roles
 * each token carries and returns the first failure.
 */
async function signIn<A extends Audience>(
  client: DefenderClient,
  audiences: readonly A[],
  granted: Map<A, readonly string[]>,
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

/**
 * Tests a saved integration, with `changes` (an update's body) applied first when given: edits are tested before
 * they are saved, with the stored credential unless the changes bring one. Nothing of the changes is stored; the
 * credential's health is kept only when it was tested as stored (same credential, tenant, app, hosts and CA).
 */
export async function testSavedIntegration(
  integrations: IntegrationService,
  idOrName: string,
  changes: UpdateIntegrationInput = {},
  clientOptions: DefenderClientOptions = {},
): Promise<ConnectionTestResult> {
  const { integration, client, credentialKept } = await integrations.draft(idOrName, changes, clientOptions);
  return testConnection(client, integration, {
    knownExpiresAt: integration.credential.expiresAt,
    ...(credentialKept
      ? { onCredentialCheck: (check) => integrations.recordCredentialCheck(integration.id, check) }
      : {}),
  });
}

/** Tests settings before they are saved; nothing is stored. */
export async function testIntegrationSettings(
  settings: IntegrationSettings,
  clientOptions: DefenderClientOptions = {},
): Promise<ConnectionTestResult> {
  return testConnection(createDefenderClient(clientConfigOf(settings), clientOptions), {
    product: settings.product,
    imports: settings.imports,
    subscriptions: settings.subscriptions ?? [],
  });
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
    ...(settings.armBaseUrl === undefined ? {} : { armBaseUrl: settings.armBaseUrl }),
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
    entraDevices: () => client.devices.list({ pageSize: 1, ...common }),
  } as const;
  // Leaving the loop closes the generator, which frees the connection mid-page.
  for await (const _batch of lists[feature]()) break;
  if (feature === 'recommendations') await client.recommendations.exposureScore(signal);
}
