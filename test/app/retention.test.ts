import { describe, expect, it } from 'vitest';
import { Retention } from '../../src/app/retention.js';
import { useSimulator } from '../support/simulator.js';
import { addSimulatorIntegration, useHub } from '../support/hub.js';
import { dialects } from '../support/stores.js';

const now = Date.parse('2026-12-01T00:00:00Z');
const daysAgo = (days: number): string => new Date(now - days * 86_400_000).toISOString();
const finished = {
  apiCalls: 1,
  pages: 1,
  recordsIn: 0,
  upserted: 0,
  skipped: 0,
  skippedReasons: {},
  removed: 0,
  status: 'succeeded' as const,
  complete: true,
  completeness: null,
  notPermitted: [],
};

describe.each(dialects)('retention on %s', (dialect) => {
  it('should prune what is older than its period in batches, and keep the latest run of each dataset', async () => {
    const hub = await useHub(dialect);
    const sim = await useSimulator({ machines: 3, seed: 61 });
    const { id } = await addSimulatorIntegration(hub, sim);
    const run = async (dataset: string, startedDaysAgo: number, done = true): Promise<number> => {
      const runId = await hub.data.syncRuns.start(id, dataset, daysAgo(startedDaysAgo), 'test:1');
      if (done) await hub.data.syncRuns.finish(runId, { ...finished, finishedAt: daysAgo(startedDaysAgo) });
      return runId;
    };
    // alerts: three old runs, the newest of them still the latest one; machines: old ones and a recent one.
    const oldAlerts = [await run('alerts', 50), await run('alerts', 40)];
    const latestAlerts = await run('alerts', 35);
    await run('machines', 60);
    const stuck = await run('machines', 45, false);
    const recentMachines = await run('machines', 1);
    for (let i = 0; i < 1203; i++)
      await hub.data.auditLog.append({
        at: daysAgo(i < 1200 ? 400 : 10),
        actor: 'admin',
        actorKind: 'token',
        address: null,
        action: 'GET /x',
        target: null,
        outcome: 'success',
        status: 200,
        details: '{}',
      });
    const result = (hoursAgo: number) => ({
      integrationId: id,
      savedQueryId: null,
      query: 'DeviceInfo',
      timespan: null,
      source: 'graph' as const,
      columns: [{ name: 'a', type: 'String' }],
      rows: [{ a: '1' }, { a: '2' }],
      createdAt: new Date(now - hoursAgo * 3_600_000).toISOString(),
    });
    await hub.data.huntingResults.insert(result(30), daysAgo(999));
    const fresh = await hub.data.huntingResults.insert(result(2), daysAgo(999));

    const retention = new Retention(
      hub.data,
      { syncRunsDays: 30, auditLogDays: 365, huntingResultsHours: 24 },
      () => now,
    );
    expect(await retention.pruneOnce()).toEqual({ syncRuns: 3, auditLog: 1200, huntingResults: 1 });
    const left = await hub.data.syncRuns.list({ integrationId: id }, { page: 1, pageSize: 50 });
    expect(left.items.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [latestAlerts, stuck, recentMachines].sort((a, b) => a - b),
    );
    expect(left.items.map((r) => r.id)).not.toContain(oldAlerts[0]);
    expect((await hub.data.auditLog.list({}, { page: 1, pageSize: 10 })).total).toBe(3);
    expect(await hub.data.huntingResults.find(fresh.id, daysAgo(999))).toBeDefined();
    // A second pass finds nothing more.
    expect(await retention.pruneOnce()).toEqual({ syncRuns: 0, auditLog: 0, huntingResults: 0 });
  }, 60_000);
});
