import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

interface Truth {
  subscriptions: { subscriptionId: string; readable: boolean; assessments: { count: number } }[];
}
type ByRoute = Record<string, Record<string, number>>;

async function cloudIntegration(api: TestApi, sim: RunningSimulator): Promise<string> {
  const created = await api.call<{ id: string }>(
    'POST',
    '/api/v1/integrations',
    simulatorSettings(sim, { name: 'mdc', product: 'cloud', armBaseUrl: sim.armBaseUrl }),
  );
  expect(created.status).toBe(201);
  return created.body.id;
}

async function assessmentTotal(api: TestApi, integrationId: string, subscriptionId: string): Promise<number> {
  const answer = await api.call<{ total: number }>(
    'GET',
    `/api/v1/cloud/assessments?integration=${integrationId}&subscription=${subscriptionId}&pageSize=1`,
  );
  expect(answer.status).toBe(200);
  return answer.body.total;
}

/** `count` assessments of `subscriptionId` that Defender for Cloud does not list (any more). */
function unlisted(integrationId: string, subscriptionId: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    integrationId,
    assessmentId: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments/unlisted-${i}`,
    subscriptionId,
    name: `unlisted-${i}`,
    resourceId: null,
    resourceType: null,
    displayName: 'No longer listed',
    status: 'unhealthy' as const,
    severity: 'High',
    remediation: null,
    portalUrl: null,
    raw: '{}',
    runId: 0,
    updatedAt: new Date().toISOString(),
  }));
}

describe.each(dialects)('Defender for Cloud sync safety on %s', (dialect) => {
  it('should keep a subscription whose lists shrank by more than 20 % until forced', async () => {
    const sim = await useSimulator({ machines: 2, seed: 64, subscriptions: 3, retryAfterSeconds: 0 });
    const api = await useApi(dialect);
    const truth = await simGet<Truth>(sim, '/_sim/truth/arm');
    const [first, second] = truth.subscriptions.filter((s) => s.readable);
    const id = await cloudIntegration(api, sim);
    expect((await api.hub.sync.syncIntegration(id))[0]?.status).toBe('succeeded');

    // Half as many again as Defender lists: a shrink no ordinary day explains, so the sync removes nothing.
    const extra = Math.ceil(first!.assessments.count / 2);
    await api.hub.data.cloud.upsertAssessments(unlisted(id, first!.subscriptionId, extra));
    // The other subscription loses one record: within the bound, so it goes.
    await api.hub.data.cloud.upsertAssessments(unlisted(id, second!.subscriptionId, 1));
    const guarded = (await api.hub.sync.syncIntegration(id))[0]!;
    expect(guarded).toMatchObject({ status: 'succeeded', complete: false, removed: 1 });
    expect(guarded.completeness).toContain(`${extra} of ${first!.assessments.count + extra} assessments`);
    expect(guarded.completeness).toContain(first!.subscriptionId);
    expect(guarded.completeness).toMatch(/--force/);
    expect(await assessmentTotal(api, id, first!.subscriptionId)).toBe(first!.assessments.count + extra);
    expect(await assessmentTotal(api, id, second!.subscriptionId)).toBe(second!.assessments.count);

    const forced = (await api.hub.sync.syncIntegration(id, { force: true }))[0]!;
    expect(forced).toMatchObject({ status: 'succeeded', removed: extra });
    expect(await assessmentTotal(api, id, first!.subscriptionId)).toBe(first!.assessments.count);
  });

  it("should wait out Azure Resource Manager's 429s and 503s and store everything", async () => {
    const sim = await useSimulator({ machines: 2, seed: 65, subscriptions: 2, retryAfterSeconds: 0 });
    const api = await useApi(dialect);
    const truth = await simGet<Truth>(sim, '/_sim/truth/arm');
    const readable = truth.subscriptions.filter((s) => s.readable);
    const id = await cloudIntegration(api, sim);
    const path = `/subscriptions/${readable[0]!.subscriptionId}/providers/Microsoft.Security/assessments`;
    await simPost(sim, '/_sim/faults', {
      queue: [
        { fault: '429', path, count: 1 },
        { fault: '503', path, count: 1 },
        { fault: '429', path: '/subscriptions', count: 1 },
      ],
    });
    const run = (await api.hub.sync.syncIntegration(id))[0]!;
    expect(run.status).toBe('succeeded');
    for (const s of readable)
      expect(await assessmentTotal(api, id, s.subscriptionId)).toBe(s.assessments.count);
    const { byRoute } = (await simGet<{ requests: { byRoute: ByRoute } }>(sim, '/_sim/stats')).requests;
    const refused = Object.entries(byRoute)
      .filter(([route]) => route.startsWith('GET /subscriptions'))
      .reduce((n, [, statuses]) => n + (statuses['429'] ?? 0) + (statuses['503'] ?? 0), 0);
    expect(refused).toBe(3);
  });
});
