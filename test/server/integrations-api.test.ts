import { beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simPost, useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi, type TestApi } from './api-harness.js';
import { features } from '../../src/domain/permissions.js';

interface ErrorAnswer {
  error: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } };
}
interface IntegrationAnswer {
  id: string;
  name: string;
  enabled: boolean;
  credential: { type: string; set: boolean; setAt: string; checkedAt: string | null };
  imports: Record<string, boolean>;
  schedules: Record<string, number>;
  protectedDevices: Record<string, string[]>;
  apiBaseUrl: string;
}
interface PermissionRow {
  feature: string;
  sources: { api: string; permissions: { name: string; granted: boolean | null }[] }[];
  granted: boolean | null;
}
interface ConnectionAnswer {
  ok: boolean;
  label: string;
  steps: {
    name: string;
    ok: boolean;
    code?: string;
    message?: string;
    ms: number;
    notPermitted: string[];
  }[];
  permissions: PermissionRow[];
  importsAllowed: Record<string, boolean> | null;
}

const sim = await useSimulator({ machines: 20, seed: 71, findingsPerMachine: 2 });
const otherSecret = 'another-secret-value-that-must-never-be-echoed';
/** The imports of a test that reads only Defender's machines and vulnerabilities. */
const onlyAssetsAndVulnerabilities = {
  alerts: false,
  incidents: false,
  software: false,
  recommendations: false,
  entraDevices: false,
};

