import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import type { TruthMachineAction } from '../../src/simulator/index.js';
import type { RunningSimulator, SimulatorStats } from '../../src/simulator/index.js';

interface Endpoint {
  id: number;
  machineId: string;
  healthStatus: string | null;
  onboardingStatus: string | null;
  machineTags: string[];
  isolation: { state: string; since: string | null; actionId: string | null };
}
interface Action {
  id: string;
  endpointId: number | null;
  machineId: string;
  type: string;
  scope: string | null;
  status: string;
  requestedBy: string | null;
  requestorComment: string | null;
}
interface Outcome {
  endpointId: number;
  ok: boolean;
  dryRun: boolean;
  linked: boolean;
  action: Action | null;
  wouldRequest: { type: string; scope: string | null; machineId: string; comment: string } | null;
  error: { code: string; message: string } | null;
}
interface ErrorAnswer {
  error: { code: string; message: string };
}

const finalStatuses = ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'];

async function setUp(dialect: (typeof dialects)[number]) {
  const sim = await useSimulator({ machines: 200, seed: 53, findingsPerMachine: 1, retryAfterSeconds: 0 });
  const api = await useApi(dialect);
  const integration = await api.hub.integrations.create(simulatorSettings(sim));
  await api.hub.sync.syncIntegration(integration.id);
  const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
  const online = endpoints.filter((e) => e.healthStatus === 'Active' && e.onboardingStatus === 'Onboarded');
  const offline = endpoints.filter((e) => e.healthStatus === 'Inactive');
  const used = new Set<number>();
  const fresh = (from: Endpoint[] = online): Endpoint => {
    const endpoint = from.find((e) => !used.has(e.id));
    if (endpoint === undefined) throw new Error('no unused endpoint left');
    used.add(endpoint.id);
    return endpoint;
  };
  return { sim, api, integration, online, offline, fresh, used };
}

const advanceMinutes = (sim: RunningSimulator, minutes: number): Promise<unknown> =>
  simPost(sim, '/_sim/advance', { hours: minutes / 60 });

/** The action as the hub stores it, once the hub's tracking has seen it reach one of `statuses`. */
async function until(api: TestApi, id: string, statuses: readonly string[] = finalStatuses): Promise<Action> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await api.call<Action>('GET', `/api/v1/actions/${id}`);
    if (statuses.includes(body.status) || Date.now() > deadline) return body;
    await new Promise((done) => setTimeout(done, 25));
  }
}

async function act(api: TestApi, endpointId: number, body: Record<string, unknown>) {
  return api.call<Outcome & ErrorAnswer>('POST', `/api/v1/endpoints/${endpointId}/actions`, body);
}

async function truthOf(sim: RunningSimulator): Promise<TruthMachineAction[]> {
  return simGet<TruthMachineAction[]>(sim, '/_sim/truth/machine-actions');
}

