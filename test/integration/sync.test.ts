import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { addSimulatorIntegration, useHub } from '../support/hub.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { everyDatasetSucceeded } from '../support/datasets.js';

interface Summary {
  machines: number;
  findings: number;
  findingsWithoutCve: number;
  vulnerabilities: number;
  alerts: number;
  incidents: number;
}

type TestHub = Awaited<ReturnType<typeof useHub>>;

const count = async (
  hub: TestHub,
  table: 'endpoints' | 'findings' | 'alerts' | 'incidents' | 'vulnerabilities' | 'machine_actions',
  where?: [string, string, unknown],
) => {
  let query = hub.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where !== undefined) query = query.where(where[0] as never, where[1] as never, where[2] as never);
  return (await query.executeTakeFirstOrThrow()).n;
};

const exposureByCve = async (hub: TestHub) =>
  (
    await hub.db
      .selectFrom('vulnerability_exposure')
      .select(['cve_id', 'exposed_endpoints'])
      .orderBy('cve_id')
      .execute()
  ).map((r) => [r.cve_id, r.exposed_endpoints]);

/** The same count made the slow way, machine by machine, from the stored findings. */
const openFindingExposure = async (hub: TestHub) => {
  const rows = await hub.db
    .selectFrom('findings')
    .select(['cve_id', 'machine_id'])
    .where('status', '=', 'open')
    .execute();
  const machines = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.cve_id !== null) machines.set(r.cve_id, (machines.get(r.cve_id) ?? new Set()).add(r.machine_id));
  return [...machines].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cve, set]) => [cve, set.size]);
};

/**
 * A running run of the dataset held by another live process of this host (`defender-hub sync` beside `serve`);
 * `release` ends that process.
 */
async function heldByAnotherProcess(hub: TestHub, integrationId: string, dataset: string) {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const held = await hub.data.syncRuns.start(
    integrationId,
    dataset,
    new Date().toISOString(),
    `${hostname()}:${String(other.pid)}`,
  );
  const release = async () => {
    other.kill('SIGKILL');
    await once(other, 'exit');
  };
  return { held, release };
}

