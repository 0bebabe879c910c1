import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  commercialPortalTenant,
  integrationPortalTenant,
  type PortalTenant,
} from '../../domain/portal-links.js';

/** The portal tenant of each integration a page of records names, by integration id. */
export type PortalTenants = ReadonlyMap<string, PortalTenant>;

/**
 * The portal tenants of these integrations, in one query: a page of alerts, incidents or CVEs names a handful of
 * integrations, so their links are built from this map rather than a read per row.
 */
export async function portalTenants(
  db: Kysely<Database>,
  integrationIds: Iterable<string>,
): Promise<PortalTenants> {
  const ids = [...new Set(integrationIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('integrations')
    .select(['id', 'tenant_id', 'api_base_url'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [r.id, integrationPortalTenant({ tenantId: r.tenant_id, apiBaseUrl: r.api_base_url })]),
  );
}

/** The integration's portal tenant; the commercial portal without `tid` if the integration is gone. */
export function portalTenantOf(tenants: PortalTenants, integrationId: string): PortalTenant {
  return tenants.get(integrationId) ?? commercialPortalTenant;
}

/** A page's mapper for rows that name their integration: the page's portal tenants are read in one query. */
export function withPortalTenants<R extends { readonly integration_id: string }, T>(
  db: Kysely<Database>,
  toItem: (row: R, tenants: PortalTenants) => T,
): (slice: readonly R[]) => Promise<T[]> {
  return async (slice) => {
    const tenants = await portalTenants(
      db,
      slice.map((r) => r.integration_id),
    );
    return slice.map((r) => toItem(r, tenants));
  };
}
