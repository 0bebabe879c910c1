import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely/migration';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import { openHub, type Hub } from '../../src/app/hub.js';
import { loadConfig } from '../../src/app/config.js';
import { migrations } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/db/database.js';
import { databaseOf } from '../../src/store/testing.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { addSimulatorIntegration } from '../support/hub.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { freshStore, postgresUrl } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { until } from '../support/wait.js';

/** Quick engine settings: a lost worker is noticed within seconds, a failed job is retried after one. */
const quick = { heartbeatSeconds: 10, superviseSeconds: 1, pollSeconds: 1, retryDelaySeconds: 1 };

/** Hubs over one PostgreSQL schema, each with its own connections, as separate processes would be. */
async function hubs(count: number, jobs = quick): Promise<Hub[]> {
  const { store, schema, dispose } = await freshStore('postgres');
  await store.close();
  afterAll(dispose);
  const env = {
    HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-jobs-')),
    HUB_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    DATABASE_URL: postgresUrl,
  };
  const opened: Hub[] = [];
  for (let i = 0; i < count; i++) {
    const hub = await openHub(loadConfig(env), {
      schema: schema ?? '',
      tuning: { retry: { maxAttempts: 3, baseDelayMs: 20 } },
      jobs,
    });
    afterAll(() => hub.close());
    opened.push(hub);
  }
  return opened;
}

const firstPage = { page: 1, pageSize: 100 };

