import { afterAll, describe, expect, it } from 'vitest';
import { SyncJobQueue } from '../../src/store/runs/sync-job-queue.js';
import { addSimulatorIntegration, hubOn } from '../support/hub.js';
import { useSimulator } from '../support/simulator.js';
import { freshStore } from '../support/stores.js';
import { dataDirEnv, expectOneClearLine, logRecords, runCli } from './cli.js';

describe('defender-hub worker', () => {
  it('should log what it ran as JSON lines, as serve does', async () => {
    const { store, url, schema, dispose } = await freshStore('postgres');
    afterAll(dispose);
    const hub = hubOn(store);
    const sim = await useSimulator({ machines: 5, seed: 91 });
    const integration = await addSimulatorIntegration(hub, sim);
    await new SyncJobQueue(hub.db).enqueue(integration.id, 'alerts');
    const env = {
      ...dataDirEnv(),
      // The CLI has no schema option: the connection's search_path puts it in this test's schema.
      DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema ?? ''}`)}`,
      // hubOn's master key (32 bytes of 7), which sealed the integration's secret.
      HUB_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    };

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

  it('should still refuse SQLite in one clear line', async () => {
    expectOneClearLine(
      await runCli(['worker', '--once'], dataDirEnv()),
      /PostgreSQL.*\[WORKER_NEEDS_POSTGRES\]$/,
    );
  });
});
