import { beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simPost, useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi, type TestApi } from './api-harness.js';
import { datasetNames as allDatasetNames } from '../../src/domain/datasets.js';
import { cloudDatasetNames } from '../support/datasets.js';
import { parseSeverity, riskLevels, severityLevels } from '../../src/domain/levels.js';
import { databaseOf } from '../../src/store/testing.js';

/** An endpoint integration's datasets (the cloud ones run for cloud integrations only). */
const datasetNames = allDatasetNames.filter((d) => !cloudDatasetNames.includes(d));

interface Page<T> {
  items: T[];
  total: number;
}
interface SyncRun {
  id: number;
  dataset: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  upserted: number;
  removed: number;
  skipped: number;
  errorCode: string | null;
  errorMessage: string | null;
  notPermitted: string[];
}
interface DatasetStatus {
  dataset: string;
  lastRun: Omit<SyncRun, 'dataset'> | null;
  lastSuccessAt: string | null;
}
interface IntegrationStatus {
  id: string;
  name: string;
  enabled: boolean;
  state: string;
  label: string;
  credentialExpiresAt: string | null;
  datasets: DatasetStatus[];
}
interface Dashboard {
  endpointsByRisk: Record<string, number>;
  openFindingsBySeverity: Record<string, number>;
  alertsBySeverity: Record<string, number>;
  topPatches: unknown[];
  integrations: IntegrationStatus[];
}
type Check =
  | { ok: true; expression: string; matchingPatches?: number }
  | { ok: false; error: { line: number; column: number; message: string } };

const sim = await useSimulator({ machines: 120, seed: 93, findingsPerMachine: 6 });

/** What the status shows of a run the sync answered. */
const shown = (run: SyncRun): Omit<SyncRun, 'dataset'> => ({
  id: run.id,
  status: run.status,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  upserted: run.upserted,
  removed: run.removed,
  skipped: run.skipped,
  errorCode: run.errorCode,
  errorMessage: run.errorMessage,
  notPermitted: run.notPermitted,
});

