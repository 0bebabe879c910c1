import { afterAll, describe, expect, it } from 'vitest';
import { SyncJobQueue, jobSchemaBeside, type JobQueueTuning } from '../../src/jobs/sync-job-queue.js';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import type { Store } from '../../src/store/db/database.js';
import { addSimulatorIntegration, hubOn } from '../support/hub.js';
import { useSimulator } from '../support/simulator.js';
import { freshStore } from '../support/stores.js';
import { simGet } from '../support/simulator.js';
import { until } from '../support/wait.js';
import { parsePrometheusText, sumOf } from '../support/prometheus-text.js';
import { createServer } from 'node:net';
import { dataDirEnv, expectOneClearLine, logRecords, runCli, startCli } from './cli.js';

/** Quick engine settings, for the processes (HUB_JOB_*) and for the queue in the test alike. */
const quick: JobQueueTuning = {
  heartbeatSeconds: 10,
  superviseSeconds: 1,
  pollSeconds: 1,
  retryDelaySeconds: 1,
};
const quickEnv = { HUB_JOB_HEARTBEAT_SECONDS: '10', HUB_JOB_RETRY_DELAY_SECONDS: '1' };

/** A PostgreSQL store, the environment a `worker` process needs to share it, and the job queue beside it. */
async function sharedStore(): Promise<{ store: Store; env: NodeJS.ProcessEnv; queue: SyncJobQueue }> {
  const { store, url, schema, dispose } = await freshStore('postgres');
  afterAll(dispose);
  const queue = new SyncJobQueue({ connectionString: url, schema: jobSchemaBeside(schema!), tuning: quick });
  afterAll(() => queue.close());
  const env = {
    ...dataDirEnv(),
    ...quickEnv,
    // The CLI has no schema option: the connection's search_path puts it in this test's schema.
    DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema ?? ''}`)}`,
    // hubOn's master key (32 bytes of 7), which sealed the integration's secret.
    HUB_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  return { store, env, queue };
}

const firstPage = { page: 1, pageSize: 50 };

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('defender-hub worker', () => {
  it('should log what it ran as JSON lines, as serve does', async () => {
    const { store, env, queue } = await sharedStore();
    const hub = hubOn(store);
    const sim = await useSimulator({ machines: 5, seed: 91 });
    const integration = await addSimulatorIntegration(hub, sim);
    await queue.enqueue(integration.id, 'alerts');

    const result = await runCli(['worker', '--once'], env);
    expect(result.code, result.stderr).toBe(0);
    const records = logRecords(result.stdout.trimEnd().split('\n'));
    expect(records).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'sync job done: alerts',
        integrationId: integration.id,
        dataset: 'alerts',
      }),
      expect.objectContaining({ level: 30, msg: 'ran 1 job(s)', jobs: 1 }),
    ]);
    expect(result.stdout + result.stderr).not.toContain(sim.clientSecret);

    // LOG_LEVEL applies as it does to serve.
    const quiet = await runCli(['worker', '--once'], { ...env, LOG_LEVEL: 'warn' });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('should hand the job of a worker killed mid-sync to another, which stores what the tenant holds', async () => {
    const { store, env, queue } = await sharedStore();
    const hub = hubOn(store);
    // The findings' first page waits 60 s: the worker is killed while it waits.
    const sim = await useSimulator({ machines: 300, seed: 92, findingsPerMachine: 8, slowMs: 60_000 });
    const integration = await addSimulatorIntegration(hub, sim);
    sim.control.queueFaults([
      { fault: 'slow', path: '/api/machines/SoftwareVulnerabilitiesByMachine', count: 1 },
    ]);
    await queue.enqueue(integration.id, 'machines');
    const doomed = startCli(['worker'], env);
    afterAll(() => doomed.child.kill('SIGKILL'));
    await until(() => sim.control.faults().queue.length === 0, 60_000);
    doomed.child.kill('SIGKILL');
    await doomed.exit;
    const killedAt = Date.now();

    const worker = new SyncWorker(queue, hub.sync);
    await worker.start();
    await until(
      async () => (await queue.list({ state: 'completed', dataset: 'findings' }, firstPage)).total === 1,
      60_000,
    );
    await worker.stop();
    // The heartbeat timeout (10 s), a second of supervision and of back-off, and the run itself.
    expect(Date.now() - killedAt).toBeLessThan(40_000);
    const truth = await simGet<{ findings: number }>(sim, '/_sim/truth/summary');
    const open = await hub.db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integration.id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(open.n).toBe(truth.findings);
    const runs = await hub.data.syncRuns.list(
      { integrationId: integration.id, dataset: 'findings' },
      firstPage,
    );
    // The killed run, recorded as interrupted by the next one, and the one that finished the job.
    expect(runs.items.map((r) => r.status)).toEqual(['succeeded', 'failed']);
    expect(runs.items[1]?.errorMessage).toMatch(/interrupted|stopped|died/i);
  }, 120_000);

  it('should give its job back at once on SIGTERM and exit within seconds', async () => {
    const { store, env, queue } = await sharedStore();
    const hub = hubOn(store);
    const sim = await useSimulator({ machines: 20, seed: 93, slowMs: 60_000 });
    const integration = await addSimulatorIntegration(hub, sim);
    sim.control.queueFaults([{ fault: 'slow', path: '/api/machines', count: 1 }]);
    await queue.enqueue(integration.id, 'machines');
    const metricsPort = await freePort();
    const worker = startCli(['worker', '--concurrency', '2', '--metrics-port', String(metricsPort)], env);
    // Left running should an expectation fail before its SIGTERM.
    afterAll(() => worker.child.kill('SIGKILL'));
    await until(() => sim.control.faults().queue.length === 0, 60_000);
    // Its metrics see the job it runs and, once its next heartbeat is in, itself among the workers.
    const scrape = async () => {
      const answer = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(answer.status).toBe(200);
      return parsePrometheusText(await answer.text());
    };
    expect(sumOf(await scrape(), 'defender_hub_jobs', { match: { state: 'active' } })).toBe(1);
    await until(async () => sumOf(await scrape(), 'defender_hub_workers_active') === 1, 25_000, 500);
    const stopping = Date.now();
    worker.child.kill('SIGTERM');
    const result = await worker.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(logRecords(result.stdout.trimEnd().split('\n'))).toContainEqual(
      expect.objectContaining({ msg: 'sync job given back to the queue: machines' }),
    );
    const [job] = (await queue.list({ integrationId: integration.id }, firstPage)).items;
    expect(job).toMatchObject({ dataset: 'machines', state: 'queued' });
    const runs = await hub.data.syncRuns.list({ integrationId: integration.id }, firstPage);
    expect(runs.items.map((r) => r.status)).toEqual(['cancelled']);

    const next = new SyncWorker(queue, hub.sync);
    expect(await next.drain()).toBe(2);
    const after = await hub.data.syncRuns.list({ integrationId: integration.id }, firstPage);
    expect(after.items.map((r) => `${r.dataset}:${r.status}`)).toEqual([
      'findings:succeeded',
      'machines:succeeded',
      'machines:cancelled',
    ]);
  }, 90_000);

  it('should refuse a concurrency that is not a whole number from 1 to 64', async () => {
    expectOneClearLine(await runCli(['worker', '--concurrency', '0'], dataDirEnv()), /--concurrency/);
  });

  it('should still refuse SQLite in one clear line', async () => {
    expectOneClearLine(
      await runCli(['worker', '--once'], dataDirEnv()),
      /PostgreSQL.*\[WORKER_NEEDS_POSTGRES\]$/,
    );
  });
});
