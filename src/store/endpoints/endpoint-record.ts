import type { Insertable } from 'kysely';
import type { EndpointsTable } from '../db/schema.js';
import type { BulkTable } from '../bulk/bulk-table.js';

/** A Defender machine as a sync run stores it: what it says of itself, and which run saw it when. */
export interface EndpointRecord {
  readonly integrationId: string;
  /** Defender's machine id. */
  readonly machineId: string;
  readonly computerDnsName: string | null;
  readonly osPlatform: string | null;
  readonly osVersion: string | null;
  readonly osBuild: number | null;
  readonly version: string | null;
  readonly healthStatus: string | null;
  readonly onboardingStatus: string | null;
  readonly riskScore: string | null;
  readonly exposureLevel: string | null;
  readonly deviceValue: string | null;
  readonly rbacGroupId: string | null;
  readonly rbacGroupName: string | null;
  readonly aadDeviceId: string | null;
  readonly lastIpAddress: string | null;
  readonly lastExternalIpAddress: string | null;
  readonly machineTags: readonly string[];
  /** Defender's ipAddresses objects, stored as received. */
  readonly ipAddresses: readonly unknown[];
  readonly firstSeenRaw: string | null;
  readonly lastSeenRaw: string | null;
  readonly lastSeenAt: string | null;
  /** The whole Defender record as JSON text (unknown members included). */
  readonly raw: string;
  /** The run that saw it. */
  readonly runId: number;
  /** When that run stored it; also its creation time when it is new. */
  readonly updatedAt: string;
}

/** Its row: an endpoint seen is not stale. Every column is named, so an upsert updates every one of them. */
export function toEndpointRow(e: EndpointRecord): Insertable<EndpointsTable> {
  return {
    integration_id: e.integrationId,
    machine_id: e.machineId,
    computer_dns_name: e.computerDnsName,
    os_platform: e.osPlatform,
    os_version: e.osVersion,
    os_build: e.osBuild,
    version: e.version,
    health_status: e.healthStatus,
    onboarding_status: e.onboardingStatus,
    risk_score: e.riskScore,
    exposure_level: e.exposureLevel,
    device_value: e.deviceValue,
    rbac_group_id: e.rbacGroupId,
    rbac_group_name: e.rbacGroupName,
    aad_device_id: e.aadDeviceId,
    last_ip_address: e.lastIpAddress,
    last_external_ip_address: e.lastExternalIpAddress,
    machine_tags: JSON.stringify(e.machineTags),
    ip_addresses: JSON.stringify(e.ipAddresses),
    first_seen_raw: e.firstSeenRaw,
    last_seen_raw: e.lastSeenRaw,
    last_seen_at: e.lastSeenAt,
    raw: e.raw,
    stale: 0,
    stale_since: null,
    last_run_id: e.runId,
    created_at: e.updatedAt,
    updated_at: e.updatedAt,
  };
}

/** Every column a sync writes, with its PostgreSQL type, in the order `putEndpoint` flattens them. */
const endpointColumns = [
  ['integration_id', 'text'],
  ['machine_id', 'text'],
  ['computer_dns_name', 'text'],
  ['os_platform', 'text'],
  ['os_version', 'text'],
  ['os_build', 'bigint'],
  ['version', 'text'],
  ['health_status', 'text'],
  ['onboarding_status', 'text'],
  ['risk_score', 'text'],
  ['exposure_level', 'text'],
  ['device_value', 'text'],
  ['rbac_group_id', 'text'],
  ['rbac_group_name', 'text'],
  ['aad_device_id', 'text'],
  ['last_ip_address', 'text'],
  ['last_external_ip_address', 'text'],
  ['machine_tags', 'text'],
  ['ip_addresses', 'text'],
  ['first_seen_raw', 'text'],
  ['last_seen_raw', 'text'],
  ['last_seen_at', 'text'],
  ['raw', 'text'],
  ['stale', 'integer'],
  ['stale_since', 'text'],
  ['last_run_id', 'bigint'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
] as const satisfies readonly (readonly [keyof Insertable<EndpointsTable>, string])[];

/** The endpoints table for bulk upserts: an endpoint seen again takes every new value but its creation time. */
export const endpointsTable: BulkTable = {
  table: 'endpoints',
  columns: endpointColumns.map(([name, pgType]) => ({ name, pgType })),
  conflict: ['integration_id', 'machine_id'],
  keep: ['created_at'],
};

/** Writes an endpoint's row values at its slot, in `endpointColumns` order. */
export function putEndpoint(values: unknown[], rowIndex: number, e: EndpointRecord): void {
  const row = toEndpointRow(e);
  let at = rowIndex * endpointColumns.length;
  for (const [column] of endpointColumns) values[at++] = row[column] ?? null;
}
