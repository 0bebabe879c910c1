import type { z } from 'zod';
import { createDefenderClient, type DefenderClient, type DefenderClientOptions } from '../defender/index.js';
import { defaultApiBaseUrl } from '../domain/clouds.js';
import type { DefenderClientConfigInput } from '../defender/config.js';
import { limitedLabel } from '../domain/connection-status.js';
import {
  featureAccess,
  inTableOrder,
  needsText,
  tokenApis,
  type Feature,
  type TokenApi,
  type TokenRoles,
} from '../domain/permissions.js';
import { activityReaders } from '../sync/datasets/activity.js';
import { chooseReader } from '../sync/activity-reader.js';
import { signIn } from '../sync/dataset-access.js';
import type { createIntegrationSchema, UpdateIntegrationInput } from './integration-schema.js';
import type { Imports } from '../domain/integration.js';
import type { IntegrationService } from './integration-service.js';
import {
  checkAfterFailure,
  readCredentialExpiry,
  withExpiryDate,
  type CredentialCheck,
} from './credential-check.js';
import { credentialWarnings } from './credential-health.js';
import type { CredentialType, CredentialWarning } from '../domain/credential-warnings.js';
import { cloudSteps, type VisibleSubscription } from './cloud-connection-test.js';
import {
  cloudStepNames,
  importSteps,
  skippedStep,
  stepNotPermittedCode,
  timed,
  type ConnectionStep,
  type ImportStep,
} from './connection-steps.js';
import {
  importFeatures,
  importsAllowed,
  permissionRows,
  type PermissionRow,
  type TokenReadings,
} from './permission-report.js';

/** Validated settings of an integration that is not saved (the output of `createIntegrationSchema`). */
export type IntegrationSettings = z.output<typeof createIntegrationSchema>;

export {
  cloudStepNames,
  connectionStepNames,
  importSteps,
  stepNotPermittedCode,
  stepSkippedCode,
  type ConnectionStep,
  type ConnectionStepName,
  type ImportStep,
} from './connection-steps.js';
export type { VisibleSubscription } from './cloud-connection-test.js';
export type { PermissionRow } from './permission-report.js';

/** The credential's health as the test found it; not a step, so an unknown expiry never fails the test. */
export interface CredentialReport {
  expiresAt: string | null;
  checkedAt: string;
  warnings: CredentialWarning[];
}

