import { request as httpsRequest } from 'node:https';
import { describe, expect, it } from 'vitest';
import { GRAPH, SimHarness, type ODataPage } from './helpers.js';

const harness = await SimHarness.start({
  machines: 500,
  seed: 41,
  findingsPerMachine: 10,
  retryAfterSeconds: 3,
  slowMs: 300,
});
const token = await harness.token();

const queue = (fault: string, path: string, count = 1): Promise<unknown> =>
  harness.post('/_sim/faults', { queue: [{ fault, path, count }] });

/** Status and the number of body bytes that arrived before the connection ended (or broke). */
function rawGet(path: string): Promise<{ status: number; bytes: number; broken: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${harness.sim.url}${path}`,
      { ca: harness.sim.caPem, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, bytes, broken: false });
        });
        res.on('error', () => {
          resolve({ status: res.statusCode ?? 0, bytes, broken: true });
        });
        res.on('aborted', () => {
          resolve({ status: res.statusCode ?? 0, bytes, broken: true });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('queued faults', () => {
  it('should answer the next queued requests 429 with Retry-After, then normally', async () => {
    await queue('429', '/api/machines', 2);
    for (let i = 0; i < 2; i++) {
      const reply = await harness.call('/api/machines?$top=1', { token });
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('3');
      expect(JSON.parse(reply.text)).toMatchObject({
        error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 3 seconds.' },
      });
    }
    expect((await harness.call('/api/machines?$top=1', { token })).status).toBe(200);
  });

  it('should send Graph-shaped 429s on Graph and 503s with Retry-After', async () => {
    await queue('429', '/v1.0/security');
    const graph = await harness.call('/v1.0/security/incidents', { token: await harness.token(GRAPH) });
    expect(graph.status).toBe(429);
    expect(JSON.parse(graph.text)).toMatchObject({ error: { code: 'TooManyRequests', innerError: {} } });
    await queue('503', '/api/alerts');
    const unavailable = await harness.call('/api/alerts', { token });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('3');
  });

  it('should break the body mid-way on reset, after the status and headers', async () => {
    await queue('reset', '/api/machines');
    const cut = await rawGet('/api/machines');
    expect(cut.status).toBe(200);
    expect(cut.broken).toBe(true);
    expect(cut.bytes).toBeGreaterThan(0);
    const whole = await rawGet('/api/machines');
    expect(whole.broken).toBe(false);
    expect(cut.bytes).toBeLessThan(whole.bytes);
  });

  it('should corrupt the first record on a queued malformed and keep the page valid JSON', async () => {
    await queue('malformed', '/api/machines');
    const page = await harness.json<ODataPage>('/api/machines?$top=20', token);
    const [first, ...rest] = page.value;
    const damaged =
      first?.id === undefined ||
      first.lastSeen === 'not-a-timestamp' ||
      first.firstSeen === 'not-a-timestamp' ||
      typeof first.ipAddresses === 'string';
    expect(damaged).toBe(true);
    expect(rest.every((m) => typeof m.id === 'string')).toBe(true);
  });

  it('should return 401 for a valid token on expire-token, and slow answers down on slow', async () => {
    await queue('expire-token', '/api/machines');
    const expired = await harness.call('/api/machines?$top=1', { token });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer /);
    await queue('slow', '/api/alerts');
    const started = performance.now();
    expect((await harness.call('/api/alerts?$top=1', { token })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('should serve an empty export file on empty-file, and cut a gzip download on reset', async () => {
    const files = await harness.json<{ exportFiles: string[] }>(
      '/api/machines/SoftwareVulnerabilitiesExport',
      token,
    );
    const blob = files.exportFiles[0] ?? '';
    await queue('empty-file', '/_blob/');
    const empty = await harness.call(blob);
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('');
    await queue('reset', '/_blob/');
    const cut = await rawGet(blob.slice(harness.sim.url.length));
    expect(cut).toMatchObject({ status: 200, broken: true });
    const stats = await harness.json<{ blobDownloads: Record<string, number> }>('/_sim/stats');
    expect(stats.blobDownloads).toMatchObject({ started: 1, aborted: 1 });
  });

  it('should trickle a body so the first bytes arrive long before the last', async () => {
    await queue('trickle', '/api/machines/SoftwareVulnerabilitiesByMachine');
    const started = performance.now();
    const response = await harness.agent.request({
      origin: harness.sim.url,
      path: '/api/machines/SoftwareVulnerabilitiesByMachine?pageSize=2000',
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    let firstByte = 0;
    let text = '';
    for await (const chunk of response.body) {
      if (firstByte === 0) firstByte = performance.now() - started;
      text += (chunk as Buffer).toString('utf8');
    }
    const total = performance.now() - started;
    expect(total).toBeGreaterThan(2000);
    expect(firstByte).toBeLessThan(total / 2);
    expect((JSON.parse(text) as ODataPage).value).toHaveLength(2000);
  });

  it('should count injected faults in the stats', async () => {
    const stats = await harness.json<{
      faults: Record<string, number>;
      requests: { byRoute: Record<string, Record<string, number>> };
    }>('/_sim/stats');
    expect(stats.faults['429']).toBe(3);
    expect(stats.faults.reset).toBe(2);
    expect(stats.requests.byRoute['GET /api/machines']?.['429']).toBe(2);
  });
});

describe('probabilistic faults', () => {
  it('should corrupt single records at the malformed rate and leave the rest intact', async () => {
    await harness.post('/_sim/faults', { spec: 'malformed:0.05' });
    try {
      const { value } = await harness.json<ODataPage>('/api/machines', token);
      const broken = value.filter(
        (m) =>
          typeof m.id !== 'string' ||
          m.lastSeen === 'not-a-timestamp' ||
          m.firstSeen === 'not-a-timestamp' ||
          typeof m.ipAddresses === 'string',
      );
      expect(value).toHaveLength(500);
      expect(broken.length).toBeGreaterThan(5);
      expect(broken.length).toBeLessThan(60);
    } finally {
      await harness.post('/_sim/faults', { clear: true });
    }
  });

  it('should draw the same faults for the same seed and request sequence', async () => {
    const statuses = async (): Promise<number[]> => {
      const sim = await SimHarness.open({ machines: 10, seed: 7, faults: '500:0.3,503:0.2' });
      try {
        const simToken = await sim.token();
        const seen: number[] = [];
        for (let i = 0; i < 25; i++) seen.push((await sim.call('/api/machines', { token: simToken })).status);
        return seen;
      } finally {
        await sim.close();
      }
    };
    const [a, b] = await Promise.all([statuses(), statuses()]);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([200, 500, 503]));
  });

  it('should refuse a bad spec on the control route', async () => {
    const reply = await harness.call('/_sim/faults', {
      method: 'POST',
      body: JSON.stringify({ spec: 'meteor:0.1' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("Unknown fault kind 'meteor'");
  });
});