describe('the PostgreSQL sync job queue (pg-boss)', () => {
  it('should queue one waiting job per integration and dataset however often it is asked', async () => {
    const [hub] = (await hubs(1)) as [Hub];
    const sim = await useSimulator({ machines: 10, seed: 71 });
    const integration = await addSimulatorIntegration(hub, sim);
    const queue = hub.jobs!;
    expect(await queue.enqueue(integration.id, 'machines')).toBeDefined();
    expect(await queue.enqueue(integration.id, 'machines')).toBeUndefined();
    expect(await queue.enqueue(integration.id, 'alerts', { full: true })).toBeDefined();
    const listed = await queue.list({ integrationId: integration.id }, firstPage);
    expect(listed.total).toBe(2);
    expect(listed.items.map((j) => [j.dataset, j.state, j.full])).toEqual(
      expect.arrayContaining([
        ['machines', 'queued', false],
        ['alerts', 'queued', true],
      ]),
    );
    expect([...(await queue.pendingDatasets(integration.id))].sort()).toEqual(['alerts', 'machines']);
    expect((await queue.list({ dataset: 'alerts' }, firstPage)).total).toBe(1);
    expect((await queue.list({ state: 'active' }, firstPage)).total).toBe(0);
  });

  it('should let workers in two processes share the jobs, each run exactly once, findings after machines', async () => {
    const [a, b] = (await hubs(2)) as [Hub, Hub];
    const sim = await useSimulator({ machines: 200, seed: 72, findingsPerMachine: 5 });
    const integrations = [];
    for (const name of ['one', 'two', 'three', 'four'])
      integrations.push(await addSimulatorIntegration(a, sim, name));
    for (const i of integrations)
      for (const d of ['machines', 'vulnerabilities', 'alerts', 'incidents'] as const)
        await a.jobs!.enqueue(i.id, d);
    const ran: string[] = [];
    const byWorker = new Map<string, number>();
    const make = (hub: Hub): SyncWorker => {
      const worker: SyncWorker = new SyncWorker(hub.jobs!, hub.sync, {
        concurrency: 2,
        onJob: (job, outcome, _run, error) => {
          expect([outcome, error]).toEqual(['done', undefined]);
          ran.push(`${job.data.integrationId}/${job.data.dataset}`);
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
    const completed = await a.jobs!.list({ state: 'completed' }, firstPage);
    expect(completed.total).toBe(20);
  });

  it('should retry a job that fails with back-off, then dead-letter it', async () => {
    const [hub] = (await hubs(1, { ...quick, retryLimit: 1 } as typeof quick)) as [Hub];
    const sim = await useSimulator({ machines: 5, seed: 74 });
    const integration = await hub.integrations.create({
      ...simulatorIntegrationSettings(sim, 'wrong secret'),
      clientSecret: 'not-the-secret',
    });
    await hub.jobs!.enqueue(integration.id, 'alerts');
    const outcomes: string[] = [];
    const worker = new SyncWorker(hub.jobs!, hub.sync, { onJob: (_job, outcome) => outcomes.push(outcome) });
    await worker.start();
    await until(async () => (await hub.jobs!.list({ state: 'deadLettered' }, firstPage)).total === 1, 30_000);
    await worker.stop();
    // The first attempt and one retry, both failed runs; then the dead-letter queue holds it.
    expect(outcomes).toEqual(['failed', 'failed']);
    const [dead] = (await hub.jobs!.list({ integrationId: integration.id, state: 'deadLettered' }, firstPage))
      .items;
    expect(dead).toMatchObject({ dataset: 'alerts', integrationId: integration.id });
    const runs = await hub.data.syncRuns.list({ integrationId: integration.id }, firstPage);
    expect(runs.items.map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('should never start a job twice while its worker is alive, however long it runs', async () => {
    const [a, b] = (await hubs(2)) as [Hub, Hub];
    // Every machines page waits 14 s: the run outlasts the 10-second heartbeat timeout.
    const sim = await useSimulator({ machines: 20, seed: 75, slowMs: 14_000 });
    const integration = await addSimulatorIntegration(a, sim);
    sim.control.queueFaults([{ fault: 'slow', path: '/api/machines', count: 1 }]);
    await a.jobs!.enqueue(integration.id, 'machines');
    const started: string[] = [];
    const workers = [a, b].map(
      (hub) =>
        new SyncWorker(hub.jobs!, hub.sync, {
          concurrency: 2,
          onJob: (job, outcome) => started.push(`${job.data.dataset}:${outcome}`),
        }),
    );
    await Promise.all(workers.map((w) => w.start()));
    await until(() => started.includes('machines:done'), 60_000);
    // Give a wrongly expired job the time to be taken again.
    await new Promise((r) => setTimeout(r, 3000));
    await Promise.all(workers.map((w) => w.stop()));
    const runs = await a.data.syncRuns.list(
      { integrationId: integration.id, dataset: 'machines' },
      firstPage,
    );
    expect(runs.items.map((r) => r.status)).toEqual(['succeeded']);
    expect(started.filter((s) => s.startsWith('machines'))).toEqual(['machines:done']);
  }, 90_000);

  it('should give the jobs in hand back at once when the worker stops, for the next worker to finish', async () => {
    const [a, b] = (await hubs(2)) as [Hub, Hub];
    const sim = await useSimulator({ machines: 20, seed: 76, slowMs: 30_000 });
    const integration = await addSimulatorIntegration(a, sim);
    sim.control.queueFaults([{ fault: 'slow', path: '/api/machines', count: 1 }]);
    await a.jobs!.enqueue(integration.id, 'machines');
    const first = new SyncWorker(a.jobs!, a.sync);
    await first.start();
    // The run waits on its slow machines page: stop in the middle of it.
    await until(() => sim.control.faults().queue.length === 0, 20_000);
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);
    // Back in the queue, due now: not a retry after a back-off.
    const [queued] = (await a.jobs!.list({ integrationId: integration.id, dataset: 'machines' }, firstPage))
      .items;
    expect(queued).toMatchObject({ state: 'queued' });
    expect(Date.parse(queued!.runAfter)).toBeLessThanOrEqual(Date.now());
    const cancelled = await a.data.syncRuns.list({ integrationId: integration.id }, firstPage);
    expect(cancelled.items.map((r) => r.status)).toEqual(['cancelled']);

    const next = new SyncWorker(b.jobs!, b.sync);
    const draining = Date.now();
    expect(await next.drain()).toBe(2);
    // Not held back by a retry's back-off or by the stopped worker's claim.
    expect(Date.now() - draining).toBeLessThan(15_000);
    const runs = await b.data.syncRuns.list({ integrationId: integration.id }, firstPage);
    expect(runs.items.map((r) => `${r.dataset}:${r.status}`).sort()).toEqual([
      'findings:succeeded',
      'machines:cancelled',
      'machines:succeeded',
    ]);
  }, 60_000);

  it('should queue again what the queue before pg-boss held, once', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    afterAll(async () => {
      await admin.query(`drop schema ${schema} cascade; drop schema if exists ${schema}_jobs cascade`);
      await admin.end();
    });
    // A store as the last release left it: the old queue's table, with waiting, running and finished jobs.
    const old = openStore(postgresUrl, { schema });
    const migrator = new Migrator({
      db: old.db,
      provider: { getMigrations: () => Promise.resolve(migrations('postgres')) },
      migrationTableSchema: schema,
    });
    expect((await migrator.migrateTo('0024-run-stages')).error).toBeUndefined();
    const now = new Date().toISOString();
    await admin.query(
      `insert into ${schema}.integrations (id, name, product, tenant_id, client_id, credential_type,
         credential_ciphertext, credential_set_at, api_base_url, imports, schedules, filters, created_at, updated_at)
       values ('i1', 'one', 'endpoint', 't', 'c', 'secret', 'sealed', $1, 'https://api.security.microsoft.com',
         '{}', '{}', '{}', $1, $1)`,
      [now],
    );
    for (const [dataset, status, options] of [
      ['machines', 'queued', '{"full":true}'],
      ['alerts', 'running', '{}'],
      ['incidents', 'done', '{}'],
    ])
      await admin.query(
        `insert into ${schema}.sync_jobs (integration_id, dataset, options, status, run_after, created_at, updated_at)
         values ('i1', $1, $2, $3, $4, $4, $4)`,
        [dataset, options, status, now],
      );
    await old.close();

    const env = {
      HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-jobs-')),
      HUB_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
      DATABASE_URL: postgresUrl,
    };
    for (let opening = 0; opening < 2; opening++) {
      const hub = await openHub(loadConfig(env), { schema, jobs: quick });
      const jobs = await hub.jobs!.list({}, firstPage);
      await hub.close();
      // The waiting and the running one, each once, however often the hub opens; the finished one is history.
      expect(jobs.items.map((j) => `${j.dataset}:${j.state}:${j.full}`).sort()).toEqual([
        'alerts:queued:false',
        'machines:queued:true',
      ]);
    }
    const left = await admin.query(
      `select to_regclass('${schema}.carried_sync_jobs') as t, to_regclass('${schema}.sync_jobs') as s`,
    );
    expect(left.rows).toEqual([{ t: null, s: null }]);
  });
});
