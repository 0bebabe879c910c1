import {
  featureAccess,
  permissionApiNames,
  permissionTable,
  type Feature,
  type FeaturePermissions,
  type PermissionApiName,
  type PermissionSource,
  type TokenApi,
  type TokenRoles,
} from '../domain/permissions.js';
import { HubError } from '../errors.js';
import type { Imports } from '../domain/integration.js';

/**
 * The permission table as a connection test found it (one row per feature, every permission that serves it,
 * granted or not), and which import toggles the app's tokens allow.
 */

/** The features each import toggle turns on, through the datasets it runs (a unit test holds the two together). */
export const importFeatures: Readonly<Record<keyof Imports, readonly Feature[]>> = {
  assets: ['assets', 'machineActions'],
  vulnerabilities: ['findings', 'cveCatalog'],
  alerts: ['alerts'],
  incidents: ['incidents'],
  software: ['software'],
  recommendations: ['recommendations', 'exposureScore'],
  entraDevices: ['entraDevices'],
};

/** The roles of each token signed in to, and why each failed sign-in failed. */
export interface TokenReadings {
  readonly roles: TokenRoles;
  readonly failures: ReadonlyMap<TokenApi, unknown>;
}

/**
 * The import toggles the tokens allow: an import is on unless the tokens show that none of its features is
 * permitted (one whose access a failed sign-in hides stays on: turning it off would hide the failure).
 */
export function importsAllowed(roles: TokenRoles): Imports {
  const allowed = (name: keyof Imports): boolean =>
    importFeatures[name].some((feature) => featureAccess(feature, roles) !== 'notPermitted');
  return {
    assets: allowed('assets'),
    vulnerabilities: allowed('vulnerabilities'),
    alerts: allowed('alerts'),
    incidents: allowed('incidents'),
    software: allowed('software'),
    recommendations: allowed('recommendations'),
    entraDevices: allowed('entraDevices'),
  };
}

export interface PermissionRow {
  feature: Feature;
  label: string;
  /** Best first, each with its API and every permission that opens it (any one suffices). */
  sources: { api: PermissionApiName; permissions: { name: string; granted: boolean | null }[] }[];
  /** Whether any permission is granted; null when the test cannot tell (see `note`). */
  granted: boolean | null;
  note?: string;
  enables: string;
}

/**
 * One row per feature. `armReadable`: whether Defender for Cloud could be read on every subscription tried (a Cloud
 * test); undefined when the test did not look (an Endpoint test never calls Azure Resource Manager).
 */
export function permissionRows(
  readings: TokenReadings,
  only: readonly Feature[] | undefined,
  armReadable?: boolean,
): PermissionRow[] {
  return permissionTable
    .filter((entry) => only === undefined || only.includes(entry.feature))
    .map((entry) => permissionRow(entry, readings, armReadable));
}

function permissionRow(
  entry: FeaturePermissions,
  readings: TokenReadings,
  armReadable: boolean | undefined,
): PermissionRow {
  const granted = rowGranted(entry, readings.roles, armReadable);
  const note = granted === null ? unknownNote(entry, readings.failures) : undefined;
  return {
    feature: entry.feature,
    label: entry.label,
    sources: entry.sources.map((source) => ({
      api: permissionApiNames[source.api],
      permissions: source.permissions.map((name) => ({
        name,
        granted: permissionGranted(source, name, readings.roles, armReadable),
      })),
    })),
    granted,
    ...(note === undefined ? {} : { note }),
    enables: entry.enables,
  };
}

function rowGranted(
  entry: FeaturePermissions,
  roles: TokenRoles,
  armReadable: boolean | undefined,
): boolean | null {
  const access = featureAccess(entry.feature, roles);
  if (access === 'permitted') return true;
  if (access === 'notPermitted') return false;
  return entry.sources.some((source) => source.api === 'arm') ? (armReadable ?? null) : null;
}

function permissionGranted(
  source: PermissionSource,
  name: string,
  roles: TokenRoles,
  armReadable: boolean | undefined,
): boolean | null {
  if (source.api === 'arm') return armReadable ?? null;
  return roles[source.api]?.includes(name) ?? null;
}

/** Why a row's grant is not known. */
function unknownNote(entry: FeaturePermissions, failures: ReadonlyMap<TokenApi, unknown>): string {
  if (entry.sources.some((source) => source.api === 'arm'))
    return "an Azure role per subscription, checked by a Defender for Cloud integration's test";
  const failed = entry.sources.flatMap((source) => {
    if (source.api === 'arm' || !failures.has(source.api)) return [];
    const failure = failures.get(source.api);
    const code = failure instanceof HubError ? ` (${failure.code})` : '';
    return [`the ${permissionApiNames[source.api]} sign-in failed${code}`];
  });
  return failed.length === 0 ? 'not signed in' : failed.join('; ');
}
