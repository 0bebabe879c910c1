import { describe, expect, it } from 'vitest';
import { DefenderErrorCode } from '../../src/defender/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

interface Summary {
  machines: number;
  findings: number;
  vulnerabilities: number;
  alerts: number;
  incidents: number;
}

describe("the simulator's answers through the client's schemas", () => {
  it('should read every list of a tenant with no record refused', async () => {
    const sim = await useSimulator({ machines: 400, seed: 41, findingsPerMachine: 15 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim);
    const machines = await drain(client.machines.list(), (m) => m.id);
    const vulnerabilities = await drain(client.vulnerabilities.list(), (v) => v.id);
    const findings = await drain(client.findings.exportJson(), (f) => f.id);
    const alerts = await drain(client.alerts.list(), (a) => a.id);
    const mdeAlerts = await drain(client.alerts.listMde({ expandEvidence: true }), (a) => a.id);
    const incidents = await drain(client.incidents.list(), (i) => i.id);
    const actions = await drain(client.machineActions.list(), (a) => a.id);
    for (const list of [machines, vulnerabilities, findings, alerts, mdeAlerts, incidents, actions])
      expect(list.rejected).toEqual([]);
    expect(machines.ids.length).toBe(truth.machines);
    expect(vulnerabilities.ids.length).toBe(truth.vulnerabilities);
    expect(findings.ids.length).toBe(truth.findings);
    expect(alerts.ids.length).toBe(truth.alerts);
    expect(mdeAlerts.ids.length).toBe(truth.alerts);
    expect(incidents.ids.length).toBe(truth.incidents);
    expect(actions.ids.length).toBeGreaterThan(0);

    const one = machines.ids[0]!;
    expect((await client.machines.get(one)).id).toBe(one);
    expect((await client.vulnerabilities.get(vulnerabilities.ids[0]!)).id).toBe(vulnerabilities.ids[0]);
    expect((await client.machineActions.get(actions.ids[0]!)).id).toBe(actions.ids[0]);
    expect((await client.alerts.getMde(mdeAlerts.ids[0]!)).id).toBe(mdeAlerts.ids[0]);
  });

  it('should say a machine does not exist with a not-found error', async () => {
    const sim = await useSimulator({ machines: 5, seed: 42 });
    const client = clientFor(sim);
    await expect(client.machines.get('0000000000000000000000000000000000000000')).rejects.toMatchObject({
      code: DefenderErrorCode.NotFound,
    });
  });
});

describe('Graph alerts past the $top + $skip cap', () => {
  it('should read more than 6,000 alerts, each exactly once, oldest update first', async () => {
    const sim = await useSimulator({ machines: 24_000, seed: 43, findingsPerMachine: 1 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    expect(truth.alerts).toBeGreaterThan(6000);
    const client = clientFor(sim);
    const ids: string[] = [];
    let previous = '';
    for await (const batch of client.alerts.list()) {
      for (const alert of batch.items) {
        ids.push(alert.id);
        expect(alert.lastUpdateDateTime.raw >= previous).toBe(true);
        previous = alert.lastUpdateDateTime.raw;
      }
    }
    expect(ids.length).toBe(truth.alerts);
    expect(new Set(ids).size).toBe(truth.alerts);
  });

  it('should read only what changed since a cursor', async () => {
    const sim = await useSimulator({ machines: 300, seed: 44, findingsPerMachine: 1 });
    const client = clientFor(sim);
    const first = await drain(client.alerts.list(), (a) => a.id);
    let newest = '';
    for await (const batch of client.alerts.list())
      for (const a of batch.items) if (a.lastUpdateDateTime.raw > newest) newest = a.lastUpdateDateTime.raw;
    await simPost(sim, '/_sim/advance', { hours: 4 });
    const truthAlerts = await simGet<{ id: string; lastUpdateDateTime: string }[]>(sim, '/_sim/truth/alerts');
    const changed = truthAlerts.filter((a) => a.lastUpdateDateTime > newest).map((a) => a.id);
    expect(changed.length).toBeGreaterThan(0);
    const since = await drain(client.alerts.list({ since: newest }), (a) => a.id);
    // `ge` includes the alerts updated at exactly the cursor time: the caller's overlap de-duplicates them.
    expect(new Set(since.ids)).toEqual(
      new Set([...changed, ...truthAlerts.filter((a) => a.lastUpdateDateTime === newest).map((a) => a.id)]),
    );
    expect(first.ids.length).toBeGreaterThan(since.ids.length);
  });
});

describe('throttling beyond the retry budget', () => {
  it('should give up with DEFENDER_THROTTLED and say what to do', async () => {
    const sim = await useSimulator({ machines: 5, seed: 45, retryAfterSeconds: 0 });
    const client = clientFor(sim, {}, { tuning: { retry: { maxAttempts: 3 } } });
    await simPost(sim, '/_sim/faults', { queue: [{ fault: '429', path: '/api/machines', count: 5 }] });
    const error = await drain(client.machines.list(), (m) => m.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: DefenderErrorCode.Throttled, details: { attempts: 3 } });
    expect((error as Error).message).toMatch(/lower the sync frequency/);
  });
});