export interface ConnectionTestResult {
  /** No step failed; a step the app is not permitted to read is not a failure. */
  ok: boolean;
  product: Product;
  /** "Connected", "Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All", or "Failed: …". */
  label: string;
  steps: ConnectionStep[];
  /** The permission table: every feature (Cloud: cloud posture only), granted or not, and what it enables. */
  permissions: PermissionRow[];
  /** What the enabled imports need that no granted permission serves, in the table's order. */
  notPermitted: Feature[];
  /** Endpoint: the import toggles the app's tokens allow, for a new integration's defaults; null otherwise. */
  importsAllowed: Imports | null;
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

/** What the steps after the sign-in found, whichever product was tested. */
interface ProductSteps {
  steps: ConnectionStep[];
  /** The sign-in failure that makes reading the credential's expiry pointless, when one failed. */
  signInFailure: unknown;
  permissions: PermissionRow[];
  importsAllowed: Imports | null;
  subscriptions: VisibleSubscription[];
}

/**
 * Tries an integration's connection the way a sync would use it. Endpoint: sign in to each API an app registration
 * grants permissions on (WindowsDefenderATP, Microsoft Threat Protection, Microsoft Graph) and read the roles each
 * token carries, then read the first records of every enabled import through the source a sync would use; an
 * import the roles do not permit is marked so, not tried and not failed. Cloud: sign in for Azure Resource
 * Manager, list the subscriptions and read each chosen one (never the Defender for Endpoint API, as an Endpoint
 * test never calls ARM). Then, both: when the credential expires. Each step records the typed error's code
 * instead of throwing, so one answer shows everything that is wrong. Closes the client.
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
  const ok = found.steps.every((s) => s.ok);
  const notPermitted = inTableOrder(found.steps.flatMap((s) => s.notPermitted));
  return {
    ok,
    product: target.product,
    label: resultLabel(ok, found.steps, notPermitted),
    steps: found.steps,
    permissions: found.permissions,
    notPermitted,
    importsAllowed: found.importsAllowed,
    credential: credentialReport(client.config.credential.type, check, known),
    subscriptions: found.subscriptions,
  };
}

/** The result in the words of an integration's status. */
function resultLabel(
  ok: boolean,
  steps: readonly ConnectionStep[],
  notPermitted: readonly Feature[],
): string {
  if (!ok) {
    const failed = steps.find((s) => !s.ok);
    return `Failed: ${failed?.message ?? failed?.code ?? 'a step failed'}`;
  }
  return notPermitted.length === 0 ? 'Connected' : limitedLabel(notPermitted);
}

async function endpointTest(
  client: DefenderClient,
  imports: Imports,
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<ProductSteps> {
  const enabled = importSteps.filter((name) => imports[name]);
  const { step, readings } = await tokenStep(client, enabled, known, signal);
  const steps = [step];
  for (const name of enabled) steps.push(await importStep(client, name, readings, signal));
  // The credential's expiry is read through Graph: after a failed Graph sign-in it would only fail again.
  const signInFailure =
    readings.failures.get('graph') ?? (step.ok ? undefined : blockingFailure(enabled, readings));
  return {
    steps,
    signInFailure,
    permissions: permissionRows(readings, undefined),
    importsAllowed: step.ok ? importsAllowed(readings.roles) : null,
    subscriptions: [],
  };
}

function firstOf(failures: ReadonlyMap<TokenApi, unknown>): unknown {
  return [...failures.values()][0];
}

/**
 * The `token` step: a sign-in per API, keeping the roles each token carries. It fails when the Defender sign-in
 * fails (every Endpoint read needs it) or when a sign-in fails that an enabled import cannot do without; a
 * sign-in no enabled import needs is reported in the table, not failed (a tenant may lack that API).
 */
async function tokenStep(
  client: DefenderClient,
  enabled: readonly ImportStep[],
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<{ step: ConnectionStep; readings: TokenReadings }> {
  let readings: TokenReadings = { roles: {}, failures: new Map() };
  const step = await timed('token', async () => {
    readings = await signIn(client, tokenApis, signal);
    const blocking = blockingFailure(enabled, readings);
    if (blocking !== undefined) throw withExpiryDate(blocking, known);
  });
  return { step, readings };
}

function blockingFailure(enabled: readonly ImportStep[], readings: TokenReadings): unknown {
  const { roles, failures } = readings;
  if (failures.has('defender')) return failures.get('defender');
  const blocked = enabled.some((name) =>
    importFeatures[name].every((feature) => featureAccess(feature, roles) === 'notChecked'),
  );
  return blocked ? firstOf(failures) : undefined;
}

/** One import's step: not permitted, skipped (its sign-in failed) or a read of its first records. */
async function importStep(
  client: DefenderClient,
  name: ImportStep,
  readings: TokenReadings,
  signal: AbortSignal | undefined,
): Promise<ConnectionStep> {
  const access = importFeatures[name].map((feature) => ({
    feature,
    access: featureAccess(feature, readings.roles),
  }));
  const notPermitted = access.filter((a) => a.access === 'notPermitted').map((a) => a.feature);
  const readable = access.filter((a) => a.access !== 'notPermitted').map((a) => a.feature);
  const needs = notPermitted.map(needsText).join('; ');
  if (readable.length === 0)
    return {
      name,
      ok: true,
      code: stepNotPermittedCode,
      message: `Not permitted, not read: ${needs}.`,
      ms: 0,
      notPermitted,
    };
  if (!access.some((a) => a.access === 'permitted')) return skippedStep(name, 'the sign-in it needs failed.');
  const step = await timed(name, () => probe(client, name, readable, readings.roles, signal));
  if (notPermitted.length === 0) return step;
  // A failed read keeps its own message; a passed one says what it left out.
  return step.ok
    ? { ...step, message: `Not permitted, not read: ${needs}.`, notPermitted }
    : { ...step, notPermitted };
}

/** ARM access is Azure RBAC on each subscription, not app roles: the one row is cloud posture's. */
async function cloudTest(
  client: DefenderClient,
  chosen: readonly string[],
  known: string | null,
  signal: AbortSignal | undefined,
): Promise<ProductSteps> {
  const armOnly: TokenReadings = { roles: {}, failures: new Map() };
  let failure: unknown;
  const step = await timed('token', async () => {
    try {
      await client.grantedRoles('arm', signal);
    } catch (error) {
      failure = error;
      throw withExpiryDate(error, known);
    }
  });
  if (failure !== undefined)
    return {
      steps: [step, ...cloudStepNames.map((name) => skippedStep(name, 'the sign-in it needs failed.'))],
      signInFailure: failure,
      permissions: permissionRows(armOnly, ['cloudPosture']),
      importsAllowed: null,
      subscriptions: [],
    };
  const cloud = await cloudSteps(client, chosen, signal);
  // Granted when Security Reader let every subscription tried be read: the row is the role on each.
  const tried = cloud.subscriptions.flatMap((s) => (s.readable === null ? [] : [s.readable]));
  return {
    steps: [step, ...cloud.steps],
    signInFailure: undefined,
    permissions: permissionRows(
      armOnly,
      ['cloudPosture'],
      tried.length === 0 ? undefined : tried.every((readable) => readable),
    ),
    importsAllowed: null,
    subscriptions: cloud.subscriptions,
  };
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

/**
 * One cheap read per import: the first batch of its list, then the list is abandoned. Alerts and incidents are
 * read through the source a sync would choose; recommendations read only the parts permitted.
 */
async function probe(
  client: DefenderClient,
  name: ImportStep,
  readable: readonly Feature[],
  roles: TokenRoles,
  signal: AbortSignal | undefined,
): Promise<void> {
  const common = { batchSize: 1, ...(signal === undefined ? {} : { signal }) };
  const lists = {
    assets: () => client.machines.list({ pageSize: 1, ...common }),
    vulnerabilities: () => client.vulnerabilities.list(common),
    alerts: () => chooseReader(activityReaders.alerts, 'alerts', roles).list(client, common),
    incidents: () => chooseReader(activityReaders.incidents, 'incidents', roles).list(client, common),
    software: () => client.software.list(common),
    recommendations: () => client.recommendations.list(common),
    entraDevices: () => client.devices.list({ pageSize: 1, ...common }),
  } as const;
  const recommendationsOnly = name === 'recommendations';
  // Leaving the loop closes the generator, which frees the connection mid-page.
  if (!recommendationsOnly || readable.includes('recommendations'))
    for await (const _batch of lists[name]()) break;
  if (recommendationsOnly && readable.includes('exposureScore'))
    await client.recommendations.exposureScore(signal);
}
