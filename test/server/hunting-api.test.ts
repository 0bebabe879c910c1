import { beforeAll, describe, expect, it } from 'vitest';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { dialects } from '../support/stores.js';
import { csvObjects } from '../support/csv.js';
import { AWKWARD_QUERY, AWKWARD_VALUES, expectedCsvRecords } from '../support/hunting.js';
import { simulatorSettings, useApi, type TestApi } from './api-harness.js';
import type { TruthMachine } from '../../src/simulator/control.js';
import type { RunningSimulator, SimulatorStats } from '../../src/simulator/index.js';
import { storeOf } from '../../src/store/testing.js';

type Row = Record<string, unknown>;

interface ResultPage {
  resultId: number;
  integrationId: string;
  savedQueryId: number | null;
  query: string;
  timespan: string | null;
  source: string;
  schema: { name: string; type: string }[];
  createdAt: string;
  expiresAt: string;
  total: number;
  page: number;
  pageSize: number;
  items: Row[];
}
interface SavedQuery {
  id: number;
  name: string;
  query: string;
  timespan: string | null;
  description: string | null;
}
interface ErrorAnswer {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const GRAPH_ROUTE = 'POST /v1.0/security/runHuntingQuery';
const BY_PLATFORM = 'DeviceInfo | summarize n = count() by OSPlatform';

const sim = await useSimulator({ machines: 300, seed: 19, findingsPerMachine: 1 });
const truth = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');

function platformCounts(machines: readonly TruthMachine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of machines) counts.set(m.osPlatform, (counts.get(m.osPlatform) ?? 0) + 1);
  return counts;
}

function countsOf(rows: readonly Row[]): Map<string, number> {
  return new Map(rows.map((r) => [String(r.OSPlatform), Number(r.n)]));
}

async function graphCalls(target: RunningSimulator): Promise<number> {
  const stats = await simGet<SimulatorStats>(target, '/_sim/stats');
  return Object.values(stats.requests.byRoute[GRAPH_ROUTE] ?? {}).reduce((sum, n) => sum + n, 0);
}

