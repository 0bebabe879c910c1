import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { perItemRoutes, simGet, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from '../server/api-harness.js';

interface SoftwareItem {
  id: string;
  impactScore: number | null;
  installedMachines: number | null;
  exposedMachines: number | null;
  endOfSupportStatus: string | null;
}
interface TruthSoftware {
  id: string;
  impactScore: number;
  installedMachines: number;
  exposedMachines: number;
  endOfSupportStatus: string | null;
}

interface TruthFinding {
  cveId: string | null;
  softwareVendor: string;
  softwareName: string;
}

describe.each(dialects)('software inventory on %s', (dialect) => {
  it('should store the inventory and the devices of each product as the truth has them, never calling per machine', async () => {
    const machines = 250;
    const sim = await useSimulator({ machines, seed: 47, findingsPerMachine: 4 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const runs = await api.hub.sync.syncIntegration(integration.id);
    const run = runs.find((r) => r.dataset === 'software');
    expect(run?.status).toBe('succeeded');

    const truth = await simGet<TruthSoftware[]>(sim, '/_sim/truth/software');
    const stored = await allPages<SoftwareItem>(api, '/api/v1/software');
    expect(
      new Map(
        stored.map((s) => [
          s.id,
          [s.installedMachines, s.exposedMachines, s.impactScore, s.endOfSupportStatus],
        ]),
      ),
    ).toEqual(
      new Map(
        truth.map((t) => [
          t.id,
          [t.installedMachines, t.exposedMachines, t.impactScore, t.endOfSupportStatus],
        ]),
      ),
    );

    // Devices by software: the truth's machines that are hub endpoints (mobile and IoT devices are not).
    const endpoints = new Set(
      (await allPages<{ machineId: string }>(api, '/api/v1/endpoints')).map((e) => e.machineId),
    );
    const products = [...truth].sort((a, b) => b.installedMachines - a.installedMachines).slice(0, 5);
    for (const product of products) {
      const onMachines = await simGet<{ id: string }[]>(
        sim,
        `/_sim/truth/software/${encodeURIComponent(product.id)}/machines`,
      );
      const listed = await allPages<{ machineId: string }>(
        api,
        `/api/v1/software/${encodeURIComponent(product.id)}/endpoints`,
      );
      expect(listed.map((e) => e.machineId).sort()).toEqual(
        onMachines
          .map((m) => m.id)
          .filter((id) => endpoints.has(id))
          .sort(),
      );
    }
    // Vulnerabilities by software: the CVEs the truth has open on any machine, product by product.
    const cves = new Map<string, Set<string>>();
    for (const machine of await simGet<{ id: string }[]>(sim, '/_sim/truth/machines'))
      for (const f of await simGet<TruthFinding[]>(
        sim,
        `/_sim/truth/findings?machineId=${encodeURIComponent(machine.id)}`,
      )) {
        if (f.cveId === null) continue;
        const id = `${f.softwareVendor}-_-${f.softwareName}`;
        cves.set(id, (cves.get(id) ?? new Set()).add(f.cveId));
      }
    for (const product of truth) {
      const listed = await allPages<{ cveId: string; description: string | null }>(
        api,
        `/api/v1/software/${encodeURIComponent(product.id)}/vulnerabilities`,
      );
      expect(listed.map((v) => v.cveId)).toEqual([...(cves.get(product.id) ?? [])].sort());
      expect(listed.filter((v) => v.description === null)).toEqual([]);
    }
    expect([...cves.values()].some((set) => set.size > 1)).toBe(true);

    const endOfSupport = await allPages<SoftwareItem>(api, '/api/v1/software?endOfSupport=true');
    expect(endOfSupport.map((s) => s.id).sort()).toEqual(
      truth
        .filter((t) => t.endOfSupportStatus !== null && t.endOfSupportStatus !== 'None')
        .map((t) => t.id)
        .sort(),
    );
    expect((await api.call('GET', '/api/v1/software/nobody-_-nothing')).status).toBe(404);

    // The calls a full sync made: the list, then one per product for its machines (one page each here); its CVEs
    // came from the findings run before it. Never one per machine.
    expect(run!.apiCalls).toBe(1 + truth.length);
    expect(truth.length).toBeLessThan(machines / 2);
    expect(await perItemRoutes(sim)).toEqual([]);
  });
});
