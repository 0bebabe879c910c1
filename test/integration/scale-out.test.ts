import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { openHub } from '../../src/app/hub.js';
import { Scheduler } from '../../src/app/scheduler.js';
import { plannedDatasets } from '../../src/app/schedule-due.js';
import type { SimulatorStats } from '../../src/simulator/index.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { freshStore, postgresUrl } from '../support/stores.js';
import { simGet, useSimulator } from '../support/simulator.js';
import { until } from '../support/wait.js';
import { logRecords, startCli, type RunningCli } from '../cli/cli.js';

const tenants = 20;
const workers = 3;

describe('scale-out on PostgreSQL: workers in several processes share many tenants', () => {
  it('should run every dataset of every tenant once per due time, within each tenant budget, with no 429', async () => {
    const { store, schema, dispose } = await freshStore('postgres');
    await store.close();
    afterAll(dispose);
    const env = {
      HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-scale-')),
      HUB_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      HUB_JOB_HEARTBEAT_SECONDS: '10',
      HUB_JOB_RETRY_DELAY_SECONDS: '1',
      LOG_LEVEL: 'info',
    };
    const hub = await openHub(loadConfig({ ...env, DATABASE_URL: postgresUrl }), {
      schema: schema!,
      jobs: { pollSeconds: 1 },
    });
    afterAll(() => hub.close());
    // Every tenant's service limits on: a call past Microsoft's per-minute or per-hour figures is answered 429.
    const sims = await Promise.all(
      Array.from({ length: tenants }, (_, i) =>
        useSimulator({ machines: 15, findingsPerMachine: 4, seed: 200 + i, rateLimits: true }),
      ),
    );
    const integrations = [];
    for (const [i, sim] of sims.entries())
      integrations.push(await hub.integrations.create(simulatorIntegrationSettings(sim, `tenant ${i}`)));

    // The processes: three workers of two jobs each, and the scheduler that queues what is due.
    const processes: RunningCli[] = [];
    const url = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema!}`)}`;
    for (let i = 0; i < workers; i++)
      processes.push(startCli(['worker', '--concurrency', '2'], { ...env, DATABASE_URL: url }));
    afterAll(async () => {
      for (const p of processes) p.child.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exit));
    });
    const scheduler = new Scheduler(hub, { queue: hub.jobs!, tickSeconds: 1, refreshSeconds: 0 });
    await scheduler.start();

    const expected = integrations.flatMap((i) => plannedDatasets(i).map((dataset) => `${i.id}/${dataset}`));
    const runs = async () =>
      (await hub.data.syncRuns.list({}, { page: 1, pageSize: 500 })).items.map((r) => ({
        key: `${r.integrationId}/${r.dataset}`,
        status: r.status,
      }));
    await until(
      async () => {
        const done = new Set((await runs()).filter((r) => r.status !== 'running').map((r) => r.key));
        return expected.every((key) => done.has(key));
      },
      240_000,
      1000,
    );
    // The scheduler keeps looking for a while: nothing is due again, and nothing runs a second time.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await scheduler.stop();
    for (const p of processes) p.child.kill('SIGTERM');
    const ended = await Promise.all(processes.map((p) => p.exit));

    const all = await runs();
    expect(all.map((r) => r.key).sort()).toEqual([...expected].sort());
    expect(all.filter((r) => r.status !== 'succeeded')).toEqual([]);
    // Every process took a share of the jobs.
    for (const { stdout } of ended) {
      const done = logRecords(stdout.trimEnd().split('\n')).filter((r) => r.msg.startsWith('sync job done'));
      expect(done.length).toBeGreaterThan(0);
    }
    for (const sim of sims)
      expect((await simGet<SimulatorStats>(sim, '/_sim/stats')).rateLimited).toEqual({});
  }, 300_000);
});
