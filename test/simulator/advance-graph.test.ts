import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { GRAPH, readAllPages, SimHarness, type ODataPage, type Summary } from './helpers.js';

const firstPublished = (file: string): Record<string, unknown> =>
  (JSON.parse(readFixture('defender', file)) as ODataPage).value[0] ?? {};

describe('Graph security lists', async () => {
  const harness = await SimHarness.start({ machines: 1000, seed: 61, findingsPerMachine: 2 });
  const token = await harness.token(GRAPH);
  const summary = await harness.json<Summary>('/_sim/truth/summary');

  it('should page alerts_v2 by nextLink (newest first) and count them with $count=true', async (ctx) => {
    requireFixtures(ctx);
    const publishedAlert = firstPublished('graph-alerts-v2-list.json');
    const first = await harness.json<ODataPage>('/v1.0/security/alerts_v2?$count=true', token);
    expect(first['@odata.count']).toBe(summary.alerts);
    expect(first.value).toHaveLength(100);
    expect(first['@odata.nextLink']).toMatch(
      new RegExp(`^${harness.sim.url}/v1.0/security/alerts_v2\\?.*\\$skip=100`),
    );
    const created = first.value.map((a) => String(a.createdDateTime));
    expect([...created].sort().reverse()).toEqual(created);
    const { records } = await readAllPages(harness, '/v1.0/security/alerts_v2?$top=50', token);
    expect(records).toHaveLength(summary.alerts);
    expect(new Set(records.map((a) => a.id)).size).toBe(summary.alerts);
    for (const key of Object.keys(publishedAlert)) expect(records[0]).toHaveProperty(key);
    expect(records[0]?.alertWebUrl).toBe(
      `https://security.microsoft.com/alerts/${String(records[0]?.id)}?tid=${harness.sim.tenantId}`,
    );
  });

  it('should enforce $top ≤ 1000 and $top + $skip ≤ 6000 with Graph error bodies', async () => {
    for (const query of ['$top=1001', '$top=1000&$skip=5001']) {
      const reply = await harness.call(`/v1.0/security/alerts_v2?${query}`, { token });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'BadRequest', innerError: {} } });
    }
  });

  it('should filter and order by lastUpdateDateTime', async () => {
    const { records } = await readAllPages(
      harness,
      '/v1.0/security/alerts_v2?$top=1000&$orderby=lastUpdateDateTime asc',
      token,
    );
    const updates = records.map((a) => String(a.lastUpdateDateTime));
    expect([...updates].sort()).toEqual(updates);
    const pivot = updates[Math.floor(updates.length / 2)] ?? '';
    const { records: since } = await readAllPages(
      harness,
      `/v1.0/security/alerts_v2?$top=1000&$filter=${encodeURIComponent(`lastUpdateDateTime gt ${pivot}`)}`,
      token,
    );
    expect(since).toHaveLength(updates.filter((u) => u > pivot).length);
  });

  it('should group alerts into incidents, with $expand=alerts', async (ctx) => {
    requireFixtures(ctx);
    const publishedIncident = firstPublished('graph-incidents-list.json');
    const { records } = await readAllPages(
      harness,
      '/v1.0/security/incidents?$top=1000&$expand=alerts',
      token,
    );
    expect(records).toHaveLength(summary.incidents);
    for (const key of Object.keys(publishedIncident)) expect(records[0]).toHaveProperty(key);
    const alertIds = records.flatMap((incident) =>
      (incident.alerts as { id: string; incidentId: string }[]).map((a) => a.id),
    );
    expect(new Set(alertIds).size).toBe(summary.alerts);
    const plain = await harness.json<ODataPage>('/v1.0/security/incidents?$top=1', token);
    expect(plain.value[0]).not.toHaveProperty('alerts');
  });
});

describe('advancing the simulated clock', () => {
  it('should move time and change machines, findings and alerts deterministically', async () => {
    const harness = await SimHarness.open({ machines: 800, seed: 62, findingsPerMachine: 10 });
    try {
      const token = await harness.token(GRAPH);
      const before = await harness.json<Summary>('/_sim/truth/summary');
      const machinesBefore = new Set(
        (await harness.json<{ id: string }[]>('/_sim/truth/machines')).map((m) => m.id),
      );
      const alertsBefore = new Map(
        (await harness.json<{ id: string; lastUpdateDateTime: string }[]>('/_sim/truth/alerts')).map((a) => [
          a.id,
          a.lastUpdateDateTime,
        ]),
      );
      const advanced = await harness.post<{ epoch: number; now: string }>('/_sim/advance', { hours: 24 });
      expect(advanced.epoch).toBe(1);
      expect(Date.parse(advanced.now) - Date.parse(before.now)).toBe(24 * 3600 * 1000);
      const after = await harness.json<Summary>('/_sim/truth/summary');
      expect(after.now).toBe(advanced.now);
      const machinesAfter = new Set(
        (await harness.json<{ id: string }[]>('/_sim/truth/machines')).map((m) => m.id),
      );
      const left = [...machinesBefore].filter((id) => !machinesAfter.has(id));
      const arrived = [...machinesAfter].filter((id) => !machinesBefore.has(id));
      expect(left.length).toBeGreaterThan(0);
      expect(left.length).toBeLessThan(0.1 * machinesBefore.size);
      expect(arrived.length).toBeGreaterThan(0);
      expect(after.findings).not.toBe(before.findings);
      expect(after.alerts).toBeGreaterThan(before.alerts);
      const alertsAfter =
        await harness.json<{ id: string; lastUpdateDateTime: string }[]>('/_sim/truth/alerts');
      const updated = alertsAfter.filter(
        (a) => alertsBefore.has(a.id) && alertsBefore.get(a.id) !== a.lastUpdateDateTime,
      );
      expect(updated.length).toBeGreaterThan(0);
      // A cursor at the old "now" finds exactly the updated and the new alerts.
      const { records } = await readAllPages(
        harness,
        `/v1.0/security/alerts_v2?$top=1000&$filter=${encodeURIComponent(`lastUpdateDateTime gt ${before.now}`)}`,
        token,
      );
      expect(records).toHaveLength(updated.length + (after.alerts - before.alerts));
    } finally {
      await harness.close();
    }
  });

  it('should refuse a non-positive advance', async () => {
    const harness = await SimHarness.open({ machines: 1 });
    try {
      const reply = await harness.call('/_sim/advance', {
        method: 'POST',
        body: JSON.stringify({ hours: 0 }),
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).toBe(400);
    } finally {
      await harness.close();
    }
  });
});
