import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, useSimulator } from '../support/simulator.js';
import { addSimulatorIntegration, useHub, type TestHub } from '../support/hub.js';
import type { RunningSimulator, SimulatorStats } from '../../src/simulator/index.js';
import type { DatasetName } from '../../src/domain/datasets.js';

const perProductCves = 'GET /api/Software/{id}/vulnerabilities';
const perProductMachines = 'GET /api/Software/{id}/machineReferences';

/** Requests the simulator answered on a route so far, whatever their status. */
async function served(sim: RunningSimulator, route: string): Promise<number> {
  const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
  return Object.values(stats.requests.byRoute[route] ?? {}).reduce((sum, n) => sum + n, 0);
}

/** The stored software → CVE links of the integration, product by product. */
async function cveLinks(hub: TestHub, integrationId: string): Promise<Map<string, string[]>> {
  const rows = await hub.db
    .selectFrom('catalog_links')
    .select(['item_id', 'target_id'])
    .where('integration_id', '=', integrationId)
    .where('catalog', '=', 'software')
    .where('kind', '=', 'vulnerability')
    .orderBy('item_id')
    .orderBy('target_id')
    .execute();
  const links = new Map<string, string[]>();
  for (const row of rows) links.set(row.item_id, [...(links.get(row.item_id) ?? []), row.target_id]);
  return links;
}

async function run(hub: TestHub, integrationId: string, dataset: DatasetName) {
  const row = await hub.sync.runDataset(integrationId, dataset);
  expect(row.status, row.errorMessage ?? '').toBe('succeeded');
  return row;
}

/** What one software run cost: its run row, and the per-product CVE and machine calls the simulator served. */
async function softwareRun(hub: TestHub, sim: RunningSimulator, integrationId: string) {
  const [cvesBefore, machinesBefore] = [
    await served(sim, perProductCves),
    await served(sim, perProductMachines),
  ];
  const row = await run(hub, integrationId, 'software');
  return {
    row,
    cveCalls: (await served(sim, perProductCves)) - cvesBefore,
    machineCalls: (await served(sim, perProductMachines)) - machinesBefore,
  };
}

describe.each(dialects)('software CVE lists from the findings on %s', (dialect) => {
  it('should make no per-product CVE call after a findings run, and link the CVEs the calls gave', async () => {
    const sim = await useSimulator({ machines: 160, seed: 49, findingsPerMachine: 4 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    // Only one device group becomes endpoints: the other groups' products' CVE lists count all the same (they are
    // tenant-wide), so the tally must count every export row, not only the endpoints' findings.
    await hub.integrations.update(integration.id, { filters: { deviceGroups: ['Workstations - EU'] } });

    // No findings run yet: every product's CVEs are asked of Defender, one call each.
    const asked = await softwareRun(hub, sim, integration.id);
    const products = asked.row.upserted;
    expect(products).toBeGreaterThan(5);
    expect(asked.cveCalls).toBe(products);
    expect(asked.row.completeness).toContain('every product asked of Defender');
    const fromCalls = await cveLinks(hub, integration.id);
    expect([...fromCalls.values()].some((cves) => cves.length > 1)).toBe(true);

    await run(hub, integration.id, 'machines');
    const findings = await run(hub, integration.id, 'findings');
    expect(findings.completeness).toMatch(/\d+ devices with vulnerabilities not imported as endpoints/);

    const answered = await softwareRun(hub, sim, integration.id);
    expect(answered.cveCalls).toBe(0);
    expect(answered.machineCalls).toBe(products);
    // The list, then the machines of each product (one page each at this size).
    expect(answered.row.apiCalls).toBe(1 + products);
    expect(answered.row.completeness).toContain(
      `CVE lists: ${products} of ${products} products from the findings, 0 asked of Defender`,
    );
    expect(await cveLinks(hub, integration.id)).toEqual(fromCalls);
  });

  it('should ask per product when the latest findings run failed or vulnerabilities are not imported', async () => {
    const sim = await useSimulator({ machines: 40, seed: 50, findingsPerMachine: 3 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await run(hub, integration.id, 'machines');
    await run(hub, integration.id, 'findings');
    const fromFindings = await softwareRun(hub, sim, integration.id);
    expect(fromFindings.cveCalls).toBe(0);
    const products = fromFindings.row.upserted;
    const links = await cveLinks(hub, integration.id);

    // A findings run that failed after the one that tallied: its tally is no answer.
    const failed = await hub.data.syncRuns.start(
      integration.id,
      'findings',
      new Date().toISOString(),
      'test',
    );
    await hub.data.syncRuns.finish(failed, {
      status: 'failed',
      finishedAt: new Date().toISOString(),
      errorCode: 'TEST_FAILURE',
      errorMessage: 'failed on purpose',
    });
    const afterFailure = await softwareRun(hub, sim, integration.id);
    expect(afterFailure.cveCalls).toBe(products);
    expect(afterFailure.row.completeness).toContain('every product asked of Defender');
    expect(await cveLinks(hub, integration.id)).toEqual(links);

    await run(hub, integration.id, 'findings');
    await hub.integrations.update(integration.id, { imports: { vulnerabilities: false } });
    expect((await softwareRun(hub, sim, integration.id)).cveCalls).toBe(products);
  });
});