describe.each(dialects)('sync on %s', (dialect) => {
  it('should store what the tenant holds, less the drops it counted', async () => {
    const sim = await useSimulator({ machines: 500, seed: 51, findingsPerMachine: 12 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const runs = await hub.sync.syncIntegration(integration.id);
    expect(runs.map((r) => [r.dataset, r.status])).toEqual(everyDatasetSucceeded);
    const [machines, vulnerabilities, findings, alerts, incidents, machineActions] = runs;
    expect(machines!.recordsIn).toBe(truth.machines);
    expect(machines!.upserted + machines!.skipped).toBe(truth.machines);
    expect(machines!.skippedReasons).toHaveProperty(['mobile or IoT platform']);
    expect(await count(hub, 'endpoints')).toBe(machines!.upserted);
    expect(vulnerabilities!.upserted).toBe(truth.vulnerabilities);
    expect(findings!.recordsIn).toBe(truth.findings);
    // Every row is kept: those without a CVE (software inventory), and those of devices that are not endpoints.
    expect(await count(hub, 'findings', ['cve_id', 'is', null])).toBe(truth.findingsWithoutCve);
    expect(findings!.skipped).toBe(0);
    expect(await count(hub, 'findings')).toBe(truth.findings);
    expect(await count(hub, 'findings', ['imported', '=', 0])).toBeGreaterThan(0);
    expect(await count(hub, 'alerts')).toBe(truth.alerts);
    expect(alerts!.upserted).toBe(truth.alerts);
    expect(await count(hub, 'incidents')).toBe(truth.incidents);
    expect(incidents!.complete).toBe(true);
    // The tenant's machine actions, made outside the hub, are there too.
    const actions = await simGet<unknown[]>(sim, '/_sim/truth/machine-actions');
    expect(actions.length).toBeGreaterThan(0);
    expect(machineActions!.upserted).toBe(actions.length);
    expect(await count(hub, 'machine_actions')).toBe(actions.length);
    // What does not read the findings runs while they are read, right after the machines; what does, after them.
    const run = (name: string) => runs.find((r) => r.dataset === name)!;
    for (const beside of ['recommendations', 'entraDevices']) {
      expect(run(beside).startedAt >= run('machines').finishedAt!).toBe(true);
      expect(run(beside).startedAt < run('findings').startedAt).toBe(true);
    }
    // Software reads its products beside the findings, and takes its CVE lists from them once they are over.
    expect(run('software').startedAt >= run('machines').finishedAt!).toBe(true);
    expect(run('software').startedAt < run('findings').finishedAt!).toBe(true);
    expect(run('software').finishedAt! >= run('findings').finishedAt!).toBe(true);
    expect(run('software').completeness).toMatch(
      /CVE lists: (\d+) of \1 products from the findings, 0 asked/,
    );
    expect(run('software').stages['wait for inputs']).toBeGreaterThan(0);
    // Each run says where its time went; the findings run, stage by stage.
    expect(Object.keys(findings!.stages)).toEqual([
      'read',
      'map',
      'tally',
      'wait for the writer',
      'write',
      'resolve unseen',
      'devices not imported',
      'CVE exposure',
      'software CVE lists',
      'patches',
      'endpoint risk',
      'trend',
      'upkeep',
    ]);
    expect(findings!.stages.write).toBeGreaterThan(0);
    expect(Object.keys(machines!.stages)).toEqual([
      'read',
      'wait for the writer',
      'write',
      'mark unseen stale',
      'endpoint risk',
      'profiles',
      'trend',
      'upkeep',
    ]);
    expect(Object.keys(run('software').stages)).toEqual(
      expect.arrayContaining(['read', 'write', 'read links', 'write links', 'remove unseen']),
    );
    expect(await hub.data.syncRuns.get(findings!.id)).toEqual(findings);
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
    // Findings: only the changes are read, and what is open is the tenant's open findings.
    expect(findings!.completeness).toMatch(/^changes since/);
    expect(findings!.removed).toBeGreaterThan(0);
    expect(findings!.upserted).toBeLessThan(truth.findings);
    expect(await count(hub, 'findings', ['status', '=', 'open'])).toBe(truth.findings);
    expect(await count(hub, 'findings', ['status', '=', 'resolved'])).toBe(findings!.removed);
    // The exposure the vulnerability views read is recounted by the run, resolved findings left out.
    expect(await exposureByCve(hub)).toEqual(await openFindingExposure(hub));
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
    expect(run.complete).toBe(false);
    expect(run.errorCode).toBe('DEFENDER_SERVER_ERROR');
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

  it('should refuse a run while another live process runs the dataset, and take over once it is gone', async () => {
    const sim = await useSimulator({ machines: 50, seed: 55, findingsPerMachine: 2 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const { held, release } = await heldByAnotherProcess(hub, integration.id, 'machines');
    try {
      await expect(hub.sync.runDataset(integration.id, 'machines')).rejects.toMatchObject({
        code: 'SYNC_ALREADY_RUNNING',
      });
      expect((await hub.data.syncRuns.get(held))?.status).toBe('running');
    } finally {
      await release();
    }
    const run = await hub.sync.runDataset(integration.id, 'machines');
    expect(run.status).toBe('succeeded');
    expect(await hub.data.syncRuns.get(held)).toMatchObject({
      status: 'failed',
      errorCode: 'SYNC_INTERRUPTED',
    });
  });

  it('should answer a whole-integration sync refused for one dataset only once the others have finished', async () => {
    const sim = await useSimulator({ machines: 60, seed: 56, findingsPerMachine: 4 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    // Recommendations wait only for machines, so their refusal comes while the findings still run.
    const { held, release } = await heldByAnotherProcess(hub, integration.id, 'recommendations');
    try {
      await expect(hub.sync.syncIntegration(integration.id)).rejects.toMatchObject({
        code: 'SYNC_ALREADY_RUNNING',
      });
      const stillRunning = (await hub.data.syncRuns.latestPerDataset(integration.id))
        .filter(({ latest }) => latest.status === 'running')
        .map(({ latest }) => latest.id);
      expect(stillRunning).toEqual([held]);
      expect((await hub.data.syncRuns.latest(integration.id, 'findings'))?.status).toBe('succeeded');
    } finally {
      await release();
    }
  });
});
