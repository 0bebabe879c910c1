import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import { isPastSla, meanTimeToRemediate } from '../../src/domain/remediation.js';
import { truthFindings } from '../support/truth-findings.js';
import { parseSeverity } from '../../src/domain/levels.js';
import { databaseOf } from '../../src/store/testing.js';

type Counts = Record<string, number>;
interface Trend {
  day: string;
  endpointsByRisk: Counts;
  openFindingsBySeverity: Counts;
  patchesBySeverity: Counts;
}

const tally = (keys: readonly string[]): Counts => {
  const counts: Counts = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
};

type Sim = Awaited<ReturnType<typeof useSimulator>>;

/** The finding ids the simulator's export holds now, those of devices that are not endpoints included. */
async function truthOpen(sim: Sim): Promise<Set<string>> {
  return new Set((await truthFindings(sim)).map((f) => f.id));
}

const findings = (api: TestApi) =>
  databaseOf(api.hub.data)
    .selectFrom('findings')
    .select(['finding_key', 'status', 'resolved_at', 'first_seen_at', 'severity', 'cve_id'])
    .execute();

describe.each(dialects)('remediation and trends on %s', (dialect) => {
  it('should resolve findings that go with the date of the run, reopen those that come back, and count MTTR and SLA', async () => {
    const sim = await useSimulator({ machines: 100, seed: 88, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);

    const resolvedOnce = new Set<string>();
    let reopened = 0;
    for (let advance = 0; advance < 6 && (reopened === 0 || advance < 2); advance++) {
      const before = new Map((await findings(api)).map((f) => [f.finding_key, f]));
      await simPost(sim, '/_sim/advance', { hours: 24 });
      const runs = await api.hub.sync.syncIntegration(integration.id);
      const run = runs.find((r) => r.dataset === 'findings')!;
      const after = await findings(api);
      const open = new Set(after.filter((f) => f.status === 'open').map((f) => f.finding_key));
      expect(open).toEqual(await truthOpen(sim));
      for (const f of after) {
        const was = before.get(f.finding_key);
        if (f.status === 'resolved' && was?.status === 'open') {
          // Resolved by this run, dated within it.
          expect(f.resolved_at! >= run.startedAt && f.resolved_at! <= run.finishedAt!).toBe(true);
          resolvedOnce.add(f.finding_key);
        }
        if (f.status === 'open' && was?.status === 'resolved') {
          expect(f.resolved_at).toBeNull();
          expect(f.first_seen_at).toBe(was.first_seen_at);
          reopened++;
        }
      }
    }
    expect(resolvedOnce.size).toBeGreaterThan(0);
    expect(reopened).toBeGreaterThan(0);

    // MTTR and SLA through the API equal the domain's rules over the stored findings.
    const stored = (await findings(api)).filter((f) => f.cve_id !== null);
    const mttr = meanTimeToRemediate(
      stored
        .filter((f) => f.status === 'resolved' && f.first_seen_at !== null && f.resolved_at !== null)
        .map((f) => ({ severity: f.severity, firstSeenAt: f.first_seen_at!, resolvedAt: f.resolved_at! })),
    );
    const sla = { Critical: 400, High: 600, Medium: 900, Low: 1200 };
    const { status, body } = await api.call<{
      slaDays: Counts;
      meanTimeToRemediate: typeof mttr;
      openPastSla: Counts;
    }>('GET', '/api/v1/remediation?sla=critical=400,High=600,Medium=900,Low=1200');
    expect(status).toBe(200);
    expect(body.slaDays).toEqual(sla);
    expect(body.meanTimeToRemediate.overall.count).toBe(mttr.overall.count);
    expect(body.meanTimeToRemediate.overall.meanDays).toBeCloseTo(mttr.overall.meanDays!, 6);
    for (const [severity, time] of Object.entries(mttr.bySeverity)) {
      const got = body.meanTimeToRemediate.bySeverity[severity as keyof typeof mttr.bySeverity];
      expect(got.count).toBe(time.count);
      if (time.meanDays === null) expect(got.meanDays).toBeNull();
      else expect(got.meanDays).toBeCloseTo(time.meanDays, 6);
    }
    const now = new Date();
    const past = stored.filter(
      (f) =>
        f.status === 'open' &&
        f.first_seen_at !== null &&
        isPastSla({ severity: f.severity, firstSeenAt: f.first_seen_at }, now, sla),
    );
    const expectedPast = tally(past.map((f) => parseSeverity(f.severity) ?? 'Unknown'));
    for (const severity of ['Low', 'Medium', 'High', 'Critical'])
      expect(body.openPastSla[severity]).toBe(expectedPast[severity] ?? 0);
    expect(past.length).toBeGreaterThan(0);
    expect(past.length).toBeLessThan(stored.filter((f) => f.status === 'open').length);
    const list = await allPages<{
      cveId: string;
      daysOverdue: number;
      endpointId: number | null;
      machineId: string;
      deviceName: string | null;
    }>(api, '/api/v1/remediation/past-sla?sla=Critical=400,High=600,Medium=900,Low=1200');
    expect(list.length).toBe(past.length);
    expect(list.every((f) => f.daysOverdue >= 0)).toBe(true);
    // A device that is not an endpoint is named as the export names it.
    const names = new Map((await truthFindings(sim)).map((f) => [f.deviceId, f.deviceName]));
    const unlinked = list.filter((f) => f.endpointId === null);
    expect(unlinked.length).toBeGreaterThan(0);
    for (const f of unlinked) expect(f.deviceName).toBe(names.get(f.machineId));
    expect((await api.call('GET', '/api/v1/remediation?sla=Critical=0')).status).toBe(400);
    expect((await api.call('GET', '/api/v1/remediation?sla=Urgent=3')).status).toBe(400);

    // Today's trend point, replaced by each findings run, equals the counts now.
    const trends = await api.call<{ items: Trend[] }>('GET', '/api/v1/trends?days=7');
    expect(trends.body.items.map((t) => t.day)).toEqual([new Date().toISOString().slice(0, 10)]);
    const [today] = trends.body.items;
    const endpoints = await allPages<{ riskLevel: string }>(api, '/api/v1/endpoints');
    expect(today!.endpointsByRisk).toEqual(tally(endpoints.map((e) => e.riskLevel)));
    const patches = await allPages<{ metadata: { 'Defender.SeverityLevel': string | null } }>(
      api,
      '/api/v1/patches',
    );
    expect(today!.patchesBySeverity).toEqual(
      tally(patches.map((p) => p.metadata['Defender.SeverityLevel'] ?? 'Unknown')),
    );
    expect(today!.openFindingsBySeverity).toEqual(
      tally(stored.filter((f) => f.status === 'open').map((f) => parseSeverity(f.severity) ?? 'Unknown')),
    );
  });
});
