import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { perItemRoutes, simGet, simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

interface TruthSoftware {
  id: string;
  endOfSupportStatus: string;
  recommendation: boolean;
}
interface TruthScore {
  time: string;
  score: number;
  byMachineGroups: { score: number; rbacGroupId: number | string; rbacGroupName: string }[];
}
interface RecommendationItem {
  id: string;
  remediationType: string | null;
  exposedMachines: number | null;
}
interface EndpointItem {
  id: number;
  machineId: string;
}
interface ExposureAnswer {
  items: {
    integrationId: string;
    organisation: { score: number; time: string } | null;
    deviceGroups: { rbacGroupId: string; score: number }[];
  }[];
}

/**
 * Per recommendation, the truth's devices that are hub endpoints, computed machine by machine: an upgrade of a
 * product out of support is about every installation, an update about the exposed ones.
 */
async function expectedDevices(
  sim: RunningSimulator,
  endpoints: ReadonlySet<string>,
): Promise<Map<string, string[]>> {
  const truth = await simGet<TruthSoftware[]>(sim, '/_sim/truth/software');
  const devices = new Map<string, string[]>();
  for (const product of truth.filter((t) => t.recommendation)) {
    const machines = await simGet<{ id: string; exposed: boolean }[]>(
      sim,
      `/_sim/truth/software/${encodeURIComponent(product.id)}/machines`,
    );
    const upgrade = product.endOfSupportStatus === 'EOS Software';
    devices.set(
      `va-_-${product.id}`,
      machines
        .filter((m) => (upgrade || m.exposed) && endpoints.has(m.id))
        .map((m) => m.id)
        .sort(),
    );
  }
  return devices;
}

async function storedDevices(api: TestApi, ids: Iterable<string>): Promise<Map<string, string[]>> {
  const devices = new Map<string, string[]>();
  for (const id of ids) {
    const listed = await allPages<{ machineId: string }>(
      api,
      `/api/v1/recommendations/${encodeURIComponent(id)}/endpoints`,
    );
    devices.set(id, listed.map((e) => e.machineId).sort());
  }
  return devices;
}

describe.each(dialects)('security recommendations and exposure score on %s', (dialect) => {
  it('should store the recommendations, their devices and the scores as the truth has them, before and after the tenant changes', async () => {
    const sim = await useSimulator({ machines: 200, seed: 61, findingsPerMachine: 4 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const runs = await api.hub.sync.syncIntegration(integration.id);
    const run = runs.find((r) => r.dataset === 'recommendations');
    expect(run?.status).toBe('succeeded');

    const endpoints = await allPages<EndpointItem>(api, '/api/v1/endpoints');
    const expected = await expectedDevices(sim, new Set(endpoints.map((e) => e.machineId)));
    expect(expected.size).toBeGreaterThan(3);
    const stored = await allPages<RecommendationItem>(api, '/api/v1/recommendations');
    expect(stored.map((r) => r.id).sort()).toEqual([...expected.keys()].sort());
    expect(await storedDevices(api, expected.keys())).toEqual(expected);
    expect(stored.some((r) => r.remediationType === 'Upgrade')).toBe(true);
    const upgrades = await allPages<RecommendationItem>(
      api,
      '/api/v1/recommendations?remediationType=Upgrade',
    );
    expect(upgrades.map((r) => r.id).sort()).toEqual(
      stored
        .filter((r) => r.remediationType === 'Upgrade')
        .map((r) => r.id)
        .sort(),
    );
    expect((await api.call('GET', '/api/v1/recommendations/va-_-nobody-_-nothing')).status).toBe(404);

    // Per endpoint: the recommendations that name it, and its group's score beside the organisation's.
    const score = await simGet<TruthScore>(sim, '/_sim/truth/exposure-score');
    const groupScores = new Map(score.byMachineGroups.map((g) => [String(g.rbacGroupId), g.score]));
    for (const endpoint of endpoints.slice(0, 8)) {
      const mine = [...expected]
        .filter(([, machines]) => machines.includes(endpoint.machineId))
        .map(([id]) => id);
      const listed = await allPages<{ id: string }>(api, `/api/v1/endpoints/${endpoint.id}/recommendations`);
      expect(listed.map((r) => r.id).sort()).toEqual(mine.sort());
      const detail = await api.call<{
        rbacGroupId: string | null;
        defender: {
          recommendations: number;
          exposureScore: { organisation: number; deviceGroup: number | null };
        };
      }>('GET', `/api/v1/endpoints/${endpoint.id}`);
      expect(detail.body.defender.recommendations).toBe(mine.length);
      expect(detail.body.defender.exposureScore).toMatchObject({
        organisation: score.score,
        deviceGroup: groupScores.get(detail.body.rbacGroupId ?? '') ?? null,
      });
    }

    // The tenant: the organisation's score and every device group's.
    const exposure = await api.call<ExposureAnswer>('GET', '/api/v1/exposure-score');
    expect(exposure.body.items).toHaveLength(1);
    expect(exposure.body.items[0]?.organisation).toEqual({ score: score.score, time: score.time });
    expect(new Map(exposure.body.items[0]?.deviceGroups.map((g) => [g.rbacGroupId, g.score]))).toEqual(
      groupScores,
    );

    // One call per recommendation (one page each here) besides the lists: never one per machine.
    expect(run!.apiCalls).toBe(1 + expected.size + 2);
    expect(await perItemRoutes(sim)).toEqual([]);

    // Two days on, devices come and go: a new sync lists the devices of now (none left from before) and
    // keeps both score readings.
    await simPost(sim, '/_sim/advance', { hours: 48 });
    await api.hub.sync.syncIntegration(integration.id);
    const later = await expectedDevices(
      sim,
      new Set((await allPages<EndpointItem>(api, '/api/v1/endpoints')).map((e) => e.machineId)),
    );
    expect(later).not.toEqual(expected);
    expect(await storedDevices(api, later.keys())).toEqual(later);
    const history = await api.call<{ items: { score: number; time: string }[] }>(
      'GET',
      `/api/v1/exposure-score/history?integration=${integration.id}`,
    );
    const now = await simGet<TruthScore>(sim, '/_sim/truth/exposure-score');
    expect(history.body.items.map((r) => r.time)).toEqual([score.time, now.time]);
  });
});
