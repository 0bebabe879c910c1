import { beforeAll, describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { parsePrometheusText, samplesOf, sumOf, type MetricFamily } from '../support/prometheus-text.js';
import { allPages, simulatorSettings, useApi, type TestApi } from './api-harness.js';

interface SyncRunAnswer {
  integrationId: string;
  dataset: string;
  status: string;
  apiCalls: number;
  recordsIn: number;
  upserted: number;
  skipped: number;
}
interface EndpointAnswer {
  id: number;
  machineId: string;
}

type Families = Map<string, MetricFamily>;

const DAY_MS = 86_400_000;
const APPLICATIONS_ROUTE = 'GET /v1.0/applications';
/** Labels whose values are numbers by design: bucket bounds and HTTP codes. */
const numericLabels = new Set(['le', 'quantile', 'status', 'status_code']);

// Retry-After 0: the injected 429s are retried at once.
const sim = await useSimulator({ machines: 12, seed: 47, findingsPerMachine: 2, retryAfterSeconds: 0 });

async function scrape(
  api: TestApi,
  token: string | null,
): Promise<{ status: number; type: string; text: string }> {
  const answer = await api.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: answer.statusCode, type: String(answer.headers['content-type']), text: answer.body };
}

/** `{dataset/outcome: n}` of the matching samples. */
function byDatasetAndOutcome(families: Families, family: string, suffix = ''): Record<string, number> {
  return Object.fromEntries(
    samplesOf(families, family, { suffix }).map((s) => [`${s.labels.dataset}/${s.labels.outcome}`, s.value]),
  );
}

function tally(
  runs: readonly SyncRunAnswer[],
  value: (run: SyncRunAnswer) => number,
  key: (run: SyncRunAnswer) => string,
) {
  const totals: Record<string, number> = {};
  for (const run of runs) totals[key(run)] = (totals[key(run)] ?? 0) + value(run);
  return totals;
}

const applicationReads = (): number =>
  Object.values(sim.control.stats().requests.byRoute[APPLICATIONS_ROUTE] ?? {}).reduce((a, n) => a + n, 0);

