import { describe, expect, it } from 'vitest';
import type { SimulatorStats, TruthAlert, TruthIncident } from '../../src/simulator/index.js';
import { dialects } from '../support/stores.js';
import { addSimulatorIntegration, useHub, type TestHub } from '../support/hub.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { endpointAnalytics, securityPlatform } from '../support/permission-sets.js';

/** Stored alerts in the truth's terms. */
async function storedAlerts(hub: TestHub) {
  const rows = await hub.db
    .selectFrom('alerts')
    .select(['alert_id', 'incident_id', 'severity', 'status', 'machine_ids', 'last_update_raw', 'source'])
    .orderBy('alert_id')
    .execute();
  return rows.map((r) => ({
    id: r.alert_id,
    incidentId: r.incident_id,
    machineIds: JSON.parse(r.machine_ids) as string[],
    severity: r.severity,
    status: r.status,
    lastUpdateDateTime: r.last_update_raw,
    source: r.source,
  }));
}

function truthAlerts(alerts: readonly TruthAlert[], source: string) {
  return alerts
    .map((a) => ({
      id: a.id,
      incidentId: a.incidentId,
      machineIds: [a.machineId],
      severity: a.severity,
      status: a.status,
      lastUpdateDateTime: a.lastUpdateDateTime,
      source,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function storedIncidents(hub: TestHub) {
  const rows = await hub.db
    .selectFrom('incidents')
    .select(['incident_id', 'severity', 'status', 'last_update_raw', 'source', 'raw'])
    .orderBy('incident_id')
    .execute();
  return rows.map((r) => ({
    id: r.incident_id,
    severity: r.severity,
    status: r.status,
    lastUpdateDateTime: r.last_update_raw,
    source: r.source,
    raw: JSON.parse(r.raw) as Record<string, unknown>,
  }));
}

function truthIncidents(incidents: readonly TruthIncident[], source: string) {
  return incidents
    .map((i) => ({
      id: i.id,
      severity: i.severity,
      status: i.status,
      lastUpdateDateTime: i.lastUpdateDateTime,
      source,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Calls the simulator answered on a route, whatever the status. */
async function calls(sim: Parameters<typeof simGet>[0], route: string): Promise<number> {
  const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
  return Object.values(stats.requests.byRoute[route] ?? {}).reduce((sum, n) => sum + n, 0);
}

describe.each(dialects)('alert and incident sources on %s', (dialect) => {
  it("should read alerts through Defender's /api/alerts with the endpoint-analytics permissions", async () => {
    const sim = await useSimulator({
      machines: 150,
      seed: 71,
      findingsPerMachine: 1,
      roles: endpointAnalytics,
    });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const run = await hub.sync.runDataset(integration.id, 'alerts');
    expect([run.status, run.errorCode]).toEqual(['succeeded', null]);
    expect(run.completeness).toMatch(/\/api\/alerts/);
    const truth = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    expect(truth.length).toBeGreaterThan(20);
    expect(await storedAlerts(hub)).toEqual(truthAlerts(truth, 'mde'));
    expect(run.recordsIn).toBe(truth.length);
    // Graph was never asked: its token carries none of the alert roles.
    expect(await calls(sim, 'GET /v1.0/security/alerts_v2')).toBe(0);
    // Evidence is read with the alert (`$expand=evidence`) and kept as received.
    const raw = await hub.db.selectFrom('alerts').select('raw').executeTakeFirstOrThrow();
    expect((JSON.parse(raw.raw) as { evidence: unknown[] }).evidence.length).toBeGreaterThan(0);

    // Neither incidents API is permitted: the run is not permitted, naming every permission that would do.
    const incidents = await hub.sync.runDataset(integration.id, 'incidents');
    expect([incidents.status, incidents.errorCode]).toEqual(['notPermitted', 'SYNC_NOT_PERMITTED']);
    expect(incidents.errorMessage).toMatch(/SecurityIncident\.Read\.All/);
    expect(incidents.errorMessage).toMatch(
      /Incident\.Read\.All or Incident\.ReadWrite\.All \(Microsoft Threat Protection\)/,
    );
  });

  it('should read incidents through the Microsoft 365 Defender API with the security-platform permissions', async () => {
    const sim = await useSimulator({
      machines: 150,
      seed: 72,
      findingsPerMachine: 1,
      roles: securityPlatform,
    });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const incidentsRun = await hub.sync.runDataset(integration.id, 'incidents');
    const alertsRun = await hub.sync.runDataset(integration.id, 'alerts');
    expect([incidentsRun.status, incidentsRun.errorCode]).toEqual(['succeeded', null]);
    expect([alertsRun.status, alertsRun.errorCode]).toEqual(['succeeded', null]);
    expect(incidentsRun.completeness).toMatch(/\/api\/incidents/);
    const truth = await simGet<TruthIncident[]>(sim, '/_sim/truth/incidents');
    expect(truth.length).toBeGreaterThan(10);
    const stored = await storedIncidents(hub);
    expect(stored.map(({ raw: _raw, ...rest }) => rest)).toEqual(truthIncidents(truth, 'xdr'));
    expect(await calls(sim, 'GET /v1.0/security/incidents')).toBe(0);
    // Each incident embeds its alerts, and the stored alerts link to their incidents as through Graph.
    const alerts = await storedAlerts(hub);
    for (const incident of truth) {
      const embedded = stored.find((s) => s.id === incident.id)?.raw.alerts as { alertId: string }[];
      expect(embedded.map((a) => a.alertId).sort()).toEqual([...incident.alertIds].sort());
      expect(
        alerts
          .filter((a) => a.incidentId === incident.id)
          .map((a) => a.id)
          .sort(),
      ).toEqual([...incident.alertIds].sort());
    }
  });

  it('should resume the /api/alerts read from the stored cursor after time moves on', async () => {
    const sim = await useSimulator({
      machines: 200,
      seed: 73,
      findingsPerMachine: 1,
      roles: endpointAnalytics,
    });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.runDataset(integration.id, 'alerts');
    const before = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    const cursor = await hub.data.cursors.get(integration.id, 'alerts');
    expect(cursor).toBe(
      before
        .map((a) => a.lastUpdateDateTime)
        .sort()
        .at(-1),
    );
    await simPost(sim, '/_sim/advance', { hours: 12 });
    const after = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    const run = await hub.sync.runDataset(integration.id, 'alerts');
    expect([run.status, run.errorCode]).toEqual(['succeeded', null]);
    // Read: what changed since the cursor, less the ten-minute overlap; written: only what really changed.
    const since = new Date(Date.parse(cursor!) - 10 * 60_000).toISOString().replace(/Z$/, '0000Z');
    expect(run.recordsIn).toBe(after.filter((a) => a.lastUpdateDateTime >= since).length);
    expect(run.recordsIn).toBeLessThan(after.length);
    const previous = new Map(before.map((a) => [a.id, a.lastUpdateDateTime]));
    const changed = after.filter((a) => previous.get(a.id) !== a.lastUpdateDateTime);
    expect(changed.length).toBeGreaterThan(0);
    expect(run.upserted).toBe(changed.length);
    expect(await storedAlerts(hub)).toEqual(truthAlerts(after, 'mde'));
    expect(await hub.data.cursors.get(integration.id, 'alerts')).toBe(
      after
        .map((a) => a.lastUpdateDateTime)
        .sort()
        .at(-1),
    );
  });

  it('should keep reading alerts and incidents through Graph when Graph is permitted', async () => {
    const sim = await useSimulator({ machines: 100, seed: 74, findingsPerMachine: 1 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const alertsRun = await hub.sync.runDataset(integration.id, 'alerts');
    const incidentsRun = await hub.sync.runDataset(integration.id, 'incidents');
    expect([alertsRun.status, incidentsRun.status]).toEqual(['succeeded', 'succeeded']);
    expect(await storedAlerts(hub)).toEqual(
      truthAlerts(await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts'), 'graph'),
    );
    expect((await storedIncidents(hub)).map(({ raw: _raw, ...rest }) => rest)).toEqual(
      truthIncidents(await simGet<TruthIncident[]>(sim, '/_sim/truth/incidents'), 'graph'),
    );
    expect(await calls(sim, 'GET /api/alerts')).toBe(0);
    expect(await calls(sim, 'GET /api/incidents')).toBe(0);
  });
});

describe('Graph alerts past the $skip cap', () => {
  it('should read 6,000 alerts in six pages when the sixth ends the list, and each alert once', async () => {
    // 20,000 machines give the simulator 6,000 alerts: exactly the $top + $skip cap of one window.
    const sim = await useSimulator({ machines: 20_000, seed: 73, findingsPerMachine: 1 });
    const hub = await useHub('sqlite');
    const integration = await addSimulatorIntegration(hub, sim);
    const run = await hub.sync.runDataset(integration.id, 'alerts');
    expect([run.status, run.errorCode]).toEqual(['succeeded', null]);
    const truth = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    expect(truth.length).toBe(6000);
    expect(run.recordsIn).toBe(6000);
    expect(
      await hub.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ).toEqual({
      n: 6000,
    });
    // Six pages and the call that reads the service's clock: the service said the list ended with the sixth
    // page, so no second window reads the last alert again.
    expect(await calls(sim, 'GET /v1.0/security/alerts_v2')).toBe(7);
  });
});
