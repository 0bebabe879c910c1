import { beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { everyDatasetSucceeded } from '../support/datasets.js';
import { allPages, simulatorSettings, useApi, type TestApi } from './api-harness.js';
import {
  alertUrl,
  cveUrl,
  incidentUrl,
  portalBaseUrls,
  type PortalTenant,
} from '../../src/domain/portal-links.js';
import { databaseOf } from '../../src/store/testing.js';

interface Linked {
  id: string;
  integrationId: string;
  portalUrl: string;
}
interface Cve {
  cveId: string;
  portalUrl: string;
}

const sim = await useSimulator({ machines: 20, seed: 61, findingsPerMachine: 3 });

/** A tenant of GCC High: its integration is created but never synced (its API host is not the simulator). */
const govTenantId = '0b7c2a4e-5d1f-4c3a-9e8b-6f2d1a0c9e71';
/** Ids with characters that must be percent-encoded to stay one path segment. */
const govAlertId = 'gov/alert?x=1#2';
const govIncidentId = 'gov incident/7';
const govOnlyCve = 'CVE-2099-0001';

describe.each(dialects)('portal links of alerts, incidents and CVEs on %s', (dialect) => {
  let api: TestApi;
  let simId: string;
  let govId: string;
  /** The tenants the links must be built for, stated here rather than derived by the code under test. */
  const tenants = new Map<string, PortalTenant>();
  /** A CVE in both integrations' catalogs. */
  let sharedCve: string;

  const tenantOf = (integrationId: string): PortalTenant => {
    const tenant = tenants.get(integrationId);
    if (tenant === undefined) throw new Error(`no tenant for ${integrationId}`);
    return tenant;
  };

  beforeAll(async () => {
    api = await useApi(dialect);
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim));
    simId = created.body.id;
    const synced = await api.syncNow(simId);
    expect(synced.body.runs.map((r) => [r.dataset, r.status])).toEqual(everyDatasetSucceeded);

    const gov = await api.call<{ id: string; apiBaseUrl: string }>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'gov', tenantId: govTenantId, apiBaseUrl: 'GCC High', enabled: false }),
    );
    expect(gov.status).toBe(201);
    expect(new URL(gov.body.apiBaseUrl).hostname).toBe('api-gov.securitycenter.microsoft.us');
    govId = gov.body.id;
    tenants.set(simId, { cloud: 'commercial', tenantId: sim.tenantId });
    tenants.set(govId, { cloud: 'gccHigh', tenantId: govTenantId });

    // The GCC High integration's records, copied from the synced ones under ids of their own.
    const db = databaseOf(api.hub.data);
    const alert = await db.selectFrom('alerts').selectAll().limit(1).executeTakeFirstOrThrow();
    await db
      .insertInto('alerts')
      .values({ ...alert, integration_id: govId, alert_id: govAlertId })
      .execute();
    const incident = await db.selectFrom('incidents').selectAll().limit(1).executeTakeFirstOrThrow();
    await db
      .insertInto('incidents')
      .values({ ...incident, integration_id: govId, incident_id: govIncidentId })
      .execute();
    const cve = await db.selectFrom('vulnerabilities').selectAll().limit(1).executeTakeFirstOrThrow();
    sharedCve = cve.cve_id;
    await db
      .insertInto('vulnerabilities')
      .values([
        { ...cve, integration_id: govId },
        { ...cve, integration_id: govId, cve_id: govOnlyCve },
      ])
      .execute();
  });

  it.each([
    ['alerts', alertUrl],
    ['incidents', incidentUrl],
  ] as const)("should link each of the %s to its page in its integration's portal", async (path, url) => {
    const items = await allPages<Linked>(api, `/api/v1/${path}`);
    expect(new Set(items.map((i) => i.integrationId))).toEqual(new Set([simId, govId]));
    for (const item of items) {
      expect(item.portalUrl).toBe(url(tenantOf(item.integrationId), item.id));
      expect(item.portalUrl).toContain(`/${encodeURIComponent(item.id)}?tid=`);
      const one = await api.call<Linked>(
        'GET',
        `/api/v1/${path}/${encodeURIComponent(item.id)}?integration=${item.integrationId}`,
      );
      expect(one.status).toBe(200);
      expect(one.body.portalUrl).toBe(item.portalUrl);
    }

    const gov = items.find((i) => i.integrationId === govId)!;
    expect(gov.id).toBe(path === 'alerts' ? govAlertId : govIncidentId);
    expect(gov.portalUrl.startsWith(`${portalBaseUrls.gccHigh}/`)).toBe(true);
    expect(gov.portalUrl).toContain(`tid=${govTenantId}`);
    expect(gov.portalUrl).not.toContain(gov.id);
    const commercial = items.find((i) => i.integrationId === simId)!;
    expect(commercial.portalUrl.startsWith(`${portalBaseUrls.commercial}/`)).toBe(true);
    expect(commercial.portalUrl).toContain(`tid=${sim.tenantId}`);
  });

  it("should link an endpoint's alerts like the alert list", async () => {
    const db = databaseOf(api.hub.data);
    const named = await db
      .selectFrom('alert_machines')
      .innerJoin('endpoints', (join) =>
        join
          .onRef('endpoints.integration_id', '=', 'alert_machines.integration_id')
          .onRef('endpoints.machine_id', '=', 'alert_machines.machine_id'),
      )
      .select('endpoints.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const items = await allPages<Linked>(api, `/api/v1/endpoints/${named.id}/alerts`);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.portalUrl).toBe(alertUrl(tenantOf(simId), item.id));
  });

  it('should link each CVE for the filter’s integration, else the lowest integration id that has it', async () => {
    const first = [simId, govId].sort()[0]!;
    const expected = (cveId: string, integrationId: string): string => cveUrl(tenantOf(integrationId), cveId);

    const items = await allPages<Cve>(api, '/api/v1/vulnerabilities');
    expect(items.length).toBeGreaterThan(2);
    for (const item of items) {
      const holder = item.cveId === govOnlyCve ? govId : item.cveId === sharedCve ? first : simId;
      expect(item.portalUrl).toBe(expected(item.cveId, holder));
      expect(item.portalUrl).toContain(`/${encodeURIComponent(item.cveId)}/`);
    }
    const shared = await api.call<Cve>('GET', `/api/v1/vulnerabilities/${sharedCve}`);
    expect(shared.body.portalUrl).toBe(expected(sharedCve, first));

    for (const integrationId of [simId, govId]) {
      const filtered = await allPages<Cve>(api, `/api/v1/vulnerabilities?integration=${integrationId}`);
      expect(filtered.length).toBeGreaterThan(0);
      for (const item of filtered) expect(item.portalUrl).toBe(expected(item.cveId, integrationId));
      const one = await api.call<Cve>(
        'GET',
        `/api/v1/vulnerabilities/${sharedCve}?integration=${integrationId}`,
      );
      expect(one.status).toBe(200);
      expect(one.body.portalUrl).toBe(expected(sharedCve, integrationId));
    }
    const govOnly = await api.call<Cve>('GET', `/api/v1/vulnerabilities/${govOnlyCve}`);
    expect(govOnly.body.portalUrl).toBe(expected(govOnlyCve, govId));
    expect(govOnly.body.portalUrl.startsWith(`${portalBaseUrls.gccHigh}/`)).toBe(true);
  });
});