describe('GET /metrics after a sync', () => {
  let api: TestApi;
  let viewer: string;
  let integrationId: string;
  let runs: SyncRunAnswer[];
  let endpoints: EndpointAnswer[];
  let families: Families;
  /** Graph reads of the app registration: the credential look that follows a run. */
  let credentialReads = 0;

  beforeAll(async () => {
    api = await useApi('sqlite');
    viewer = await api.tokenFor('viewer');
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim));
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    sim.control.queueFaults([{ fault: '429', path: '/api/machines', count: 2 }]);
    const readsBefore = applicationReads();
    await api.hub.sync.syncIntegration(integrationId);
    // More 503s than attempts: a failed run beside the succeeded ones.
    sim.control.queueFaults([{ fault: '503', path: '/api/machines', count: 3 }]);
    expect((await api.hub.sync.runDataset(integrationId, 'machines')).status).toBe('failed');
    credentialReads = applicationReads() - readsBefore;
    runs = await allPages<SyncRunAnswer>(api, '/api/v1/sync-runs');
    endpoints = await allPages<EndpointAnswer>(api, '/api/v1/endpoints');
    const first = endpoints[0];
    if (first === undefined) throw new Error('the sync stored no endpoint');
    expect((await api.call('GET', `/api/v1/endpoints/${first.id}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/no-such-route/${first.id}`)).status).toBe(404);
    const answer = await scrape(api, viewer);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    families = parsePrometheusText(answer.text);
  });

  it('should count each sync_runs row by integration, dataset and outcome', () => {
    expect(runs.length).toBeGreaterThan(5);
    expect(new Set(runs.map((r) => r.integrationId))).toEqual(new Set([integrationId]));
    const counted = samplesOf(families, 'defender_hub_sync_runs_total');
    expect(counted.every((s) => s.labels.integration === integrationId)).toBe(true);
    const expected = tally(
      runs,
      () => 1,
      (r) => `${r.dataset}/${r.status}`,
    );
    expect(expected).toMatchObject({ 'machines/succeeded': 1, 'machines/failed': 1 });
    expect(byDatasetAndOutcome(families, 'defender_hub_sync_runs_total')).toEqual(expected);
    expect(byDatasetAndOutcome(families, 'defender_hub_sync_run_duration_seconds', '_count')).toEqual(
      expected,
    );
  });

  it('should count the records each dataset read, wrote and skipped', () => {
    const perDataset = (family: string): Record<string, number> =>
      Object.fromEntries(samplesOf(families, family).map((s) => [s.labels.dataset ?? '', s.value]));
    const dataset = (r: SyncRunAnswer): string => r.dataset;
    expect(perDataset('defender_hub_sync_records_read_total')).toEqual(
      tally(runs, (r) => r.recordsIn, dataset),
    );
    expect(perDataset('defender_hub_sync_records_written_total')).toEqual(
      tally(runs, (r) => r.upserted, dataset),
    );
    expect(perDataset('defender_hub_sync_records_skipped_total')).toEqual(
      tally(runs, (r) => r.skipped, dataset),
    );
    expect(sumOf(families, 'defender_hub_sync_records_read_total')).toBeGreaterThan(0);
  });

  it("should count every Defender call, the 429s as status 429, and each call's governor wait", () => {
    const calls = sumOf(families, 'defender_hub_defender_api_calls_total');
    // The runs' calls and the credential look that follows the first run (one Graph read, in no run's count).
    expect(credentialReads).toBe(1);
    expect(calls).toBe(runs.reduce((sum, r) => sum + r.apiCalls, 0) + credentialReads);
    expect(sumOf(families, 'defender_hub_defender_api_calls_total', { match: { status: '429' } })).toBe(2);
    expect(sim.control.stats().faults['429']).toBe(2);
    expect(sumOf(families, 'defender_hub_defender_api_calls_total', { match: { status: '503' } })).toBe(3);
    expect(
      sumOf(families, 'defender_hub_defender_api_calls_total', { match: { status: '200' } }),
    ).toBeGreaterThan(0);
    expect(sumOf(families, 'defender_hub_governor_wait_seconds', { suffix: '_count' })).toBe(calls);
  });

  it('should show the days until the credential expires, as the integration stores the end date', async () => {
    const { body } = await api.call<{ credential: { expiresAt: string } }>(
      'GET',
      `/api/v1/integrations/${integrationId}`,
    );
    const [days] = samplesOf(families, 'defender_hub_credential_days_until_expiry', {
      match: { integration: integrationId },
    });
    expect(days?.value).toBeCloseTo((Date.parse(body.credential.expiresAt) - Date.now()) / DAY_MS, 1);
  });

  it('should time HTTP answers by route pattern, never by the path sent', () => {
    const http = samplesOf(families, 'defender_hub_http_request_duration_seconds', { suffix: '_count' });
    const routes = http.map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status_code}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/integrations 201',
        'GET /api/v1/endpoints/:id 200',
        'GET /api/v1/sync-runs 200',
        'GET unmatched 404',
      ]),
    );
    expect(routes.some((r) => /\/api\/v1\/endpoints\/\d/.test(r))).toBe(false);
  });

  it('should carry no endpoint or machine id in any label', () => {
    const machineIds = new Set(endpoints.map((e) => e.machineId));
    const ours = [...families.values()].filter((f) => f.name.startsWith('defender_hub_'));
    const values = ours.flatMap((f) =>
      f.samples.flatMap((s) => Object.entries(s.labels).filter(([label]) => !numericLabels.has(label))),
    );
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter(([, value]) => machineIds.has(value) || /^\d+$/.test(value))).toEqual([]);
  });

  it('should include the process metrics, and describe each family', () => {
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    const ours = [...families.values()].filter((f) => f.name.startsWith('defender_hub_'));
    expect(ours.every((f) => f.help !== undefined && f.help !== '')).toBe(true);
  });

  it('should answer anonymous callers 401 and any signed-in role 200', async () => {
    const anonymous = await scrape(api, null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    expect((await scrape(api, 'dh_made-up')).status).toBe(401);
    expect((await scrape(api, await api.tokenFor('analyst'))).status).toBe(200);
    expect((await scrape(api, api.admin.token)).status).toBe(200);
  });

  it('should keep scrapes out of the audit log', async () => {
    await scrape(api, viewer);
    const log = await api.call<{ items: { action: string; path?: string }[] }>('GET', '/api/v1/audit-log');
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body.items)).not.toContain('/metrics');
  });
});

describe('GET /metrics with HUB_METRICS_PUBLIC=true', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await useApi('sqlite', { config: { metricsPublic: true } });
  });

  it('should answer without a token, and keep every other route closed', async () => {
    const anonymous = await scrape(api, null);
    expect(anonymous.status).toBe(200);
    const families = parsePrometheusText(anonymous.text);
    // A hub of its own: the other hub's runs are not in this one's registry.
    expect(samplesOf(families, 'defender_hub_sync_runs_total')).toEqual([]);
    expect((await api.call('GET', '/api/v1/endpoints', undefined, { token: null })).status).toBe(401);
    expect((await api.call('GET', '/api/openapi.json', undefined, { token: null })).status).toBe(401);
  });
});
