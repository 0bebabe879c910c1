import type { Insertable } from 'kysely';
import type { EntraDevicesTable } from '../db/schema.js';

/** An Entra ID device as the sync writes it, marked seen by its run. */
export interface EntraDeviceRecord {
  readonly integrationId: string;
  /** The directory object id (Graph's `id`). */
  readonly objectId: string;
  /** The device GUID (Graph's `deviceId`), lower case as the join to endpoints compares it. */
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly operatingSystem: string | null;
  readonly operatingSystemVersion: string | null;
  readonly trustType: string | null;
  /** 0/1, null when Graph does not say. */
  readonly isCompliant: number | null;
  readonly isManaged: number | null;
  readonly lastSignInAt: string | null;
  readonly accountEnabled: number | null;
  readonly registrationAt: string | null;
  /** The record as received, as JSON. */
  readonly raw: string;
  readonly runId: number;
  /** Kept from the first write: an update never changes it. */
  readonly firstSyncedAt: string;
  readonly lastSyncedAt: string;
}

export function entraDeviceRow(r: EntraDeviceRecord): Insertable<EntraDevicesTable> {
  return {
    integration_id: r.integrationId,
    object_id: r.objectId,
    device_id: r.deviceId,
    display_name: r.displayName,
    operating_system: r.operatingSystem,
    operating_system_version: r.operatingSystemVersion,
    trust_type: r.trustType,
    is_compliant: r.isCompliant,
    is_managed: r.isManaged,
    last_sign_in_at: r.lastSignInAt,
    account_enabled: r.accountEnabled,
    registration_at: r.registrationAt,
    raw: r.raw,
    run_id: r.runId,
    first_synced_at: r.firstSyncedAt,
    last_synced_at: r.lastSyncedAt,
  };
}
