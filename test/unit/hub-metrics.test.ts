import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubMetrics, type QueueDepth } from '../../src/metrics/hub-metrics.js';
import type { Integration } from '../../src/domain/integration.js';
import { startMetricsServer, type MetricsServer } from '../../src/metrics/metrics-server.js';
import { parsePrometheusText, samplesOf, sumOf } from '../support/prometheus-text.js';

/** A queue whose answers the test changes between scrapes. */
class FakeQueue {
  depths: QueueDepth[] = [];
  workers = 0;
  failure: Error | undefined;

  depth(): Promise<readonly QueueDepth[]> {
    return this.failure === undefined ? Promise.resolve(this.depths) : Promise.reject(this.failure);
  }

  activeWorkers(): Promise<number> {
    return Promise.resolve(this.workers);
  }
}

/** An integration's credential as listed, but for its end date. */
const credential: Omit<Integration['credential'], 'expiresAt'> = {
  type: 'secret',
  set: true,
  setAt: '2026-01-01T00:00:00.000Z',
  checkedAt: null,
  warnings: [],
};

describe('HubMetrics', () => {
  it('should read the queue at each scrape, and drop a state no longer reported', async () => {
    const metrics = new HubMetrics();
    const queue = new FakeQueue();
    metrics.observeQueue(queue);
    queue.depths = [
      { state: 'created', count: 4, oldestSeconds: 30 },
      { state: 'active', count: 2, oldestSeconds: null },
    ];
    queue.workers = 3;
    let families = parsePrometheusText(await metrics.text());
    const gauge = (family: string): Record<string, number> =>
      Object.fromEntries(samplesOf(families, family).map((s) => [s.labels.state ?? '', s.value]));
    expect(gauge('defender_hub_jobs')).toEqual({ created: 4, active: 2 });
    expect(gauge('defender_hub_jobs_oldest_age_seconds')).toEqual({ created: 30 });
    expect(sumOf(families, 'defender_hub_workers_active')).toBe(3);

    queue.depths = [{ state: 'active', count: 1, oldestSeconds: 5 }];
    queue.workers = 0;
    families = parsePrometheusText(await metrics.text());
    expect(gauge('defender_hub_jobs')).toEqual({ active: 1 });
    expect(gauge('defender_hub_jobs_oldest_age_seconds')).toEqual({ active: 5 });
    expect(samplesOf(families, 'defender_hub_workers_active').map((s) => s.value)).toEqual([0]);
  });

  it('should count a call that got no answer as network_error, and keep hubs apart', async () => {
    const one = new HubMetrics();
    const other = new HubMetrics();
    one.apiCall({
      url: 'https://api/x',
      status: undefined,
      apiClass: 'default',
      ms: 3,
      governorWaitMs: 1500,
    });
    one.apiCall({ url: 'https://api/x', status: 429, apiClass: 'default', ms: 3, governorWaitMs: 0 });
    const families = parsePrometheusText(await one.text());
    expect(
      samplesOf(families, 'defender_hub_defender_api_calls_total').map((s) => [s.labels.status, s.value]),
    ).toEqual([
      ['network_error', 1],
      ['429', 1],
    ]);
    expect(sumOf(families, 'defender_hub_governor_wait_seconds', { suffix: '_sum' })).toBe(1.5);
    expect(
      samplesOf(families, 'defender_hub_governor_wait_seconds', {
        suffix: '_bucket',
        match: { le: '1' },
      }).map((s) => s.value),
    ).toEqual([1]);
    const untouched = parsePrometheusText(await other.text());
    expect(samplesOf(untouched, 'defender_hub_defender_api_calls_total')).toEqual([]);
  });

  it('should time a run from its start to its end, and leave out a credential whose end date is unknown', async () => {
    const metrics = new HubMetrics();
    metrics.observeCredentials({
      list: () =>
        Promise.resolve([
          {
            id: 'known',
            credential: { ...credential, expiresAt: new Date(Date.now() - 2 * 86_400_000).toISOString() },
          },
          { id: 'unknown', credential: { ...credential, expiresAt: null } },
        ]),
    });
    metrics.runFinished({
      integrationId: 'known',
      dataset: 'machines',
      status: 'cancelled',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:42.500Z',
      recordsIn: 7,
      upserted: 5,
      skipped: 2,
    });
    const families = parsePrometheusText(await metrics.text());
    const duration = { match: { dataset: 'machines', outcome: 'cancelled' } };
    expect(sumOf(families, 'defender_hub_sync_run_duration_seconds', { ...duration, suffix: '_sum' })).toBe(
      42.5,
    );
    const days = samplesOf(families, 'defender_hub_credential_days_until_expiry');
    expect(days.map((s) => s.labels.integration)).toEqual(['known']);
    expect(days[0]?.value).toBeCloseTo(-2, 3);
  });
});

describe('startMetricsServer', () => {
  const queue = new FakeQueue();
  const failures: unknown[] = [];
  let server: MetricsServer;
  let base: string;

  beforeAll(async () => {
    const metrics = new HubMetrics();
    metrics.observeQueue(queue);
    queue.depths = [{ state: 'created', count: 9, oldestSeconds: 12 }];
    queue.workers = 2;
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      onError: (error) => failures.push(error),
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('should listen on the port it was given (0: any) and answer GET /metrics in the text format', async () => {
    expect(server.port).toBeGreaterThan(0);
    const answer = await fetch(`${base}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(await answer.text());
    expect(samplesOf(families, 'defender_hub_jobs', { match: { state: 'created' } })[0]?.value).toBe(9);
    expect(sumOf(families, 'defender_hub_workers_active')).toBe(2);
    expect(families.get('process_resident_memory_bytes')?.type).toBe('gauge');
  });

  it('should answer 404 to any other path or method', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/metrics/x'],
      ['GET', '/api/v1/endpoints'],
      ['POST', '/metrics'],
    ] as const) {
      const answer = await fetch(`${base}${path}`, { method });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
  });

  it('should answer 500 when the queue cannot be read, and report why', async () => {
    queue.failure = new Error('database gone');
    try {
      const answer = await fetch(`${base}/metrics`);
      expect(answer.status).toBe(500);
      expect(await answer.text()).not.toContain('database gone');
      expect(failures).toEqual([queue.failure]);
    } finally {
      queue.failure = undefined;
    }
  });

  it('should refuse a port already taken', async () => {
    await expect(
      startMetricsServer({ host: '127.0.0.1', port: server.port, metrics: new HubMetrics() }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
