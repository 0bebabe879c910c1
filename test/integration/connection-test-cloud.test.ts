import { describe, expect, it } from 'vitest';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi } from '../server/api-harness.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';

interface Step {
  name: string;
  ok: boolean;
  code?: string;
  message?: string;
}
interface ConnectionAnswer {
  ok: boolean;
  product: string;
  steps: Step[];
  label: string;
  permissions: {
    feature: string;
    sources: { api: string; permissions: { name: string; granted: boolean | null }[] }[];
    granted: boolean | null;
  }[];
  subscriptions: { subscriptionId: string; displayName: string; state: string; readable: boolean | null }[];
}
interface TruthSubscription {
  subscriptionId: string;
  displayName: string;
  readable: boolean;
}
type ByRoute = Record<string, Record<string, number>>;

/** Three subscriptions, the last one unreadable (the simulator's default); a second tenant sees none. */
const sim = await useSimulator({ machines: 5, seed: 83, findingsPerMachine: 1 });
const empty = await useSimulator({ machines: 2, seed: 84, findingsPerMachine: 1, subscriptions: 0 });
const api = await useApi('sqlite');
const truth = (await simGet<{ subscriptions: TruthSubscription[] }>(sim, '/_sim/truth/arm')).subscriptions;
const readable = truth.filter((s) => s.readable);
const unreadable = truth.filter((s) => !s.readable);
const ghost = '0f0f0f0f-0000-4000-8000-00000000abcd';

const cloudSettings = (s: RunningSimulator, change: Record<string, unknown> = {}) =>
  simulatorSettings(s, { name: 'mdc', product: 'cloud', armBaseUrl: s.armBaseUrl, ...change });