describe.each(dialects)('dashboard and integration status API on %s', (dialect) => {
  let api: TestApi;
  let viewer: string;
  let id: string;
  /** The runs of the first full sync, by dataset. */
  let synced: Map<string, SyncRun>;
  /** An integration whose every run fails: its secret is wrong. */
  let wrongId: string;

  const get = async <T>(url: string, token?: string): Promise<T> => {
    const { status, body, text } = await api.call<T>(
      'GET',
      url,
      undefined,
      token === undefined ? {} : { token },
    );
    expect(status, text).toBe(200);
    return body;
  };
  const total = async (url: string): Promise<number> =>
    (await get<Page<unknown>>(`${url}${url.includes('?') ? '&' : '?'}pageSize=1`)).total;
  const statusOf = async (integrationId: string): Promise<IntegrationStatus> => {
    const { items } = await get<{ items: IntegrationStatus[] }>('/api/v1/integrations/status', viewer);
    const item = items.find((i) => i.id === integrationId);
    if (item === undefined) throw new Error(`no status for ${integrationId}`);
    return item;
  };
  const sync = async (integrationId: string, body: object = {}): Promise<SyncRun[]> => {
    const answer = await api.syncNow(integrationId, body);
    expect(answer.status, answer.text).toBe(dialect === 'sqlite' ? 200 : 202);
    return answer.body.runs;
  };
  const validate = (body: object) => api.call<Check>('POST', '/api/v1/patch-strategies/validate', body);

  beforeAll(async () => {
    api = await useApi(dialect);
    viewer = await api.tokenFor('viewer');
    id = (await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim))).body.id;
    const runs = await sync(id);
    expect(runs.map((r) => r.status)).toEqual(datasetNames.map(() => 'succeeded'));
    synced = new Map(runs.map((r) => [r.dataset, r]));
  });

  describe('GET /api/v1/integrations/status', () => {
    it("should show a synced integration connected, to a viewer, with each dataset's latest run", async () => {
      const status = await statusOf(id);
      expect(status).toMatchObject({
        name: 'simulated',
        enabled: true,
        state: 'connected',
        label: 'Connected',
      });
      expect(status.datasets).toEqual(
        datasetNames.map((dataset) => {
          const run = synced.get(dataset)!;
          return { dataset, lastRun: shown(run), lastSuccessAt: run.finishedAt };
        }),
      );
      const integration = await get<{ credential: { expiresAt: string | null } }>(
        `/api/v1/integrations/${id}`,
      );
      expect(integration.credential.expiresAt).not.toBeNull();
      expect(status.credentialExpiresAt).toBe(integration.credential.expiresAt);
    });

    it('should say Disabled, then Not synced yet, listing only the datasets the integration imports', async () => {
      const created = await api.call<{ id: string }>(
        'POST',
        '/api/v1/integrations',
        simulatorSettings(sim, { name: 'idle', enabled: false, imports: { alerts: false, software: false } }),
      );
      expect(created.status).toBe(201);
      const disabled = await statusOf(created.body.id);
      expect(disabled).toMatchObject({
        enabled: false,
        state: 'disabled',
        label: 'Disabled',
        credentialExpiresAt: null,
      });
      expect(disabled.datasets).toEqual(
        datasetNames
          .filter((d) => d !== 'alerts' && d !== 'software')
          .map((dataset) => ({ dataset, lastRun: null, lastSuccessAt: null })),
      );
      await api.call('POST', `/api/v1/integrations/${created.body.id}/enable`);
      expect(await statusOf(created.body.id)).toMatchObject({ state: 'notSynced', label: 'Not synced yet' });
    });

    it('should be failing with the newest failed run’s message when the secret is wrong, and Disabled once disabled', async () => {
      const created = await api.call<{ id: string }>(
        'POST',
        '/api/v1/integrations',
        simulatorSettings(sim, { name: 'wrong secret', clientSecret: 'not-the-secret' }),
      );
      wrongId = created.body.id;
      const runs = await sync(wrongId);
      expect(runs.every((r) => r.status === 'failed' && r.errorMessage !== null)).toBe(true);
      const newest = await get<Page<SyncRun>>(
        `/api/v1/sync-runs?integration=${wrongId}&status=failed&pageSize=1`,
      );
      // Datasets that do not read each other's results run side by side: the newest run is the last started.
      expect(newest.items[0]!.id).toBe(Math.max(...runs.map((r) => r.id)));
      const status = await statusOf(wrongId);
      expect(status).toMatchObject({ state: 'failing', label: `Failing: ${newest.items[0]!.errorMessage!}` });
      expect(status.datasets.map((d) => d.lastRun)).toEqual(runs.map(shown));
      expect(status.datasets.every((d) => d.lastSuccessAt === null)).toBe(true);

      await api.call('POST', `/api/v1/integrations/${wrongId}/disable`);
      expect(await statusOf(wrongId)).toMatchObject({ state: 'disabled', label: 'Disabled' });
    });

    it('should not fail a dataset for a run still running or interrupted, and show that run as the latest', async () => {
      const runs = api.hub.data.syncRuns;
      const runId = await runs.start(id, 'alerts', new Date().toISOString(), 'a-test');
      const alertsOf = async () => (await statusOf(id)).datasets.find((d) => d.dataset === 'alerts')!;
      let status = await statusOf(id);
      expect(status.state).toBe('connected');
      expect(await alertsOf()).toMatchObject({
        lastRun: { id: runId, status: 'running', finishedAt: null },
        lastSuccessAt: synced.get('alerts')!.finishedAt,
      });
      await runs.failInterrupted([runId], new Date().toISOString());
      status = await statusOf(id);
      expect(status).toMatchObject({ state: 'connected', label: 'Connected' });
      expect((await alertsOf()).lastRun).toMatchObject({
        id: runId,
        status: 'failed',
        errorCode: 'SYNC_INTERRUPTED',
      });
    });

    it('should be failing while one dataset fails on Defender’s errors, and connected again once it succeeds', async () => {
      await simPost(sim, '/_sim/faults', {
        queue: [{ fault: '500', path: '/v1.0/security/alerts_v2', count: 100 }],
      });
      let failed: SyncRun[];
      try {
        failed = await sync(id, { dataset: 'alerts' });
      } finally {
        await simPost(sim, '/_sim/faults', { clear: true });
      }
      expect(failed.map((r) => r.status)).toEqual(['failed']);
      const status = await statusOf(id);
      expect(status).toMatchObject({ state: 'failing', label: `Failing: ${failed[0]!.errorMessage!}` });
      expect(status.datasets.filter((d) => d.lastRun?.status !== 'succeeded').map((d) => d.dataset)).toEqual([
        'alerts',
      ]);
      // A run cut short after the failure hides it no more than it fails a dataset.
      const runs = api.hub.data.syncRuns;
      await runs.failInterrupted(
        [await runs.start(id, 'alerts', new Date().toISOString(), 'a-test')],
        new Date().toISOString(),
      );
      expect(await statusOf(id)).toMatchObject({ state: 'failing', label: status.label });
      const again = await sync(id, { dataset: 'alerts' });
      expect(again.map((r) => r.status)).toEqual(['succeeded']);
      expect(await statusOf(id)).toMatchObject({ state: 'connected', label: 'Connected' });
    });
  });

  describe('GET /api/v1/dashboard', () => {
    /** Open findings with a CVE per severity, counted here from the stored rows. */
    async function storedOpenFindings(integrationId?: string): Promise<Record<string, number>> {
      let query = databaseOf(api.hub.data)
        .selectFrom('findings')
        .select('severity')
        .where('status', '=', 'open')
        .where('cve_id', 'is not', null);
      if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
      const counts: Record<string, number> = Object.fromEntries(severityLevels.map((s) => [s, 0]));
      for (const { severity } of await query.execute()) {
        const key = parseSeverity(severity) ?? 'Unknown';
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    }

    /** Checks each count against the list routes (and the stored findings), with the same filter. */
    async function expectCountsOfListRoutes(dashboard: Dashboard, filter: string): Promise<void> {
      expect(Object.keys(dashboard.endpointsByRisk)).toEqual([...riskLevels]);
      for (const level of riskLevels)
        expect(dashboard.endpointsByRisk[level], level).toBe(
          await total(`/api/v1/endpoints?riskLevel=${level}${filter}`),
        );
      for (const [severity, n] of Object.entries(dashboard.alertsBySeverity)) {
        const all = await total(`/api/v1/alerts?severity=${severity}${filter}`);
        const resolved = await total(`/api/v1/alerts?severity=${severity}&status=resolved${filter}`);
        expect(n, severity).toBe(all - resolved);
      }
      // Every alert not resolved is in some bucket, whatever its severity.
      const active =
        (await total(`/api/v1/alerts?${filter}`)) - (await total(`/api/v1/alerts?status=resolved${filter}`));
      expect(Object.values(dashboard.alertsBySeverity).reduce((a, n) => a + n, 0)).toBe(active);
      const patches = await get<Page<unknown>>(`/api/v1/patches?pageSize=5${filter}`);
      expect(dashboard.topPatches).toEqual(patches.items);
    }

    it('should count what the list routes list, over every integration, for a viewer', async () => {
      const dashboard = await get<Dashboard>('/api/v1/dashboard', viewer);
      await expectCountsOfListRoutes(dashboard, '');
      expect(dashboard.openFindingsBySeverity).toEqual(await storedOpenFindings());
      expect(dashboard.integrations).toEqual(
        (await get<{ items: IntegrationStatus[] }>('/api/v1/integrations/status')).items,
      );
      // Otherwise the comparisons above would prove little.
      expect(Object.values(dashboard.endpointsByRisk).filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(Object.values(dashboard.openFindingsBySeverity).filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(Object.values(dashboard.alertsBySeverity).filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(await total('/api/v1/alerts?status=resolved')).toBeGreaterThan(0);
      expect(dashboard.topPatches).toHaveLength(5);
    });

    it('should narrow every part to one integration', async () => {
      const filtered = await get<Dashboard>(`/api/v1/dashboard?integration=${id}`);
      await expectCountsOfListRoutes(filtered, `&integration=${id}`);
      expect(filtered.openFindingsBySeverity).toEqual(await storedOpenFindings(id));
      expect(filtered.integrations.map((i) => i.id)).toEqual([id]);

      const empty = await get<Dashboard>(`/api/v1/dashboard?integration=${wrongId}`);
      await expectCountsOfListRoutes(empty, `&integration=${wrongId}`);
      expect(empty.openFindingsBySeverity).toEqual(await storedOpenFindings(wrongId));
      const counts = [empty.endpointsByRisk, empty.openFindingsBySeverity, empty.alertsBySeverity];
      expect(counts.flatMap((c) => Object.values(c)).every((n) => n === 0)).toBe(true);
      expect(empty.topPatches).toEqual([]);
      expect(empty.integrations.map((i) => [i.id, i.state])).toEqual([[wrongId, 'disabled']]);
    });
  });

  describe('POST /api/v1/patch-strategies/validate with count', () => {
    const expressions = [
      'Defender.SeverityLevel >= "High"',
      'Defender.SeverityLevel >= "Medium" and Endpoint.RiskLevel >= "High"',
      'Endpoint.RiskLevel = "Critical" or Cvss >= 9',
    ];

    it('should count the patches a saved strategy with the expression matches', async () => {
      const patches = await total('/api/v1/patches');
      const counts: number[] = [];
      for (const [i, expression] of expressions.entries()) {
        const saved = await api.call<{ id: number }>('POST', '/api/v1/patch-strategies', {
          name: `s${i}`,
          expression,
        });
        expect(saved.status).toBe(201);
        const matches = await total(`/api/v1/patch-strategies/${saved.body.id}/matches`);
        const { status, body } = await validate({ expression, count: true });
        expect(status).toBe(200);
        expect(body).toMatchObject({ ok: true, matchingPatches: matches });
        const scoped = await validate({ expression, count: true, integration: id });
        expect(scoped.body).toMatchObject({
          matchingPatches: await total(`/api/v1/patch-strategies/${saved.body.id}/matches?integration=${id}`),
        });
        expect((await validate({ expression, count: true, integration: wrongId })).body).toMatchObject({
          matchingPatches: 0,
        });
        counts.push(matches);
      }
      // Each selects some patches and not all of them, so a count of "all" or "none" would be caught.
      for (const n of counts) expect(n > 0 && n < patches, `${n} of ${patches}`).toBe(true);
    });

    it('should leave the count out unless asked, and still locate a mistake', async () => {
      const plain = await validate({ expression: expressions[0] });
      expect(plain.body).toEqual({ ok: true, expression: expressions[0] });
      const bad = await validate({ expression: 'Cvss >= 7 and\n  Endpoint.RiskLevel >', count: true });
      expect(bad.status).toBe(200);
      expect(bad.body).toEqual(
        (await validate({ expression: 'Cvss >= 7 and\n  Endpoint.RiskLevel >' })).body,
      );
      expect(bad.body).toMatchObject({ ok: false, error: { line: 2 } });
      if (bad.body.ok) throw new Error('expected a mistake');
      expect(bad.body.error.column).toBeGreaterThan(1);
    });

    it('should keep both answers of the union, and the new routes, in the OpenAPI document', async () => {
      const doc = await get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/dashboard',
          '/api/v1/integrations/status',
          '/api/v1/patch-strategies/validate',
        ]),
      );
      const validateDoc = JSON.stringify(doc.paths['/api/v1/patch-strategies/validate']);
      expect(validateDoc).toMatch(/"(anyOf|oneOf)"/);
      expect(validateDoc).toContain('matchingPatches');
      expect(validateDoc).toContain('"line"');
    });
  });
});
