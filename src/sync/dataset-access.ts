import type { DefenderClient } from '../defender/index.js';
import {
  acceptedText,
  featureAccess,
  featurePermissions,
  needsText,
  permissionApiNames,
  tokenApis,
  type Feature,
  type TokenApi,
  type TokenRoles,
} from '../domain/permissions.js';
import type { DatasetName } from '../domain/datasets.js';

/** The features of the permission table each dataset reads. */
export const datasetFeatures: Readonly<Record<DatasetName, readonly Feature[]>> = {
  machines: ['assets'],
  vulnerabilities: ['cveCatalog'],
  findings: ['findings'],
  alerts: ['alerts'],
  incidents: ['incidents'],
  machineActions: ['machineActions'],
  software: ['software'],
  // One run reads both: the recommendations list and the exposure score, each with its own permission.
  recommendations: ['recommendations', 'exposureScore'],
  entraDevices: ['entraDevices'],
  cloudPosture: ['cloudPosture'],
};

/** What the tokens carry: the roles of each API signed in to, and the failure of each sign-in that failed. */
export interface SignIns {
  readonly roles: TokenRoles;
  readonly failures: ReadonlyMap<TokenApi, unknown>;
}

/**
 * Signs in for each API and reads the roles its token carries. A sign-in is not a call to the API, and the token
 * is the one the reads then use (the client keeps it). A failed sign-in is kept, not thrown, so one API's failure
 * does not hide what another's token allows.
 */
export async function signIn(
  client: Pick<DefenderClient, 'grantedRoles'>,
  apis: Iterable<TokenApi>,
  signal: AbortSignal | undefined,
): Promise<SignIns> {
  const roles: Partial<Record<TokenApi, readonly string[]>> = {};
  const failures = new Map<TokenApi, unknown>();
  for (const api of new Set(apis)) {
    try {
      roles[api] = await client.grantedRoles(api, signal);
    } catch (error) {
      failures.set(api, error);
    }
  }
  return { roles, failures };
}

/** The APIs whose tokens tell whether the features are permitted (Azure RBAC is told by no token). */
function tokenApisOf(wanted: Iterable<Feature>): TokenApi[] {
  const apis = new Set<string>();
  for (const feature of wanted)
    for (const source of featurePermissions(feature).sources) apis.add(source.api);
  return tokenApis.filter((api) => apis.has(api));
}

/** What one run of a dataset may read, decided from the tokens before anything is read. */
export interface DatasetAccess {
  readonly roles: TokenRoles;
  /** The dataset's features the run reads. */
  readonly permitted: readonly Feature[];
  /** The dataset's features no granted permission serves: not read, and not a failure. */
  readonly notPermitted: readonly Feature[];
}

/**
 * The access a run of the dataset has. A feature is read unless the tokens show that none of its permissions is
 * granted; one whose access no token tells (Azure RBAC) is read, and the read says. When no feature is permitted
 * and a sign-in it needs failed, that failure is thrown: the run fails as the sign-in did (a wrong secret is a
 * failure, not a missing permission).
 */
export async function datasetAccess(
  client: Pick<DefenderClient, 'grantedRoles'>,
  dataset: DatasetName,
  signal: AbortSignal | undefined,
): Promise<DatasetAccess> {
  const wanted = datasetFeatures[dataset];
  const { roles, failures } = await signIn(client, tokenApisOf(wanted), signal);
  const access = wanted.map((feature) => ({ feature, access: featureAccess(feature, roles) }));
  if (failures.size > 0 && !access.some((a) => a.access === 'permitted')) throw [...failures.values()][0];
  return {
    roles,
    permitted: access.filter((a) => a.access !== 'notPermitted').map((a) => a.feature),
    notPermitted: access.filter((a) => a.access === 'notPermitted').map((a) => a.feature),
  };
}

/** The error code of a run that did not start because no permission it reads with is granted. */
export const notPermittedCode = 'SYNC_NOT_PERMITTED';

/**
 * Why a run did not start, and what would let it: "alerts need Alert.Read.All or SecurityAlert.Read.All
 * (accepted: …); the app's tokens carry …. Granting one adds: …".
 */
export function notPermittedMessage(access: DatasetAccess, clientId: string): string {
  const needs = access.notPermitted.map(
    (feature) =>
      `${needsText(feature)} (accepted: ${acceptedText(feature)}). Granting one adds: ${featurePermissions(feature).enables}`,
  );
  const carried = tokenApis
    .flatMap((api) => {
      const roles = access.roles[api];
      return roles === undefined
        ? []
        : [`${permissionApiNames[api]}: ${roles.length === 0 ? 'none' : roles.join(', ')}`];
    })
    .join('; ');
  return (
    `Not permitted: ${needs.join(' ')} The app's tokens carry ${carried}. ` +
    `Add a permission under "API permissions" of app ${clientId} and grant admin consent; the next run reads it.`
  );
}
