import { describe, expect, it } from 'vitest';
import {
  DefenderErrorCode,
  DefenderPermissionError,
  type ApiClass,
  type XdrIncident,
} from '../../src/defender/index.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import type { SimulatorStats, TruthAlert, TruthIncident } from '../../src/simulator/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

async function readIncidents(
  batches: AsyncIterable<{ items: XdrIncident[]; rejected: { reason: string }[] }>,
): Promise<{ incidents: XdrIncident[]; rejected: string[] }> {
  const incidents: XdrIncident[] = [];
  const rejected: string[] = [];
  for await (const batch of batches) {
    incidents.push(...batch.items);
    rejected.push(...batch.rejected.map((r) => r.reason));
  }
  return { incidents, rejected };
}

describe('Microsoft 365 Defender incidents (GET /api/incidents)', () => {
  it('should read every incident once, 100 to a page, with the alerts each one embeds', async () => {
    const sim = await useSimulator({ machines: 1000, seed: 81, findingsPerMachine: 1 });
    const truth = await simGet<TruthIncident[]>(sim, '/_sim/truth/incidents');
    expect(truth.length).toBeGreaterThan(100);
    const classes: ApiClass[] = [];
    const client = clientFor(sim, {}, { onCall: (call) => classes.push(call.apiClass) });
    const { incidents, rejected } = await readIncidents(client.incidents.listXdr());
    expect(rejected).toEqual([]);
    expect(incidents.map((i) => i.incidentId).sort()).toEqual(truth.map((i) => i.id).sort());
    for (const incident of incidents) {
      const expected = truth.find((t) => t.id === incident.incidentId);
      expect(incident.lastUpdateTime.raw).toBe(expected?.lastUpdateDateTime);
      expect((incident.alerts ?? []).map((a) => a.alertId).sort()).toEqual(
        [...(expected?.alertIds ?? [])].sort(),
      );
    }
    const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
    expect(stats.requests.byRoute['GET /api/incidents']).toEqual({ '200': Math.ceil(truth.length / 100) });
    // Its own budget: 50 calls a minute, apart from the other Defender APIs.
    expect(new Set(classes)).toEqual(new Set(['incidents']));
  });

  it('should read a page again after a server error, under the one retry policy', async () => {
    const sim = await useSimulator({ machines: 400, seed: 86, findingsPerMachine: 1 });
    const truth = await simGet<TruthIncident[]>(sim, '/_sim/truth/incidents');
    const client = clientFor(sim, {}, { tuning: { retry: { baseDelayMs: 10 } } });
    await simPost(sim, '/_sim/faults', { queue: [{ fault: '500', path: '/api/incidents', count: 2 }] });
    const { incidents } = await readIncidents(client.incidents.listXdr({ pageSize: 50 }));
    expect(incidents.map((i) => i.incidentId).sort()).toEqual(truth.map((i) => i.id).sort());
    expect(client.stats.byStatus['500']).toBe(2);
    expect(client.stats.retries).toBe(2);
  });

  it('should read only the incidents updated inside the window', async () => {
    const sim = await useSimulator({ machines: 300, seed: 82, findingsPerMachine: 1 });
    const truth = await simGet<TruthIncident[]>(sim, '/_sim/truth/incidents');
    const times = truth.map((i) => i.lastUpdateDateTime).sort();
    const since = times[Math.floor(times.length / 3)]!;
    const until = times[Math.floor((2 * times.length) / 3)]!;
    const client = clientFor(sim);
    const { incidents } = await readIncidents(client.incidents.listXdr({ since, until }));
    expect(incidents.map((i) => i.incidentId).sort()).toEqual(
      truth
        .filter((i) => i.lastUpdateDateTime >= since && i.lastUpdateDateTime <= until)
        .map((i) => i.id)
        .sort(),
    );
  });

  it('should name Incident.Read.All of Microsoft Threat Protection when the app lacks it', async () => {
    const sim = await useSimulator({
      machines: 20,
      seed: 83,
      roles: ALL_ROLES.filter((r) => r !== 'Incident.Read.All' && r !== 'Incident.ReadWrite.All'),
    });
    const client = clientFor(sim);
    const error = await readIncidents(client.incidents.listXdr()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefenderPermissionError);
    const refusal = error as DefenderPermissionError;
    expect(refusal.code).toBe(DefenderErrorCode.PermissionMissing);
    expect(refusal.requiredRoles).toEqual(['Incident.Read.All', 'Incident.ReadWrite.All']);
    expect(refusal.grantedRoles).toEqual([]);
    expect(refusal.message).toContain('Microsoft Threat Protection');
  });

  it('should sign in for the Microsoft 365 Defender audience, whose token carries its own roles', async () => {
    const sim = await useSimulator({ machines: 5, seed: 84 });
    const client = clientFor(sim);
    expect(client.config.xdrBaseUrl).toBe(sim.apiBaseUrl);
    expect(client.config.xdrAudience).toBe('https://api.security.microsoft.com');
    expect([...(await client.grantedRoles('xdr'))].sort()).toEqual([
      'Incident.Read.All',
      'Incident.ReadWrite.All',
    ]);
    expect(await client.grantedRoles('defender')).not.toContain('Incident.Read.All');
  });
});

describe("Defender's own alert list (GET /api/alerts) by last-update window", () => {
  it('should read the alerts updated inside the window, with evidence, in the alerts rate class', async () => {
    const sim = await useSimulator({ machines: 300, seed: 85, findingsPerMachine: 1 });
    const truth = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    const times = truth.map((a) => a.lastUpdateDateTime).sort();
    const since = times[Math.floor(times.length / 4)]!;
    const until = times[Math.floor((3 * times.length) / 4)]!;
    const classes: ApiClass[] = [];
    const client = clientFor(sim, {}, { onCall: (call) => classes.push(call.apiClass) });
    const read = await drain(
      client.alerts.listMde({ since, until, expandEvidence: true, pageSize: 20 }),
      (a) => a.id,
    );
    expect(read.rejected).toEqual([]);
    expect(read.ids.sort()).toEqual(
      truth
        .filter((a) => a.lastUpdateDateTime >= since && a.lastUpdateDateTime <= until)
        .map((a) => a.id)
        .sort(),
    );
    expect(classes.length).toBeGreaterThan(1);
    expect(new Set(classes)).toEqual(new Set(['alerts']));
  });
});
