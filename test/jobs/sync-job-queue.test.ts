import { describe, expect, it } from 'vitest';
import { afterAll } from 'vitest';
import { SyncJobQueue } from '../../src/store/runs/sync-job-queue.js';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import { openHub, type Hub } from '../../src/app/hub.js';
import { loadConfig } from '../../src/app/config.js';
import { addSimulatorIntegration } from '../support/hub.js';
import { freshStore, postgresUrl } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseOf } from '../../src/store/testing.js';

/** Two hubs over one PostgreSQL schema: two workers with their own connections, as two processes would be. */
async function twoHubs(): Promise<[Hub, Hub]> {
  const { store, schema, dispose } = await freshStore('postgres');
  await store.close();
  afterAll(dispose);
  const env = {
    HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-jobs-')),
    HUB_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    DATABASE_URL: postgresUrl,
  };
  const open = async (): Promise<Hub> => {
    const hub = await openHub(loadConfig(env), {
      schema: schema ?? '',
      tuning: { retry: { maxAttempts: 3, baseDelayMs: 20 } },
    });
    afterAll(() => hub.close());
    return hub;
  };
  return [await open(), await open()];
}

describe('the PostgreSQL sync job queue', () => {
  it('should queue one job per integration and dataset however often it is asked', async () => {
    const [hub] = await twoHubs();
    const sim = await useSimulator({ machines: 10, seed: 71 });
    const integration = await addSimulatorIntegration(hub, sim);
    const queue = new SyncJobQueue(databaseOf(hub.data));
    expect(await queue.enqueue(integration.id, 'machines')).toBe(true);
    expect(await queue.enqueue(integration.id, 'machines')).toBe(false);
    expect(await queue.enqueue(integration.id, 'alerts')).toBe(true);
    expect(await queue.pending()).toBe(2);
  });

  it('should let two workers share the jobs, each run exactly once, findings after machines', async () => {
    const [a, b] = await twoHubs();
    const sim = await useSimulator({ machines: 200, seed: 72, findingsPerMachine: 5 });
    const integrations = [];
    for (const name of ['one', 'two', 'three', 'four'])
      integrations.push(await addSimulatorIntegration(a, sim, name));
    const queueA = new SyncJobQueue(databaseOf(a.data));
    for (const i of integrations)
      for (const d of ['machines', 'vulnerabilities', 'alerts', 'incidents'] as const)
        await queueA.enqueue(i.id, d);
    const ran: string[] = [];
    const byWorker = new Map<string, number>();
    const make = (hub: Hub): SyncWorker => {
      const worker: SyncWorker = new SyncWorker(new SyncJobQueue(databaseOf(hub.data)), hub.sync, {
        onJob: (job, _run, error) => {
          expect(error).toBeUndefined();
          ran.push(`${job.integrationId}/${job.dataset}`);
          byWorker.set(worker.id, (byWorker.get(worker.id) ?? 0) + 1);
        },
      });
      byWorker.set(worker.id, 0);
      return worker;
    };
    const workers = [make(a), make(b)];
    await Promise.all(workers.map((w) => w.drain()));
    // 4 integrations × (machines, vulnerabilities, alerts, incidents) + one findings job after each machines run.
    expect(ran.length).toBe(20);
    expect(new Set(ran).size).toBe(20);
    expect([...byWorker.values()].every((n) => n > 0)).toBe(true);
    const runs = await databaseOf(a.data).selectFrom('sync_runs').selectAll().execute();
    expect(runs.length).toBe(20);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    for (const i of integrations) {
      const machines = runs.find((r) => r.integration_id === i.id && r.dataset === 'machines')!;
      const findings = runs.find((r) => r.integration_id === i.id && r.dataset === 'findings')!;
      expect(findings.started_at >= machines.finished_at!).toBe(true);
      expect(findings.upserted).toBeGreaterThan(0);
    }
  });

  it('should give the job of a worker that died back to the queue', async () => {
    const [hub] = await twoHubs();
    const sim = await useSimulator({ machines: 10, seed: 73 });
    const integration = await addSimulatorIntegration(hub, sim);
    const queue = new SyncJobQueue(databaseOf(hub.data), { leaseMs: 0 });
    await queue.enqueue(integration.id, 'alerts');
    expect(await queue.claim('dead-worker')).toBeDefined();
    expect(await queue.claim('other')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    expect(await queue.requeueExpired()).toBe(1);
    expect((await queue.claim('other'))?.lockedBy).toBe('other');
  });
});