async function test(body: unknown): Promise<ConnectionAnswer> {
  const answer = await api.call<ConnectionAnswer>('POST', '/api/v1/integrations/test', body);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

const stepsOf = (result: ConnectionAnswer) => result.steps.map((s) => [s.name, s.ok, s.code]);
const step = (result: ConnectionAnswer, name: string): Step | undefined =>
  result.steps.find((s) => s.name === name);

async function routeCounts(s: RunningSimulator): Promise<ByRoute> {
  return (await simGet<{ requests: { byRoute: ByRoute } }>(s, '/_sim/stats')).requests.byRoute;
}

/** The routes `work` made the simulator answer. */
async function routesCalledBy(s: RunningSimulator, work: () => Promise<unknown>): Promise<string[]> {
  const before = await routeCounts(s);
  await work();
  const after = await routeCounts(s);
  const total = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
  return Object.keys(after).filter((route) => total(after[route]) > total(before[route]));
}

const isArm = (route: string): boolean => /^GET \/subscriptions/i.test(route);
/** Defender for Endpoint and Graph's data; the credential's expiry look (`/v1.0/applications`) is everyone's. */
const isMde = (route: string): boolean =>
  /^[A-Z]+ \/(api|v1\.0|beta)\//.test(route) && route !== 'GET /v1.0/applications';

describe('connection test of a Defender for Cloud integration', () => {
  it('should pass the ARM sign-in, the subscriptions and Security Reader on the chosen subscriptions, calling ARM only', async () => {
    expect(readable.length).toBeGreaterThan(1);
    expect(unreadable).toHaveLength(1);
    let result: ConnectionAnswer | undefined;
    const routes = await routesCalledBy(sim, async () => {
      result = await test(
        cloudSettings(sim, { subscriptions: readable.map((s) => s.subscriptionId.toUpperCase()) }),
      );
    });
    expect(result?.ok, JSON.stringify(result?.steps)).toBe(true);
    expect(result?.product).toBe('cloud');
    expect(result && stepsOf(result)).toEqual([
      ['token', true, undefined],
      ['subscriptions', true, undefined],
      ['securityReader', true, undefined],
    ]);
    // Every visible subscription is offered; only the chosen ones were read.
    expect(result?.subscriptions).toEqual(
      truth.map((s) => ({
        subscriptionId: s.subscriptionId,
        displayName: s.displayName,
        state: 'Enabled',
        readable: s.readable ? true : null,
      })),
    );
    // One row: Azure RBAC, granted where the chosen subscriptions could be read.
    expect(result?.permissions.map((p) => [p.feature, p.granted, p.sources])).toEqual([
      [
        'cloudPosture',
        true,
        [{ api: 'Azure RBAC', permissions: [{ name: 'Security Reader', granted: true }] }],
      ],
    ]);
    expect(routes.filter(isArm)).toEqual([
      'GET /subscriptions',
      'GET /subscriptions/{id}/providers/Microsoft.Security/secureScores',
    ]);
    expect(routes.filter(isMde)).toEqual([]);
  });

  it('should fail Security Reader naming the unreadable subscription and the role, when all are read', async () => {
    const result = await test(cloudSettings(sim));
    expect(result.ok).toBe(false);
    expect(stepsOf(result)).toEqual([
      ['token', true, undefined],
      ['subscriptions', true, undefined],
      ['securityReader', false, 'DEFENDER_PERMISSION_MISSING'],
    ]);
    const message = step(result, 'securityReader')?.message ?? '';
    const [refused] = unreadable;
    expect(message).toContain(refused?.subscriptionId);
    expect(message).toContain(refused?.displayName);
    expect(message).toMatch(/Security Reader role/);
    expect(message).toContain('1 of 3 subscriptions');
    for (const s of readable) expect(message).not.toContain(s.subscriptionId);
    expect(result.subscriptions.map((s) => [s.subscriptionId, s.readable])).toEqual(
      truth.map((s) => [s.subscriptionId, s.readable]),
    );
  });

  it('should fail the subscriptions step naming a chosen subscription the app does not see, and still read the others', async () => {
    const [first] = readable;
    const result = await test(cloudSettings(sim, { subscriptions: [first?.subscriptionId, ghost] }));
    expect(stepsOf(result)).toEqual([
      ['token', true, undefined],
      ['subscriptions', false, 'CLOUD_SUBSCRIPTIONS_NOT_VISIBLE'],
      ['securityReader', true, undefined],
    ]);
    const message = step(result, 'subscriptions')?.message ?? '';
    expect(message).toContain(ghost);
    expect(message).not.toContain(first?.subscriptionId);
    expect(message).toMatch(/Security Reader/);
    expect(result.subscriptions.find((s) => s.subscriptionId === first?.subscriptionId)?.readable).toBe(true);
  });

  it('should fail the subscriptions step when the app sees none, telling to assign Security Reader', async () => {
    const result = await test(cloudSettings(empty));
    expect(stepsOf(result)).toEqual([
      ['token', true, undefined],
      ['subscriptions', false, 'CLOUD_NO_SUBSCRIPTIONS_VISIBLE'],
      ['securityReader', false, 'TEST_STEP_SKIPPED'],
    ]);
    expect(step(result, 'subscriptions')?.message).toMatch(
      /sees no Azure subscription: assign the app the Security Reader role on each subscription/,
    );
    expect(result.subscriptions).toEqual([]);
  });

  it('should skip the ARM reads when the sign-in fails', async () => {
    const result = await test(cloudSettings(sim, { clientSecret: 'not-the-secret' }));
    expect(stepsOf(result)).toEqual([
      ['token', false, 'DEFENDER_AUTH_WRONG_SECRET'],
      ['subscriptions', false, 'TEST_STEP_SKIPPED'],
      ['securityReader', false, 'TEST_STEP_SKIPPED'],
    ]);
  });

  it('should test a saved cloud integration with its stored ARM host and subscriptions', async () => {
    const [first] = readable;
    const created = await api.call<{ id: string; subscriptions: string[] }>(
      'POST',
      '/api/v1/integrations',
      cloudSettings(sim, { name: 'saved-mdc', subscriptions: [first?.subscriptionId] }),
    );
    expect(created.status, created.text).toBe(201);
    const answer = await api.call<ConnectionAnswer>('POST', `/api/v1/integrations/${created.body.id}/test`);
    expect(answer.body.ok, JSON.stringify(answer.body.steps)).toBe(true);
    expect(answer.body.subscriptions.filter((s) => s.readable !== null).map((s) => s.subscriptionId)).toEqual(
      [first?.subscriptionId],
    );
  });

  it('should refuse subscriptions that are not GUIDs, naming them', async () => {
    const answer = await api.call<{ error: { message: string } }>(
      'POST',
      '/api/v1/integrations/test',
      cloudSettings(sim, { subscriptions: ['Production'] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(
      /subscriptions must hold subscription IDs \(GUIDs.*"Production"/,
    );
  });
});

describe('connection test answer in the OpenAPI document', () => {
  it('should describe the product, the step names and the subscriptions found', async () => {
    interface Schema {
      properties?: Record<string, Schema & { enum?: string[]; items?: Schema }>;
    }
    const { status, body } = await api.call<{
      paths: Record<
        string,
        { post?: { responses?: Record<string, { content?: Record<string, { schema: Schema }> }> } }
      >;
    }>('GET', '/api/openapi.json');
    expect(status).toBe(200);
    const answer =
      body.paths['/api/v1/integrations/test']?.post?.responses?.['200']?.content?.['application/json']?.schema
        .properties;
    expect(answer?.product?.enum).toEqual(['endpoint', 'cloud']);
    expect(answer?.steps?.items?.properties?.name?.enum).toEqual(
      expect.arrayContaining(['token', 'entraDevices', 'subscriptions', 'securityReader']),
    );
    expect(Object.keys(answer?.subscriptions?.items?.properties ?? {})).toEqual([
      'subscriptionId',
      'displayName',
      'state',
      'readable',
    ]);
  });
});

describe('connection test of a Defender for Endpoint integration: Entra ID devices', () => {
  const endpointSettings = (imports: Record<string, boolean> = {}) =>
    simulatorSettings(sim, {
      name: 'mde',
      imports: {
        vulnerabilities: false,
        alerts: false,
        incidents: false,
        software: false,
        recommendations: false,
        ...imports,
      },
    });

  it('should read one device with Device.Read.All, and never call ARM', async () => {
    let result: ConnectionAnswer | undefined;
    const routes = await routesCalledBy(sim, async () => {
      result = await test(endpointSettings());
    });
    expect(result?.ok, JSON.stringify(result?.steps)).toBe(true);
    expect(result && stepsOf(result)).toEqual([
      ['token', true, undefined],
      ['assets', true, undefined],
      ['entraDevices', true, undefined],
    ]);
    expect(result?.permissions.find((p) => p.feature === 'entraDevices')).toMatchObject({
      feature: 'entraDevices',
      sources: [
        {
          api: 'Microsoft Graph',
          permissions: [
            { name: 'Device.Read.All', granted: true },
            { name: 'Directory.Read.All', granted: true },
          ],
        },
      ],
      granted: true,
    });
    expect(result?.subscriptions).toEqual([]);
    expect(routes).toContain('GET /v1.0/devices');
    expect(routes.filter(isArm)).toEqual([]);
  });

  it('should mark the entraDevices step not permitted without Device.Read.All, and pass', async () => {
    await simPost(sim, '/_sim/control', {
      roles: ALL_ROLES.filter((r) => r !== 'Device.Read.All' && r !== 'Directory.Read.All'),
    });
    try {
      const result = await test(endpointSettings());
      expect(result.ok).toBe(true);
      expect(stepsOf(result)).toEqual([
        ['token', true, undefined],
        ['assets', true, undefined],
        ['entraDevices', true, 'TEST_STEP_NOT_PERMITTED'],
      ]);
      expect(step(result, 'entraDevices')?.message).toBe(
        'Not permitted, not read: Entra devices need Device.Read.All.',
      );
      expect(result.label).toBe('Connected — limited: Entra devices need Device.Read.All');
      expect(result.permissions.find((p) => p.feature === 'entraDevices')?.granted).toBe(false);

      // Turned off, the probe is not made and the limit is gone.
      const off = await test(endpointSettings({ entraDevices: false }));
      expect(off.ok).toBe(true);
      expect(off.label).toBe('Connected');
      expect(off.steps.map((s) => s.name)).toEqual(['token', 'assets']);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });

  it('should show a saved integration without Device.Read.All as limited, and connected once the import is off', async () => {
    const created = await api.hub.integrations.create(endpointSettings());
    const status = async () =>
      (
        await api.call<{ items: { id: string; state: string; label: string }[] }>(
          'GET',
          '/api/v1/integrations/status',
        )
      ).body.items.find((i) => i.id === created.id);
    await simPost(sim, '/_sim/control', {
      roles: ALL_ROLES.filter((r) => r !== 'Device.Read.All' && r !== 'Directory.Read.All'),
    });
    try {
      const runs = await api.hub.sync.syncIntegration(created.id);
      expect(runs.map((r) => [r.dataset, r.status])).toEqual([
        ['machines', 'succeeded'],
        ['machineActions', 'succeeded'],
        ['entraDevices', 'notPermitted'],
      ]);
      const limited = await status();
      expect(limited?.state).toBe('limited');
      expect(limited?.label).toBe('Connected — limited: Entra devices need Device.Read.All');
      // The one integration's status answers the same.
      const one = await api.call<{ label: string }>('GET', `/api/v1/integrations/${created.id}/status`);
      expect(one.body.label).toBe(limited?.label);

      await api.call('PATCH', `/api/v1/integrations/${created.id}`, { imports: { entraDevices: false } });
      expect((await status())?.state).toBe('connected');
      const again = await api.call<ConnectionAnswer>('POST', `/api/v1/integrations/${created.id}/test`);
      expect(again.body.ok).toBe(true);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });
});