describe.each(dialects)('integrations API on %s', (dialect) => {
  let api: TestApi;
  let created: IntegrationAnswer;

  beforeAll(async () => {
    api = await useApi(dialect);
  });

  it('should create an integration and keep its secret out of the answer and out of the row', async () => {
    const { status, body } = await api.call<IntegrationAnswer>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim),
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: 'simulated',
      enabled: true,
      apiBaseUrl: sim.apiBaseUrl,
      credential: { type: 'secret', set: true },
      imports: { assets: true, vulnerabilities: true, alerts: true, incidents: true },
    });
    expect(body).not.toHaveProperty('clientSecret');
    expect(body).not.toHaveProperty('certificate');
    created = body;
    const sealed = await api.hub.data.integrations.sealedCredential(body.id);
    expect(sealed).toBeTruthy();
    expect(sealed).not.toContain(sim.clientSecret);
    expect(JSON.stringify(await api.hub.data.integrations.find(body.id))).not.toContain(sim.clientSecret);
  });

  it('should list and show it', async () => {
    const list = await api.call<{
      items: IntegrationAnswer[];
      total: number;
      page: number;
      pageSize: number;
    }>('GET', '/api/v1/integrations');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(list.body.items.map((i) => i.id)).toEqual([created.id]);
    const shown = await api.call<IntegrationAnswer>('GET', `/api/v1/integrations/${created.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(created);
  });

  it('should update fields, merge the import toggles and replace the secret without showing it', async () => {
    const { status, body } = await api.call<IntegrationAnswer>(
      'PATCH',
      `/api/v1/integrations/${created.id}`,
      {
        name: 'renamed',
        imports: { incidents: false },
        clientSecret: otherSecret,
      },
    );
    expect(status).toBe(200);
    expect(body.name).toBe('renamed');
    expect(body.imports).toEqual({
      assets: true,
      vulnerabilities: true,
      alerts: true,
      incidents: false,
      software: true,
      recommendations: true,
      entraDevices: true,
    });
    expect(body.credential.setAt >= created.credential.setAt).toBe(true);
    expect(await api.hub.data.integrations.sealedCredential(created.id)).not.toContain(otherSecret);
    // Back to the simulator's secret for the connection tests below.
    const restored = await api.call('PATCH', `/api/v1/integrations/${created.id}`, {
      clientSecret: sim.clientSecret,
      imports: { incidents: true },
    });
    expect(restored.status).toBe(200);
  });

  it('should change only the members a partial imports, schedules or protectedDevices names', async () => {
    const patch = (body: Record<string, unknown>) =>
      api.call<IntegrationAnswer>('PATCH', `/api/v1/integrations/${created.id}`, body);
    const first = await patch({
      imports: { alerts: false, software: false },
      schedules: { machines: 120, alerts: 30 },
      protectedDevices: { tags: ['VIP'], namePatterns: ['dc-*'] },
    });
    expect(first.status).toBe(200);
    // Each change names other members: the ones set before stay as they were, not back to their defaults.
    const second = await patch({
      imports: { incidents: false },
      schedules: { software: 720 },
      protectedDevices: { deviceGroups: ['Servers'] },
    });
    expect(second.status).toBe(200);
    expect(second.body.imports).toEqual({
      assets: true,
      vulnerabilities: true,
      alerts: false,
      incidents: false,
      software: false,
      recommendations: true,
      entraDevices: true,
    });
    expect(second.body.schedules).toEqual({
      ...created.schedules,
      machines: 120,
      alerts: 30,
      software: 720,
    });
    expect(second.body.protectedDevices).toEqual({
      tags: ['VIP'],
      deviceGroups: ['Servers'],
      namePatterns: ['dc-*'],
    });
    // A value out of range is still refused, named by its path.
    const invalid = await patch({ schedules: { alerts: 0 } });
    expect(invalid.status).toBe(400);
    const restored = await patch({
      imports: { alerts: true, incidents: true, software: true },
      schedules: created.schedules,
      protectedDevices: created.protectedDevices,
    });
    expect(restored.body.imports).toEqual(created.imports);
    expect(restored.body.schedules).toEqual(created.schedules);
    expect(restored.body.protectedDevices).toEqual(created.protectedDevices);
  });

  it('should disable and enable it', async () => {
    const disabled = await api.call<IntegrationAnswer>('POST', `/api/v1/integrations/${created.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    const enabled = await api.call<IntegrationAnswer>('POST', `/api/v1/integrations/${created.id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
  });

  it('should refuse a second integration with the same name with 409', async () => {
    const { status, body } = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'renamed' }),
    );
    expect(status).toBe(409);
    expect(body.error.code).toBe('INTEGRATION_NAME_TAKEN');
  });

  it.each([
    ['a bad tenant id', { tenantId: 'not a tenant' }, /tenantId must be a GUID or a domain name/],
    [
      'a client id that is no GUID',
      { clientId: 'my-app' },
      /clientId must be the app registration's .* GUID/,
    ],
    ['an http:// URL', { graphBaseUrl: 'http://graph.example.com' }, /graphBaseUrl must use https:\/\//],
    [
      'a base URL ending in /api',
      { apiBaseUrl: 'https://api.security.microsoft.com/api' },
      /apiBaseUrl must not end in \/api: use https:\/\/api\.security\.microsoft\.com\./,
    ],
    ['an unknown field', { colour: 'blue' }, /Unrecognized key.*colour/],
    [
      'no credential',
      { clientSecret: undefined },
      /Give exactly one credential: clientSecret or certificate/,
    ],
  ])('should answer 400 INVALID_INPUT for %s', async (_case, change, message) => {
    const { status, body } = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'invalid', ...change }),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(message);
    expect(body.error.details?.issues?.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('should answer 400 INVALID_INPUT for a body that is not JSON', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: { ...api.authHeaders, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorAnswer>().error.code).toBe('INVALID_INPUT');
  });

  it('should answer 400 for an invalid change and leave the integration as it was', async () => {
    const { status, body } = await api.call<ErrorAnswer>('PATCH', `/api/v1/integrations/${created.id}`, {
      clientId: 'nope',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/clientId/);
    const after = await api.call<IntegrationAnswer & { clientId: string }>(
      'GET',
      `/api/v1/integrations/${created.id}`,
    );
    expect(after.body.clientId).toBe(sim.clientId);
  });

  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/enable'],
    ['POST', '/disable'],
    ['POST', '/test'],
    ['POST', '/sync'],
  ] as const)('should answer 404 for %s of an unknown integration%s', async (method, suffix) => {
    const { status, body } = await api.call<ErrorAnswer>(
      method,
      `/api/v1/integrations/7b0c9d1e-0000-4000-8000-000000000000${suffix}`,
      method === 'PATCH' ? { name: 'x' } : undefined,
    );
    expect(status).toBe(404);
    expect(body.error.code).toBe('INTEGRATION_NOT_FOUND');
  });

  it('should test a saved connection: every step ok, every permission granted', async () => {
    const { status, body } = await api.call<ConnectionAnswer>(
      'POST',
      `/api/v1/integrations/${created.id}/test`,
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.label).toBe('Connected');
    expect(body.steps.map((s) => [s.name, s.ok])).toEqual([
      ['token', true],
      ['assets', true],
      ['vulnerabilities', true],
      ['alerts', true],
      ['incidents', true],
      ['software', true],
      ['recommendations', true],
      ['entraDevices', true],
    ]);
    // Azure RBAC is not in a token: an Endpoint test cannot tell, and says so.
    expect(body.permissions.filter((p) => p.granted !== true).map((p) => [p.feature, p.granted])).toEqual([
      ['cloudPosture', null],
    ]);
    expect(body.permissions.find((p) => p.feature === 'assets')?.sources).toEqual([
      {
        api: 'WindowsDefenderATP',
        permissions: [
          { name: 'Machine.Read.All', granted: true },
          { name: 'Machine.ReadWrite.All', granted: true },
        ],
      },
    ]);
    expect(Object.values(body.importsAllowed ?? {}).every((on) => on)).toBe(true);
  });

  it('should mark a step the app is not permitted to read as such, not as a failure', async () => {
    await simPost(sim, '/_sim/control', { roles: ['Vulnerability.Read.All'] });
    try {
      const { status, body } = await api.call<ConnectionAnswer>(
        'POST',
        `/api/v1/integrations/${created.id}/test`,
      );
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
      expect(body.label).toMatch(/^Connected — limited: assets need Machine\.Read\.All; /);
      const step = (name: string) => body.steps.find((s) => s.name === name);
      expect(step('token')?.ok).toBe(true);
      expect(step('assets')).toMatchObject({
        ok: true,
        code: 'TEST_STEP_NOT_PERMITTED',
        ms: 0,
        notPermitted: ['assets', 'machineActions'],
      });
      expect(step('assets')?.message).toMatch(/Machine\.Read\.All/);
      expect(step('vulnerabilities')).toMatchObject({ ok: true, notPermitted: [] });
      expect(body.permissions.find((p) => p.feature === 'assets')).toMatchObject({ granted: false });
      expect(body.permissions.find((p) => p.feature === 'findings')?.granted).toBe(true);
      expect(body.importsAllowed).toEqual({
        assets: false,
        vulnerabilities: true,
        alerts: false,
        incidents: false,
        software: false,
        recommendations: false,
        entraDevices: false,
      });

      // Recommendations without Score.Read.All: the list is read, the exposure score is named as not permitted.
      await simPost(sim, '/_sim/control', {
        roles: ['Machine.Read.All', 'Vulnerability.Read.All', 'SecurityRecommendation.Read.All'],
      });
      const noScore = await api.call<ConnectionAnswer>('POST', `/api/v1/integrations/${created.id}/test`);
      const recommendations = noScore.body.steps.find((s) => s.name === 'recommendations');
      expect(recommendations).toMatchObject({ ok: true, notPermitted: ['exposureScore'] });
      expect(recommendations?.message).toBe('Not permitted, not read: exposure score needs Score.Read.All.');
      const row = (feature: string) => noScore.body.permissions.find((p) => p.feature === feature);
      expect([row('recommendations')?.granted, row('exposureScore')?.granted]).toEqual([true, false]);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });

  it('should test unsaved settings without storing anything', async () => {
    const ok = await api.call<ConnectionAnswer>(
      'POST',
      '/api/v1/integrations/test',
      simulatorSettings(sim, {
        name: 'unsaved',
        imports: onlyAssetsAndVulnerabilities,
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.steps.map((s) => s.name)).toEqual(['token', 'assets', 'vulnerabilities']);
    // The whole table, whatever the imports: it says what granting each permission would add.
    expect(ok.body.permissions.map((p) => p.feature)).toEqual([...features]);

    const wrong = await api.call<ConnectionAnswer>(
      'POST',
      '/api/v1/integrations/test',
      simulatorSettings(sim, { name: 'unsaved', clientSecret: otherSecret }),
    );
    expect(wrong.status).toBe(200);
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.steps[0]).toMatchObject({
      name: 'token',
      ok: false,
      code: 'DEFENDER_AUTH_WRONG_SECRET',
    });
    expect(wrong.body.steps.slice(1).every((s) => !s.ok && s.code === 'TEST_STEP_SKIPPED')).toBe(true);
    expect(wrong.body.permissions.every((p) => p.granted === null)).toBe(true);
    expect(wrong.body.label).toMatch(/^Failed: /);

    const invalid = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/integrations/test',
      simulatorSettings(sim, { clientId: 'nope' }),
    );
    expect(invalid.status).toBe(400);
    expect((await api.hub.integrations.list()).map((i) => i.name)).toEqual(['renamed']);
  });

  it('should test a saved integration with unsaved changes: the stored secret used, nothing saved', async () => {
    const test = (changes: Record<string, unknown>) =>
      api.call<ConnectionAnswer>('POST', `/api/v1/integrations/${created.id}/test`, changes);
    const stored = async () =>
      (await api.call<IntegrationAnswer>('GET', `/api/v1/integrations/${created.id}`)).body;
    const settingsOf = ({ credential: _health, ...settings }: IntegrationAnswer) => settings;
    const before = await stored();

    // The edits decide what is read; the stored secret signs in, so what the test learns of it is kept.
    const fewer = await test({
      imports: onlyAssetsAndVulnerabilities,
    });
    expect(fewer.status).toBe(200);
    expect(fewer.body.steps.map((s) => [s.name, s.ok])).toEqual([
      ['token', true],
      ['assets', true],
      ['vulnerabilities', true],
    ]);
    const tested = await stored();
    expect(settingsOf(tested)).toEqual(settingsOf(before));
    expect(tested.credential.checkedAt).not.toBeNull();
    expect(tested.credential.checkedAt).not.toBe(before.credential.checkedAt);

    // A secret typed in the form is the one tried; its refusal says nothing of the stored credential.
    const wrong = await test({ clientSecret: otherSecret });
    expect(wrong.body.steps[0]).toMatchObject({
      name: 'token',
      ok: false,
      code: 'DEFENDER_AUTH_WRONG_SECRET',
    });

    // Without the CA certificate the simulator's certificate is not trusted: null clears it in the draft too.
    const untrusted = await test({ caPem: null });
    expect(untrusted.body.ok).toBe(false);
    expect(untrusted.body.steps[0]).toMatchObject({ name: 'token', ok: false });
    expect(untrusted.body.steps[0]?.message).toMatch(/certificate/i);

    const invalid = await api.call<ErrorAnswer>('POST', `/api/v1/integrations/${created.id}/test`, {
      clientId: 'nope',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_INPUT');
    expect(await stored()).toEqual(tested);

    // The audit log keeps the tests with their bodies, the typed secret masked.
    const audit = await api.call('GET', '/api/v1/audit-log?pageSize=200');
    expect(audit.text).toContain('POST /api/v1/integrations/:id/test');
    expect(audit.text).not.toContain(otherSecret);
  });

  it('should clear a stored CA certificate and hosts with null, back to their defaults', async () => {
    const cleared = await api.call<IntegrationAnswer & { caPem: string | null; graphBaseUrl: string | null }>(
      'PATCH',
      `/api/v1/integrations/${created.id}`,
      { caPem: null, graphBaseUrl: null },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ caPem: null, graphBaseUrl: null });
    const row = await api.hub.data.integrations.find(created.id);
    expect([row?.caPem, row?.graphBaseUrl]).toEqual([null, null]);

    const restored = await api.call<{ caPem: string | null; graphBaseUrl: string | null }>(
      'PATCH',
      `/api/v1/integrations/${created.id}`,
      { caPem: sim.caPem, graphBaseUrl: sim.graphBaseUrl },
    );
    expect(restored.body).toMatchObject({ caPem: sim.caPem, graphBaseUrl: sim.graphBaseUrl });
  });

  it('should delete it', async () => {
    const removed = await api.call('DELETE', `/api/v1/integrations/${created.id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    const gone = await api.call<ErrorAnswer>('GET', `/api/v1/integrations/${created.id}`);
    expect(gone.status).toBe(404);
  });

  it('should never have answered a secret', () => {
    expect(api.bodies.length).toBeGreaterThan(20);
    for (const body of api.bodies) {
      expect(body).not.toContain(sim.clientSecret);
      expect(body).not.toContain(otherSecret);
    }
  });
});