describe.each(dialects)('advanced hunting API on %s', (dialect) => {
  let api: TestApi;
  let integration: { id: string; name: string };

  const run = (body: unknown) => api.call<ResultPage>('POST', '/api/v1/hunting/query', body);
  const page = (id: number, query: string) =>
    api.call<ResultPage>('GET', `/api/v1/hunting/results/${id}?${query}`);

  beforeAll(async () => {
    api = await useApi(dialect);
    integration = (
      await api.call<{ id: string; name: string }>('POST', '/api/v1/integrations', simulatorSettings(sim))
    ).body;
  });

  it("should answer a run with the first page of a kept result equal to the tenant's truth", async () => {
    const answer = await run({ integration: integration.name, query: BY_PLATFORM, timespan: 'P3650D' });
    expect(answer.status, answer.text).toBe(200);
    const body = answer.body;
    expect(body).toMatchObject({
      integrationId: integration.id,
      savedQueryId: null,
      query: BY_PLATFORM,
      timespan: 'P3650D',
      source: 'graph',
      page: 1,
      pageSize: 100,
    });
    expect(body.schema.map((c) => c.name)).toEqual(['OSPlatform', 'n']);
    expect(countsOf(body.items)).toEqual(platformCounts(truth));
    expect(body.total).toBe(body.items.length);
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(24 * 3600_000);
    const again = await page(body.resultId, 'page=1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(body);
  });

  it('should refuse what the service refuses, and bad input, with clear errors', async () => {
    const unsupported = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', {
      integration: integration.id,
      query: 'DeviceInfo | join kind=inner (AlertInfo) on DeviceId',
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe('HUNTING_QUERY_INVALID');
    expect(unsupported.body.error.message).toMatch(/join/);

    const cases: [unknown, RegExp][] = [
      [{ integration: integration.id }, /query is required/],
      [
        { integration: integration.id, query: 'DeviceInfo', pageSize: 1001 },
        /pageSize must be from 1 to 1,000/,
      ],
      [{ integration: integration.id, query: 'DeviceInfo', top: 5 }, /top/],
      [{ integration: integration.id, query: 'x'.repeat(30_001) }, /at most 30,000/],
    ];
    for (const [body, message] of cases) {
      const refused = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', body);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.error.code).toBe('INVALID_INPUT');
      expect(refused.body.error.message).toMatch(message);
    }
    const nobody = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', {
      integration: 'nobody',
      query: 'DeviceInfo',
    });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe('INTEGRATION_NOT_FOUND');
    const missing = await api.call<ErrorAnswer>('GET', '/api/v1/hunting/results/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'HUNTING_RESULT_NOT_FOUND' });
    expect(missing.body.error.message).toMatch(/kept for 24 hours.*Run the query again/);
    expect((await page(1, 'pageSize=1001')).status).toBe(400);
    expect((await page(1, 'pageSize=5&sort=x')).status).toBe(400);
  });

  it('should page through a kept result of a few hundred rows, every row once and in order, without running it again', async () => {
    const first = await run({
      integration: integration.id,
      query: 'DeviceInfo | project DeviceId, DeviceName | order by DeviceId desc',
      timespan: 'P3650D',
      pageSize: 37,
    });
    expect(first.status, first.text).toBe(200);
    const expected = truth
      .map((m) => ({ DeviceId: m.id, DeviceName: m.computerDnsName ?? '' }))
      .sort((a, b) => (a.DeviceId < b.DeviceId ? 1 : -1));
    expect(expected.length).toBeGreaterThan(250);
    expect(first.body.total).toBe(expected.length);
    expect(first.body.items).toEqual(expected.slice(0, 37));

    const callsBefore = await graphCalls(sim);
    const rows: Row[] = [];
    const pages = Math.ceil(expected.length / 37);
    for (let n = 1; n <= pages; n++) {
      const answer = await page(first.body.resultId, `page=${n}&pageSize=37`);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ total: expected.length, page: n, pageSize: 37 });
      rows.push(...answer.body.items);
    }
    expect(rows).toEqual(expected);
    const past = await page(first.body.resultId, `page=${pages + 1}&pageSize=37`);
    expect(past.body).toMatchObject({ items: [], total: expected.length, page: pages + 1 });
    const whole = await page(first.body.resultId, 'pageSize=1000');
    expect(whole.body.items).toEqual(expected);
    // Paging reads the store: Defender was not asked again.
    expect(await graphCalls(sim)).toBe(callsBefore);
  });

  it('should export a kept result whole: CSV (RFC 4180) that reads back to the JSON rows, quotes, commas and line breaks included', async () => {
    const answer = await run({
      integration: integration.id,
      query: AWKWARD_QUERY,
      timespan: 'P3650D',
      pageSize: 5,
    });
    expect(answer.status, answer.text).toBe(200);
    const { resultId, schema, total } = answer.body;
    expect(total).toBe(truth.length);

    const json = await api.call<Row[]>('GET', `/api/v1/hunting/results/${resultId}/export?format=json`);
    expect(json.status).toBe(200);
    expect(json.text.length).toBeGreaterThan(0);
    expect(json.body).toHaveLength(total);
    expect(json.body.slice(0, 5)).toEqual(answer.body.items);
    expect(json.body.map((r) => r.DeviceId)).toEqual(truth.map((m) => m.id).sort());

    const csv = await api.app.inject({
      method: 'GET',
      url: `/api/v1/hunting/results/${resultId}/export?format=csv`,
      headers: api.authHeaders,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="hunting-result-${resultId}.csv"`);
    const names = schema.map((c) => c.name);
    const records = csvObjects(csv.body);
    expect(Object.keys(records[0] ?? {})).toEqual(names);
    expect(records).toEqual(expectedCsvRecords(names, json.body));
    // The test means something only if the awkward values are there.
    expect(json.body[0]).toMatchObject(AWKWARD_VALUES);
    expect(json.body.some((r) => Array.isArray(r.DeviceManualTags) && r.DeviceManualTags.length > 1)).toBe(
      true,
    );

    const defaulted = await api.app.inject({
      method: 'GET',
      url: `/api/v1/hunting/results/${resultId}/export`,
      headers: api.authHeaders,
    });
    expect(defaulted.body).toBe(csv.body);
    expect((await api.call('GET', `/api/v1/hunting/results/${resultId}/export?format=xml`)).status).toBe(400);
  });

  it('should save, list, show, replace, run and remove hunting queries', async () => {
    const create = (body: unknown) =>
      api.call<SavedQuery & ErrorAnswer>('POST', '/api/v1/hunting/queries', body);
    const saved = await create({
      name: 'by platform',
      query: BY_PLATFORM,
      timespan: 'P3650D',
      description: 'counts',
    });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body).toMatchObject({
      name: 'by platform',
      query: BY_PLATFORM,
      timespan: 'P3650D',
      description: 'counts',
    });
    const other = await create({
      name: '  windows 11  ',
      query: 'DeviceInfo | where OSPlatform == "Windows11" | count',
    });
    expect(other.status).toBe(201);
    expect(other.body).toMatchObject({ name: 'windows 11', timespan: null, description: null });

    const duplicate = await create({ name: 'by platform', query: 'DeviceInfo | take 1' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('HUNTING_SAVED_QUERY_NAME_TAKEN');
    expect(duplicate.body.error.message).toMatch(/"by platform" exists already: choose another name/);
    for (const bad of [
      { name: 'x', query: 'DeviceInfo', owner: 'me' },
      { name: '', query: 'DeviceInfo' },
      { name: 'n'.repeat(201), query: 'DeviceInfo' },
      { name: 'x', query: 'DeviceInfo', description: 'd'.repeat(2001) },
      { name: 'x' },
    ]) {
      const refused = await create(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error.code).toBe('INVALID_INPUT');
    }

    const list = await api.call<{ items: SavedQuery[] }>('GET', '/api/v1/hunting/queries');
    expect(list.body.items.map((q) => q.name)).toEqual(['by platform', 'windows 11']);
    const shown = await api.call<SavedQuery>('GET', `/api/v1/hunting/queries/${saved.body.id}`);
    expect(shown.body).toEqual(saved.body);

    const ran = await api.call<ResultPage>('POST', `/api/v1/hunting/queries/${saved.body.id}/run`, {
      integration: integration.name,
    });
    expect(ran.status, ran.text).toBe(200);
    expect(ran.body).toMatchObject({ savedQueryId: saved.body.id, query: BY_PLATFORM, timespan: 'P3650D' });
    expect(countsOf(ran.body.items)).toEqual(platformCounts(truth));
    const refusedRun = await api.call<ErrorAnswer>('POST', `/api/v1/hunting/queries/${saved.body.id}/run`, {
      integration: integration.id,
      query: 'DeviceInfo',
    });
    expect(refusedRun.status).toBe(400);

    const windows = 'DeviceInfo | where OSPlatform == "Windows11" | summarize n = count() by OSPlatform';
    const replaced = await api.call<SavedQuery>('PUT', `/api/v1/hunting/queries/${saved.body.id}`, {
      name: 'windows by platform',
      query: windows,
      timespan: 'P3650D',
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body).toMatchObject({
      id: saved.body.id,
      name: 'windows by platform',
      query: windows,
      description: null,
    });
    const clash = await api.call<ErrorAnswer>('PUT', `/api/v1/hunting/queries/${saved.body.id}`, {
      name: 'windows 11',
      query: windows,
    });
    expect(clash.status).toBe(409);
    const rerun = await api.call<ResultPage>('POST', `/api/v1/hunting/queries/${saved.body.id}/run`, {
      integration: integration.id,
      pageSize: 1,
    });
    expect(rerun.body.items).toEqual([
      { OSPlatform: 'Windows11', n: truth.filter((m) => m.osPlatform === 'Windows11').length },
    ]);

    expect((await api.call('DELETE', `/api/v1/hunting/queries/${saved.body.id}`)).status).toBe(204);
    for (const [method, url] of [
      ['GET', `/api/v1/hunting/queries/${saved.body.id}`],
      ['DELETE', `/api/v1/hunting/queries/${saved.body.id}`],
      ['POST', `/api/v1/hunting/queries/${saved.body.id}/run`],
    ] as const) {
      const gone = await api.call<ErrorAnswer>(
        method,
        url,
        method === 'POST' ? { integration: integration.id } : undefined,
      );
      expect(gone.status, `${method} ${url}`).toBe(404);
      expect(gone.body.error.code).toBe('HUNTING_SAVED_QUERY_NOT_FOUND');
    }
    // Its results outlive it, no longer linked.
    const kept = await page(ran.body.resultId, 'page=1');
    expect(kept.status).toBe(200);
    expect(kept.body.savedQueryId).toBeNull();
    expect(kept.body.items).toEqual(ran.body.items);
  });

  it('should stop serving a result after 24 hours, and prune it when the next result is stored', async () => {
    const { db } = storeOf(api.hub.data);
    const old = await run({ integration: integration.id, query: 'DeviceInfo | project DeviceId | take 20' });
    expect(old.status).toBe(200);
    const rowsOf = async (id: number) =>
      (await db.selectFrom('hunting_result_rows').select('position').where('result_id', '=', id).execute())
        .length;
    expect(await rowsOf(old.body.resultId)).toBe(20);
    await db
      .updateTable('hunting_results')
      .set({ created_at: new Date(Date.now() - 24 * 3600_000 - 1000).toISOString() })
      .where('id', '=', old.body.resultId)
      .execute();
    const expired = await page(old.body.resultId, 'page=1');
    expect(expired.status).toBe(404);
    expect(
      (await api.call<ErrorAnswer>('GET', `/api/v1/hunting/results/${old.body.resultId}/export`)).status,
    ).toBe(404);

    const next = await run({ integration: integration.id, query: 'DeviceInfo | project DeviceId | take 3' });
    expect(next.status).toBe(200);
    expect(await rowsOf(old.body.resultId)).toBe(0);
    const left = await db
      .selectFrom('hunting_results')
      .select('id')
      .where('id', '=', old.body.resultId)
      .execute();
    expect(left).toEqual([]);
    expect(await rowsOf(next.body.resultId)).toBe(3);
  });

  it('should describe every hunting route in /api/openapi.json', async () => {
    const { body } = await api.call<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/openapi.json',
    );
    const routes = Object.entries(body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.filter((r) => r.includes('/hunting/')).sort()).toEqual([
      'DELETE /api/v1/hunting/queries/{id}',
      'GET /api/v1/hunting/queries',
      'GET /api/v1/hunting/queries/{id}',
      'GET /api/v1/hunting/results/{id}',
      'GET /api/v1/hunting/results/{id}/export',
      'POST /api/v1/hunting/queries',
      'POST /api/v1/hunting/queries/{id}/run',
      'POST /api/v1/hunting/query',
      'PUT /api/v1/hunting/queries/{id}',
    ]);
    const exportRoute = body.paths['/api/v1/hunting/results/{id}/export']?.get;
    expect(JSON.stringify(exportRoute)).toContain('text/csv');
  });

  it('should give 503 HUNTING_QUOTA_EXCEEDED, saying what to do, once the CPU quota is spent, and keep nothing', async () => {
    const { db } = storeOf(api.hub.data);
    const results = async () => (await db.selectFrom('hunting_results').select('id').execute()).length;
    await simPost(sim, '/_sim/hunting', { cpuRowsPerMinute: 10 });
    try {
      // Checked before a query runs and charged after: the first one overdraws the quota.
      expect((await run({ integration: integration.id, query: 'DeviceInfo | count' })).status).toBe(200);
      const before = await results();
      const refused = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', {
        integration: integration.id,
        query: 'DeviceInfo | count',
      });
      expect(refused.status, refused.text).toBe(503);
      expect(refused.body.error.code).toBe('HUNTING_QUOTA_EXCEEDED');
      expect(refused.body.error.message).toMatch(/CPU quota .* used up/);
      expect(refused.body.error.message).toMatch(/Wait, then run narrower queries/);
      expect(refused.body.error.details?.quota).toBe('cpu');
      expect(refused.body.error.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(await results()).toBe(before);
    } finally {
      await simPost(sim, '/_sim/hunting', { cpuRowsPerMinute: null });
    }
  });
});

// A simulator per database: the call quota is the tenant's, and each describe spends all of it.
const limited = {
  sqlite: await useSimulator({ machines: 5, seed: 23, rateLimits: true }),
  postgres: await useSimulator({ machines: 5, seed: 24, rateLimits: true }),
};

describe.each(dialects)('the 46th hunting call in a minute on %s', (dialect) => {
  it('should be a 503 HUNTING_QUOTA_EXCEEDED that says when to try again, once the client will not wait that long', async () => {
    // By default the client waits out the Retry-After (up to a minute) and the call succeeds; a caller that
    // cannot wait that long gets the quota error at once.
    const api = await useApi(dialect, { retry: { maxElapsedMs: 1000 }, governor: { limitScale: 1 } });
    const target = limited[dialect];
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(target));
    const body = { integration: created.body.id, query: 'DeviceInfo | count' };
    for (let n = 1; n <= 45; n++) {
      const answer = await api.call('POST', '/api/v1/hunting/query', body);
      expect(answer.status, `call ${n}: ${answer.text}`).toBe(200);
    }
    const refused = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', body);
    expect(refused.status, refused.text).toBe(503);
    expect(refused.body.error.code).toBe('HUNTING_QUOTA_EXCEEDED');
    expect(refused.body.error.message).toMatch(/45 queries a minute/);
    expect(refused.body.error.message).toMatch(
      /It frees up in about \d+ s\. Run fewer queries, or wait a minute/,
    );
    expect(refused.body.error.details?.quota).toBe('calls');
    const wait = Number(refused.body.error.details?.retryAfterSeconds);
    expect(wait >= 1 && wait <= 60).toBe(true);
    // The tenant's budget refused the 46th before it was sent: the service never had to answer 429.
    expect(await graphCalls(target)).toBe(45);
  });
});