describe.each(dialects)('response actions on %s', (dialect) => {
  it('should run each action type to its final state, tracked by the hub, with who asked recorded', async () => {
    const { sim, api, fresh } = await setUp(dialect);
    const requests = [
      { type: 'scan', scanType: 'Full', expected: { type: 'RunAntiVirusScan', scope: 'Full' } },
      { type: 'isolate', isolationType: 'Selective', expected: { type: 'Isolate', scope: 'Selective' } },
      { type: 'release', expected: { type: 'Unisolate' } },
      { type: 'collectInvestigationPackage', expected: { type: 'CollectInvestigationPackage' } },
    ] as const;
    const sent: Action[] = [];
    for (const { expected, ...request } of requests) {
      const endpoint = fresh();
      const answer = await act(api, endpoint.id, { ...request, comment: `ticket 42: ${request.type}` });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ ok: true, dryRun: false, linked: false, endpointId: endpoint.id });
      expect(answer.body.action).toMatchObject({
        ...expected,
        status: 'Pending',
        machineId: endpoint.machineId,
        endpointId: endpoint.id,
        requestedBy: 'admin',
        requestorComment: `ticket 42: ${request.type}`,
      });
      sent.push(answer.body.action!);
    }
    // Past the longest of them (a full scan, 45 minutes), every one is done.
    await advanceMinutes(sim, 60);
    for (const action of sent) expect((await until(api, action.id)).status).toBe('Succeeded');
    const truth = new Map((await truthOf(sim)).map((a) => [a.id, a.status]));
    for (const action of sent) expect(truth.get(action.id)).toBe('Succeeded');
  });

  it('should link a second request to the action already under way instead of failing it', async () => {
    const { api, fresh } = await setUp(dialect);
    const endpoint = fresh();
    const first = await act(api, endpoint.id, { type: 'scan', comment: 'first' });
    const second = await act(api, endpoint.id, { type: 'scan', scanType: 'Full', comment: 'second' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ ok: true, linked: true });
    expect(second.body.action?.id).toBe(first.body.action?.id);
    expect(second.body.action?.requestedBy).toBe('admin');
  });

  it('should never isolate a protected device, say which rule protects it, and still scan it', async () => {
    const { sim, api, integration, online, fresh } = await setUp(dialect);
    const tagged = online.find((e) => e.machineTags.length > 0);
    expect(tagged).toBeDefined();
    const tag = tagged!.machineTags[0]!;
    await api.hub.integrations.update(integration.id, { protectedDevices: { tags: [tag.toUpperCase()] } });
    const before = (await truthOf(sim)).length;
    const refused = await act(api, tagged!.id, { type: 'isolate', comment: 'contain' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACTION_PROTECTED_DEVICE');
    expect(refused.body.error.message).toContain(`tag "${tag}"`);
    expect((await truthOf(sim)).length).toBe(before);
    expect((await act(api, tagged!.id, { type: 'scan', comment: 'look' })).status).toBe(201);
    // An unprotected endpoint is isolated as usual.
    const other = fresh(
      online.filter((e) => !e.machineTags.some((t) => t.toLowerCase() === tag.toLowerCase())),
    );
    expect((await act(api, other.id, { type: 'isolate', comment: 'contain' })).status).toBe(201);
  });

  it('should answer a dry run with what it would ask, and ask nothing', async () => {
    const { sim, api, fresh } = await setUp(dialect);
    const endpoint = fresh();
    const before = await truthOf(sim);
    const stored = (await api.call<{ total: number }>('GET', '/api/v1/actions')).body.total;
    const dry = await act(api, endpoint.id, { type: 'isolate', comment: 'would contain', dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      ok: true,
      dryRun: true,
      action: null,
      wouldRequest: {
        type: 'Isolate',
        scope: 'Full',
        machineId: endpoint.machineId,
        comment: 'would contain',
      },
    });
    expect(await truthOf(sim)).toEqual(before);
    expect((await api.call<{ total: number }>('GET', '/api/v1/actions')).body.total).toBe(stored);
  });

  // Fifty actions, each tracked to its end: slow when the whole suite shares two cores.
  it(
    'should answer a bulk of 50 per endpoint: 47 succeeded and the 3 offline devices failed',
    { timeout: 180_000 },
    async () => {
      const { sim, api, fresh, offline } = await setUp(dialect);
      expect(offline.length).toBeGreaterThanOrEqual(3);
      const endpoints = [...Array.from({ length: 47 }, () => fresh()), ...offline.slice(0, 3)];
      const tokens = async (): Promise<number> =>
        (await simGet<SimulatorStats>(sim, '/_sim/stats')).tokens.issued;
      const tokensBefore = await tokens();
      const bulk = await api.call<{ items: Outcome[] }>('POST', '/api/v1/actions/bulk', {
        type: 'scan',
        comment: 'sweep after the phishing wave',
        endpointIds: endpoints.map((e) => e.id),
      });
      expect(bulk.status).toBe(200);
      expect(bulk.body.items.map((o) => o.endpointId)).toEqual(endpoints.map((e) => e.id));
      expect(bulk.body.items.every((o) => o.ok && o.action?.status === 'Pending')).toBe(true);
      // One sign-in for the request and at most one for the tracking that follows, not one per endpoint.
      expect((await tokens()) - tokensBefore).toBeLessThanOrEqual(2);
      // Offline devices never pick the action up; Defender gives up after a day.
      await advanceMinutes(sim, 25 * 60);
      const final = await Promise.all(bulk.body.items.map((o) => until(api, o.action!.id)));
      const offlineIds = new Set(offline.slice(0, 3).map((e) => e.id));
      expect(final.filter((a) => a.status === 'Succeeded').map((a) => a.endpointId)).toHaveLength(47);
      expect(
        final
          .filter((a) => a.status !== 'Succeeded')
          .map((a) => a.endpointId)
          .sort(),
      ).toEqual([...offlineIds].sort());
      expect(final.filter((a) => offlineIds.has(a.endpointId!)).every((a) => a.status === 'TimeOut')).toBe(
        true,
      );

      const tooMany = await api.call<ErrorAnswer>('POST', '/api/v1/actions/bulk', {
        type: 'scan',
        comment: 'too many',
        endpointIds: Array.from({ length: api.hub.actions.bulkLimit + 1 }, (_, i) => i + 1),
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.code).toBe('ACTION_BULK_TOO_LARGE');
    },
  );

  it('should refuse with the missing permission named, and a bad body with what to fix', async () => {
    const { sim, api, fresh } = await setUp(dialect);
    const endpoint = fresh();
    await simPost(sim, '/_sim/control', { roles: ['Machine.Read.All', 'Machine.Scan'] });
    try {
      const refused = await act(api, endpoint.id, { type: 'isolate', comment: 'contain' });
      expect(refused.body.error.code).toBe('DEFENDER_PERMISSION_MISSING');
      expect(refused.body.error.message).toContain('Machine.Isolate');
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
    const noComment = await act(api, endpoint.id, { type: 'scan', comment: ' ' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toContain('comment is required');
    const wrongOption = await act(api, endpoint.id, { type: 'release', comment: 'x', scanType: 'Full' });
    expect(wrongOption.status).toBe(400);
    expect(wrongOption.body.error.message).toContain('scanType applies to type "scan" only');
    expect((await act(api, 999_999, { type: 'scan', comment: 'x' })).status).toBe(404);
  });

  it("should derive isolation from the latest action, the portal's included, and cancel a pending one", async () => {
    const { sim, api, integration, fresh } = await setUp(dialect);
    const endpoint = fresh();
    const portal = await simPost<TruthMachineAction>(sim, '/_sim/machine-actions', {
      machineId: endpoint.machineId,
      type: 'Isolate',
      scope: 'Full',
      comment: 'isolated from the portal',
      requestor: 'analyst@contoso.com',
    });
    await advanceMinutes(sim, 10);
    await api.hub.sync.runDataset(integration.id, 'machineActions');
    const synced = await api.call<Endpoint>('GET', `/api/v1/endpoints/${endpoint.id}`);
    expect(synced.body.isolation).toMatchObject({ state: 'isolated', actionId: portal.id });
    const listed = await api.call<{ items: Action[] }>('GET', `/api/v1/actions?endpoint=${endpoint.id}`);
    expect(listed.body.items.map((a) => [a.id, a.requestedBy])).toEqual([[portal.id, null]]);

    const release = await act(api, endpoint.id, { type: 'release', comment: 'clean' });
    const pending = await api.call<Endpoint>('GET', `/api/v1/endpoints/${endpoint.id}`);
    expect(pending.body.isolation).toMatchObject({ state: 'pending', actionId: release.body.action?.id });
    await advanceMinutes(sim, 10);
    await until(api, release.body.action!.id);
    const released = await allPages<Endpoint>(api, '/api/v1/endpoints');
    expect(released.find((e) => e.id === endpoint.id)?.isolation).toMatchObject({
      state: 'notIsolated',
      actionId: release.body.action?.id,
    });

    const again = await act(api, endpoint.id, { type: 'isolate', comment: 'relapse' });
    const cancelled = await api.call<Action>('POST', `/api/v1/actions/${again.body.action!.id}/cancel`, {
      comment: 'false alarm',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('Cancelled');
    // A cancelled isolate changed nothing: the release still decides.
    const after = await api.call<Endpoint>('GET', `/api/v1/endpoints/${endpoint.id}`);
    expect(after.body.isolation).toMatchObject({ state: 'notIsolated', actionId: release.body.action?.id });
  });
});
