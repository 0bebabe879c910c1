import { createServer } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db/database.js';
import { dataDirEnv, logRecords, startCli } from './cli.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

interface Ready {
  event: string;
  url: string;
  simulatorUrl: string;
  apiToken: string;
  adminUser: string;
  adminPassword: string;
}

async function getJson(url: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await request(
    url,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  return { status: response.statusCode, body: await response.body.json() };
}

interface SyncRun {
  dataset: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  completeness: string | null;
}

const firstLook = ['machines', 'vulnerabilities', 'findings', 'alerts', 'incidents'];
const catalogs = ['machineActions', 'software', 'recommendations', 'entraDevices'];

/** The latest run of each dataset, once every one of `datasets` has finished (polled; the catalogs take seconds). */
async function finishedRuns(ready: Ready, datasets: readonly string[]): Promise<Map<string, SyncRun>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { body } = await getJson(`${ready.url}/api/v1/sync-runs?pageSize=100`, ready.apiToken);
    const latest = new Map<string, SyncRun>();
    // Newest first: the first of a dataset is its latest.
    for (const run of (body as { items: SyncRun[] }).items)
      if (!latest.has(run.dataset)) latest.set(run.dataset, run);
    if (datasets.every((d) => latest.get(d)?.finishedAt != null)) return latest;
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify([...latest.values()])}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Where a line matching `pattern` first is in the stream's lines (-1: nowhere). */
function lineOf(lines: readonly string[], pattern: RegExp): number {
  return lines.findIndex((line) => pattern.test(line));
}

describe('defender-hub demo', () => {
  it('should print the ready line once the first datasets are in, then sync the catalogs and stop cleanly', async () => {
    const port = await freePort();
    const env = { ...dataDirEnv(), HUB_ADMIN_PASSWORD: 'demo-admin-password' };
    const demo = startCli(['demo', '--port', String(port), '--machines', '50'], env);
    let apiToken: string | undefined;
    try {
      const ready = JSON.parse(await demo.firstLine) as Ready;
      apiToken = ready.apiToken;
      expect(ready).toMatchObject({
        event: 'ready',
        url: `http://127.0.0.1:${port}`,
        adminUser: 'admin',
        adminPassword: 'demo-admin-password',
      });
      expect(ready.simulatorUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.apiToken.length).toBeGreaterThanOrEqual(32);

      const health = await getJson(`${ready.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await getJson(`${ready.url}/api/v1/endpoints`)).status).toBe(401);
      const endpoints = await getJson(`${ready.url}/api/v1/endpoints`, ready.apiToken);
      expect(endpoints.status).toBe(200);
      const page = endpoints.body as { items: unknown[]; total: number };
      expect(page.total).toBeGreaterThan(0);
      expect(page.items.length).toBeGreaterThan(0);

      // The catalogs follow in the background, each in the sync history, all started after the first look ended.
      const runs = await finishedRuns(ready, [...firstLook, ...catalogs]);
      for (const dataset of [...firstLook, ...catalogs]) expect(runs.get(dataset)?.status).toBe('succeeded');
      const firstLookEnd = Math.max(...firstLook.map((d) => Date.parse(runs.get(d)?.finishedAt ?? '')));
      for (const dataset of catalogs)
        expect(Date.parse(runs.get(dataset)?.startedAt ?? '')).toBeGreaterThanOrEqual(firstLookEnd);
      // Software took every CVE list from the findings run before it.
      expect(runs.get('software')?.completeness).toMatch(/CVE lists: (\d+) of \1 products from the findings/);
      const software = await getJson(`${ready.url}/api/v1/software`, ready.apiToken);
      expect((software.body as { total: number }).total).toBeGreaterThan(0);
      // The integration has the demo's schedules.
      const integrations = await getJson(`${ready.url}/api/v1/integrations`, ready.apiToken);
      expect((integrations.body as { items: unknown[] }).items).toContainEqual(
        expect.objectContaining({
          name: 'demo',
          schedules: expect.objectContaining({ alerts: 1, incidents: 1, machines: 5 }) as unknown,
        }),
      );
    } finally {
      demo.child.kill('SIGTERM');
    }
    const exit = await demo.exit;
    expect(exit.code, exit.stderr).toBe(0);
    // stdout holds the ready line only; the rest went to stderr.
    expect(exit.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(exit.stderr).not.toContain('demo-admin-password');
    // On stderr, in order: the first look's results, the sign-in line (written just before the ready line), then
    // the catalogs' results and the hand-over to the schedules.
    const lines = exit.stderr.split('\n');
    const signIn = lineOf(lines, /^Sign in at /);
    expect(signIn).toBeGreaterThan(0);
    for (const dataset of firstLook) {
      const at = lineOf(lines, new RegExp(`^demo ${dataset}: succeeded`));
      expect(at, dataset).toBeGreaterThanOrEqual(0);
      expect(at, dataset).toBeLessThan(signIn);
    }
    for (const dataset of catalogs)
      expect(lineOf(lines, new RegExp(`^demo ${dataset}: succeeded`)), dataset).toBeGreaterThan(signIn);
    expect(
      lineOf(lines, /^Background sync done \(machineActions, software, recommendations, entraDevices\)/),
    ).toBeGreaterThan(signIn);
    // Log records are JSON on stderr, as `serve` writes them on stdout: the server's, the scheduler's.
    const records = logRecords(lines.filter((line) => line.startsWith('{')));
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'incoming request',
        req: expect.objectContaining({ url: '/healthz' }) as unknown,
      }),
    );
    expect(apiToken).toBeDefined();
    expect(exit.stderr).not.toContain(apiToken);
  });

  it('should stop cleanly on Ctrl+C while the catalogs sync, leaving no run marked running', async () => {
    const port = await freePort();
    const env = dataDirEnv();
    const demo = startCli(['demo', '--port', String(port), '--machines', '50'], env);
    try {
      await demo.firstLine;
    } finally {
      demo.child.kill('SIGINT');
    }
    const exit = await demo.exit;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).not.toMatch(/\[STOP_FAILED\]/);
    // Once stopping, no catalog run starts: only the one under way may still end, cancelled or not.
    const lines = exit.stderr.split('\n');
    const stopping = lineOf(lines, /^Stopping \(SIGINT\)/);
    expect(stopping).toBeGreaterThan(0);
    expect(
      lines.slice(stopping).filter((line) => /^demo \w+: succeeded/.test(line)).length,
    ).toBeLessThanOrEqual(1);
    const store = openStore(`sqlite:${join(env.HUB_DATA_DIR ?? '', 'defender-hub.db')}`);
    try {
      const runs = await store.db.selectFrom('sync_runs').select(['dataset', 'status']).execute();
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      // The first look was in before the ready line; what followed either finished or was cancelled.
      for (const dataset of firstLook)
        expect(runs.find((r) => r.dataset === dataset)?.status, dataset).toBe('succeeded');
      expect(runs.every((r) => r.status === 'succeeded' || r.status === 'cancelled')).toBe(true);
    } finally {
      await store.close();
    }
  });
});
