/**
 * An integration: one Entra app registration's access to one tenant's Defender, with what it imports, how often,
 * and which devices it keeps and protects. The words the sync, the jobs and the API share; the requests that
 * create and change one are checked in integrations/integration-schema.ts, whose schemas give these shapes.
 */
import type { CredentialType, CredentialWarning } from './credential-warnings.js';
import type { DatasetName } from './datasets.js';

/** The Defender product an integration reads: Defender for Endpoint or Defender for Cloud. */
export const integrationProducts = ['endpoint', 'cloud'] as const;
export type IntegrationProduct = (typeof integrationProducts)[number];

// The settings are object types, not interfaces, so that they read as records where the code walks them (an
// Imports is a Record<string, boolean>).

/** Which data an endpoint integration imports. */
export type Imports = {
  assets: boolean;
  vulnerabilities: boolean;
  alerts: boolean;
  incidents: boolean;
  software: boolean;
  recommendations: boolean;
  /** Entra ID devices through Microsoft Graph (Device.Read.All), joined to endpoints by aadDeviceId. */
  entraDevices: boolean;
};

/** Minutes between runs per dataset; findings have none of their own, they follow each machines run. */
export type Schedules = Record<Exclude<DatasetName, 'findings'>, number>;

/** Which machines an endpoint integration keeps. */
export type Filters = {
  /**
   * Phones, tablets (iOS, Android, Fire OS, …) and IoT devices are not patchable endpoints; dropped unless
   * switched off (domain/device-platforms.ts).
   */
  dropMobileAndIot: boolean;
  /** Keep only these onboarding statuses (empty: all). */
  onboardingStatuses: string[];
  /** Keep only machines in these device groups (empty: all). */
  deviceGroups: string[];
  /** Keep only machines with at least one of these tags (empty: all). */
  tags: string[];
};

/** Devices never isolated through the hub (see domain/protected-devices.ts). */
export type ProtectedDevicesSettings = {
  tags: string[];
  deviceGroups: string[];
  /** Globs over the DNS name: `*` any run, `?` one character, ignoring case. */
  namePatterns: string[];
};

/** An integration as the API and CLI show it: the credential only as "set, when, what kind". */
export interface Integration {
  readonly id: string;
  readonly name: string;
  readonly product: IntegrationProduct;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: {
    readonly type: CredentialType;
    readonly set: true;
    readonly setAt: string;
    /** When the credential in use expires, as its app registration says; null while unknown. */
    readonly expiresAt: string | null;
    /** When the hub last looked (a connection test, the daily look during sync, a sign-in refused). */
    readonly checkedAt: string | null;
    /** At 30, 14 and 3 days before expiry and once expired; or a note on why the expiry is unknown. */
    readonly warnings: CredentialWarning[];
  };
  readonly apiBaseUrl: string;
  readonly authorityHost: string | null;
  readonly graphBaseUrl: string | null;
  /** Azure Resource Manager host (product cloud); null: the cloud's default. */
  readonly armBaseUrl: string | null;
  /** The subscription ids a cloud integration reads; empty: all it can read. */
  readonly subscriptions: string[];
  readonly caPem: string | null;
  readonly enabled: boolean;
  readonly imports: Imports;
  readonly schedules: Schedules;
  readonly filters: Filters;
  readonly protectedDevices: ProtectedDevicesSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
}
