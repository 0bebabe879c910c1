import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IntegrationsTable } from '../db/schema.js';
import { parseStringArray } from '../db/list-queries.js';
import type { CredentialType } from '../../domain/credential-warnings.js';
import type {
  Filters,
  Imports,
  IntegrationProduct,
  ProtectedDevicesSettings,
  Schedules,
} from '../../domain/integration.js';

/**
 * An integration as stored, without its sealed credential (the repository's `sealedCredential` reads that). The
 * settings kept as JSON are answered as written: the integration's schemas fill what an older row lacks.
 */
export interface StoredIntegration {
  readonly id: string;
  readonly name: string;
  readonly product: IntegrationProduct;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credentialType: CredentialType;
  readonly credentialSetAt: string;
  /** When the credential in use expires, as the app registration says; null until read. */
  readonly credentialExpiresAt: string | null;
  /** When the hub last looked at the credential's health. */
  readonly credentialCheckedAt: string | null;
  /** What that look found (a CredentialCheckOutcome); null: never looked. */
  readonly credentialCheck: string | null;
  readonly apiBaseUrl: string;
  readonly authorityHost: string | null;
  readonly graphBaseUrl: string | null;
  readonly armBaseUrl: string | null;
  readonly subscriptions: string[];
  readonly caPem: string | null;
  readonly enabled: boolean;
  readonly imports: unknown;
  readonly schedules: unknown;
  readonly filters: unknown;
  readonly protectedDevices: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Settings {
  readonly imports: Imports;
  readonly schedules: Schedules;
  readonly filters: Filters;
  readonly protectedDevices: ProtectedDevicesSettings;
}

/** What a write sets: the settings as the domain types them, and the credential sealed (never plaintext). */
type Written = Omit<StoredIntegration, keyof Settings> &
  Settings & {
    /** AES-256-GCM envelope of the secret or certificate PEM, bound to the integration's id. */
    readonly sealedCredential: string;
  };

/** A new integration: its credential's health is unknown until looked at. */
export type NewIntegration = Omit<Written, 'credentialExpiresAt' | 'credentialCheckedAt' | 'credentialCheck'>;

/** The fields a change sets; null clears an optional one. */
export type IntegrationChange = Partial<Omit<Written, 'id' | 'createdAt'>>;

type IntegrationRow = Selectable<IntegrationsTable>;

export function toStoredIntegration(row: IntegrationRow): StoredIntegration {
  return {
    id: row.id,
    name: row.name,
    product: row.product,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    credentialType: row.credential_type,
    credentialSetAt: row.credential_set_at,
    credentialExpiresAt: row.credential_expires_at,
    credentialCheckedAt: row.credential_checked_at,
    credentialCheck: row.credential_check,
    apiBaseUrl: row.api_base_url,
    authorityHost: row.authority_host,
    graphBaseUrl: row.graph_base_url,
    armBaseUrl: row.arm_base_url,
    subscriptions: parseStringArray(row.subscriptions),
    caPem: row.ca_pem,
    enabled: row.enabled === 1,
    imports: JSON.parse(row.imports),
    schedules: JSON.parse(row.schedules),
    filters: JSON.parse(row.filters),
    protectedDevices: JSON.parse(row.protected_devices),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Each written field's column. */
const columnOf = {
  id: 'id',
  name: 'name',
  product: 'product',
  tenantId: 'tenant_id',
  clientId: 'client_id',
  credentialType: 'credential_type',
  sealedCredential: 'credential_ciphertext',
  credentialSetAt: 'credential_set_at',
  credentialExpiresAt: 'credential_expires_at',
  credentialCheckedAt: 'credential_checked_at',
  credentialCheck: 'credential_check',
  apiBaseUrl: 'api_base_url',
  authorityHost: 'authority_host',
  graphBaseUrl: 'graph_base_url',
  armBaseUrl: 'arm_base_url',
  subscriptions: 'subscriptions',
  caPem: 'ca_pem',
  enabled: 'enabled',
  imports: 'imports',
  schedules: 'schedules',
  filters: 'filters',
  protectedDevices: 'protected_devices',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof Written, keyof IntegrationsTable>;

const jsonFields: ReadonlySet<keyof Written> = new Set([
  'subscriptions',
  'imports',
  'schedules',
  'filters',
  'protectedDevices',
] as const);

/** Booleans are stored as 0/1, lists and settings as JSON text; every other field as it is. */
function columnValue(field: keyof Written, value: unknown): unknown {
  if (field === 'enabled') return value === true ? 1 : 0;
  return jsonFields.has(field) ? JSON.stringify(value) : value;
}

/** The columns of the fields given: an absent field leaves its column alone. */
function toColumns(fields: IntegrationChange): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields) as [keyof Written, unknown][])
    if (value !== undefined) row[columnOf[field]] = columnValue(field, value);
  return row;
}

export function toIntegrationUpdate(change: IntegrationChange): Updateable<IntegrationsTable> {
  return toColumns(change);
}

export function toIntegrationRow(integration: NewIntegration): Insertable<IntegrationsTable> {
  // NewIntegration names every field an insert needs, and columnOf gives each its column.
  return toColumns(integration) as Insertable<IntegrationsTable>;
}
