import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { addSimulatorIntegration, useHub } from '../support/hub.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';

interface Summary {
  machines: number;
  findings: number;
  findingsWithoutCve: number;
  vulnerabilities: number;
  alerts: number;
  incidents: number;
}

const count = async (
  hub: Awaited<ReturnType<typeof useHub>>,
  table: 'endpoints' | 'findings' | 'alerts' | 'incidents' | 'vulnerabilities',
  where?: [string, string, unknown],
) => {
  let query = hub.repos.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where !== undefined) query = query.where(where[0] as never, where[1] as never, where[2] as never);
  return (await query.executeTakeFirstOrThrow()).n;
};

describe.each(dialects)('sync on %s', (dialect) => {
  it('should store what the tenant holds, less the drops it counted', async () => {
    const sim = await useSimulator({ machines: 500, seed: 51, findingsPerMachine: 12 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const runs = await hub.sync.syncIntegration(integration.id);
    expect(runs.map((r) => [r.dataset, r.status])).toEqual([
      ['machines', 'succeeded'],
      ['vulnerabilities', 'succeeded'],
      ['findings', 'succeeded'],
      ['alerts', 'succeeded'],
      ['incidents', 'succeeded'],
    ]);
    const [machines, vulnerabilities, findings, alerts, incidents] = runs;
    expect(machines!.records_in).toBe(truth.machines);
    expect(machines!.upserted + machines!.skipped).toBe(truth.machines);
    expect(JSON.parse(machines!.skipped_reasons)).toHaveProperty(['mobile or IoT platform']);
    expect(await count(hub, 'endpoints')).toBe(machines!.upserted);
    expect(vulnerabilities!.upserted).toBe(truth.vulnerabilities);
    expect(findings!.records_in).toBe(truth.findings);
    const findingSkips = JSON.parse(findings!.skipped_reasons) as Record<string, number>;
    expect(findingSkips['no CVE (installed software without a vulnerability)'] ?? 0).toBe(
      truth.findingsWithoutCve,
    );
    expect(await count(hub, 'findings')).toBe(truth.findings - findings!.skipped);
    expect(await count(hub, 'alerts')).toBe(truth.alerts);
    expect(alerts!.upserted).toBe(truth.alerts);
    expect(await count(hub, 'incidents')).toBe(truth.incidents);
    expect(incidents!.complete).toBe(1);
  });

  it('should store exactly the changes after time moves on', async () => {
    const sim = await useSimulator({ machines: 400, seed: 52, findingsPerMachine: 10 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.syncIntegration(integration.id);
    await simPost(sim, '/_sim/advance', { hours: 12 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const runs = await hub.sync.syncIntegration(integration.id);
    const [machines, , findings, alerts] = runs;
    expect(machines!.removed).toBeGreaterThan(0);
    expect(await count(hub, 'endpoints', ['stale', '=', 0])).toBe(machines!.upserted);
    expect(await count(hub, 'endpoints', ['stale', '=', 1])).toBe(machines!.removed);
    expect(findings!.removed).toBeGreaterThan(0);
    expect(await count(hub, 'findings', ['status', '=', 'open'])).toBe(findings!.upserted);
    expect(await count(hub, 'findings', ['status', '=', 'resolved'])).toBe(findings!.removed);
    // Alerts: only the ones that changed since the cursor are written again.
    expect(alerts!.upserted).toBeGreaterThan(0);
    expect(alerts!.upserted).toBeLessThan(truth.alerts);
    expect(await count(hub, 'alerts')).toBe(truth.alerts);
  });

  it('should remove nothing after an incomplete run', async () => {
    const sim = await useSimulator({ machines: 300, seed: 53, findingsPerMachine: 5 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.runDataset(integration.id, 'machines');
    const before = await count(hub, 'endpoints', ['stale', '=', 0]);
    await simPost(sim, '/_sim/advance', { hours: 12 });
    await simPost(sim, '/_sim/faults', { queue: [{ fault: '500', path: '/api/machines', count: 100 }] });
    const run = await hub.sync.runDataset(integration.id, 'machines');
    await simPost(sim, '/_sim/faults', { clear: true });
    expect(run.status).toBe('failed');
    expect(run.complete).toBe(0);
    expect(run.error_code).toBe('DEFENDER_SERVER_ERROR');
    expect(await count(hub, 'endpoints', ['stale', '=', 0])).toBe(before);
  });

  it('should refuse to mark more than 20 % stale without force', async () => {
    const sim = await useSimulator({ machines: 300, seed: 54, findingsPerMachine: 5 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.runDataset(integration.id, 'machines');
    const before = await count(hub, 'endpoints', ['stale', '=', 0]);
    await hub.integrations.update(integration.id, { filters: { onboardingStatuses: ['InsufficientInfo'] } });
    const guarded = await hub.sync.runDataset(integration.id, 'machines');
    expect(guarded.removed).toBe(0);
    expect(guarded.completeness).toMatch(/--force/);
    expect(await count(hub, 'endpoints', ['stale', '=', 0])).toBe(before);
    const forced = await hub.sync.runDataset(integration.id, 'machines', { force: true });
    expect(forced.removed).toBeGreaterThan(before * 0.2);
  });
});
