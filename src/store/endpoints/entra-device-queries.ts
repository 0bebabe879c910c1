import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';
import { fetchPage, flag, type Page, type PageRequest } from '../db/list-queries.js';
import {
  entraJoinTypes,
  joinTypeOf,
  type EntraFilterValue,
  type EntraJoinType,
} from '../../domain/entra-join.js';

/** The Entra ID device an endpoint's `aadDeviceId` names. */
export interface EntraDeviceRef {
  /** The directory object id. */
  id: string;
  deviceId: string;
  displayName: string | null;
  trustType: string | null;
  joinType: EntraJoinType;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  lastSignInAt: string | null;
}

const keyOf = (integrationId: string, deviceId: string): string =>
  `${integrationId}\n${deviceId.toLowerCase()}`;

/**
 * The devices of a page of endpoints, in one query over the page's device ids. Should the directory hold two
 * devices with one GUID, the one signed in last wins.
 */
export async function entraDevicesOf(
  db: Kysely<Database>,
  endpoints: readonly { integration_id: string; aad_device_id: string | null }[],
): Promise<(endpoint: { integration_id: string; aad_device_id: string | null }) => EntraDeviceRef | null> {
  const named = endpoints.filter((e) => e.aad_device_id !== null && e.aad_device_id !== '');
  const found = new Map<string, EntraDeviceRef & { signIn: string }>();
  if (named.length > 0) {
    const rows = await db
      .selectFrom('entra_devices')
      .select([
        'integration_id',
        'object_id',
        'device_id',
        'display_name',
        'trust_type',
        'is_compliant',
        'is_managed',
        'last_sign_in_at',
      ])
      .where('integration_id', 'in', [...new Set(named.map((e) => e.integration_id))])
      .where('device_id', 'in', [...new Set(named.map((e) => (e.aad_device_id ?? '').toLowerCase()))])
      // No ORDER BY: ordering by object_id made SQLite walk the primary key over the integration's every device
      // (100 ms at 63,000) instead of seeking the device_id index; ties are broken below instead.
      .execute();
    for (const row of rows) {
      const key = keyOf(row.integration_id, row.device_id);
      const signIn = row.last_sign_in_at ?? '';
      const before = found.get(key);
      if (before !== undefined && !isNewer(signIn, row.object_id, before)) continue;
      found.set(key, {
        id: row.object_id,
        deviceId: row.device_id,
        displayName: row.display_name,
        trustType: row.trust_type,
        joinType: joinTypeOf(row.trust_type),
        isCompliant: flag(row.is_compliant),
        isManaged: flag(row.is_managed),
        lastSignInAt: row.last_sign_in_at,
        signIn,
      });
    }
  }
  return (endpoint) => {
    if (endpoint.aad_device_id === null) return null;
    const device = found.get(keyOf(endpoint.integration_id, endpoint.aad_device_id));
    if (device === undefined) return null;
    const { signIn: _signIn, ...ref } = device;
    return ref;
  };
}

/** The later sign-in wins; between equal ones the lower object id, so the choice never depends on row order. */
function isNewer(signIn: string, objectId: string, before: { signIn: string; id: string }): boolean {
  return signIn > before.signIn || (signIn === before.signIn && objectId < before.id);
}

/** The SQL condition on a device's trust type for a join type. */
function trustIs(eb: ExpressionBuilder<Database, 'entra_devices'>, type: EntraJoinType): Expression<SqlBool> {
  const trust = eb.ref('entra_devices.trust_type');
  if (type === 'joined') return eb(trust, '=', 'AzureAd');
  if (type === 'hybridJoined') return eb(trust, '=', 'ServerAd');
  return eb.or([eb(trust, 'is', null), eb(trust, 'not in', ['AzureAd', 'ServerAd'])]);
}

/** Endpoints whose device has one of the join types, or (`none`) that have no device: any of the values. */
export function endpointEntraIn(values: readonly EntraFilterValue[]) {
  return (eb: ExpressionBuilder<Database, 'endpoints'>): Expression<SqlBool> => {
    const devices = () =>
      eb
        .selectFrom('entra_devices')
        .select(sql<number>`1`.as('one'))
        .whereRef('entra_devices.integration_id', '=', 'endpoints.integration_id')
        .where(sql<string>`entra_devices.device_id`, '=', sql<string>`lower(endpoints.aad_device_id)`);
    const types = entraJoinTypes.filter((t) => values.includes(t));
    const parts: Expression<SqlBool>[] = [];
    if (types.length > 0)
      parts.push(eb.exists(devices().where((d) => d.or(types.map((t) => trustIs(d, t))))));
    if (values.includes('none')) parts.push(eb.not(eb.exists(devices())));
    return eb.or(parts);
  };
}

export interface EntraDeviceFilter {
  readonly integrationId?: string | undefined;
  /** Graph's trustType, exactly (AzureAd, Workplace, ServerAd). */
  readonly trustType?: string | undefined;
  /** true: devices an active endpoint names; false: devices no active endpoint names (not onboarded). */
  readonly onboarded?: boolean | undefined;
}

export interface EntraDeviceItem extends EntraDeviceRef {
  integrationId: string;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  accountEnabled: boolean | null;
  registeredAt: string | null;
  firstSyncedAt: string;
  lastSyncedAt: string;
  /** The hub id of the active endpoint that names the device; null when not onboarded. */
  endpointId: number | null;
}

/** Entra ID devices, by display name, with the active endpoint of each (one query for the page). */
export function listEntraDevices(
  db: Kysely<Database>,
  filter: EntraDeviceFilter,
  page: PageRequest,
): Promise<Page<EntraDeviceItem>> {
  const endpointsOf = (eb: ExpressionBuilder<Database, 'entra_devices'>) =>
    eb
      .selectFrom('endpoints')
      .whereRef('endpoints.integration_id', '=', 'entra_devices.integration_id')
      // lower() on both sides: against the bare column SQLite would not seek the expression index (affinity).
      .where(sql<string>`lower(endpoints.aad_device_id)`, '=', sql<string>`lower(entra_devices.device_id)`)
      .where('endpoints.stale', '=', 0);
  let query = db.selectFrom('entra_devices');
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.trustType !== undefined) query = query.where('trust_type', '=', filter.trustType);
  if (filter.onboarded !== undefined) {
    const onboarded = filter.onboarded;
    query = query.where((eb) => {
      const exists = eb.exists(endpointsOf(eb).select(sql<number>`1`.as('one')));
      return onboarded ? exists : eb.not(exists);
    });
  }
  return fetchPage(
    page,
    query
      .selectAll('entra_devices')
      .select((eb) =>
        endpointsOf(eb)
          .select((e) => e.fn.min('endpoints.id').as('id'))
          .as('endpoint_id'),
      )
      .orderBy('display_name')
      .orderBy('integration_id')
      .orderBy('object_id'),
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) =>
      rows.map((row) => ({
        id: row.object_id,
        integrationId: row.integration_id,
        deviceId: row.device_id,
        displayName: row.display_name,
        operatingSystem: row.operating_system,
        operatingSystemVersion: row.operating_system_version,
        trustType: row.trust_type,
        joinType: joinTypeOf(row.trust_type),
        isCompliant: flag(row.is_compliant),
        isManaged: flag(row.is_managed),
        accountEnabled: flag(row.account_enabled),
        lastSignInAt: row.last_sign_in_at,
        registeredAt: row.registration_at,
        firstSyncedAt: row.first_synced_at,
        lastSyncedAt: row.last_synced_at,
        endpointId: row.endpoint_id,
      })),
  );
}
