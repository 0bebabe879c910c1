/**
 * `npm run bench:scale`: many small tenants on PostgreSQL, synced by `defender-hub worker` processes (the built
 * command) that share the pg-boss queue, as an MSSP runs them. For each worker count it prints the time until every
 * tenant's first full sync has ended, jobs per second, the spread of per-tenant completion (median and worst),
 * duplicate runs, API calls against the page-cap minimum and each worker's peak RSS.
 *
 *   BENCH_TENANTS=200 BENCH_MACHINES=500 BENCH_WORKERS=1,2,4 BENCH_CONCURRENCY=2 npm run bench:scale
 *
 * Falls short (listed; exit 1 with BENCH_CHECK=1): a tenant done later than 3× the median, a dataset run twice, a
 * worker above 512 MB, a failed run. Each tenant is a simulator of its own, with Microsoft's rate limits on, in
 * this process, which also runs the scheduler that queues what is due (as `serve` does).
 */
import { loadConfig } from '../src/app/config.js';
import { openHub, type Hub } from '../src/app/hub.js';
import { Scheduler } from '../src/app/scheduler.js';
import { plannedDatasets } from '../src/app/schedule-due.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.js';
import { simulatorIntegrationSettings } from '../src/simulator/integration-settings.js';
import type { SyncRun } from '../src/store/index.js';
import { benchDatabase } from './bench-database.js';
import { startCli, type StartedCli } from './hub-process.js';
import { minimumCalls } from './minimum-calls.js';

const tenants = Number(process.env.BENCH_TENANTS ?? 200);
const machines = Number(process.env.BENCH_MACHINES ?? 500);
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
const check = process.env.BENCH_CHECK === '1';
const maxSpread = 3;
const maxWorkerRssMb = 512;
const failures: string[] = [];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function allRuns(hub: Hub): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  for (let page = 1; ; page++) {
    const answer = await hub.data.syncRuns.list({}, { page, pageSize: 500 });
    runs.push(...answer.items);
    if (runs.length >= answer.total || answer.items.length === 0) return runs;
  }
}

interface Figures {
  readonly workers: number;
  readonly seconds: number;
  readonly jobs: number;
  readonly medianTenant: number;
  readonly worstTenant: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly calls: number;
  readonly minimum: number;
  readonly rss: readonly number[];
}

async function benchWorkers(sims: readonly RunningSimulator[], workers: number): Promise<Figures> {
  const database = await benchDatabase('postgres');
  const env = { ...database.env, LOG_LEVEL: 'warn' };
  const hub = await openHub(loadConfig(env));
  try {
    const integrations = [];
    for (const [i, sim] of sims.entries())
      integrations.push(await hub.integrations.create(simulatorIntegrationSettings(sim, `tenant ${i}`)));
    const expected = new Set(integrations.flatMap((i) => plannedDatasets(i).map((d) => `${i.id}/${d}`)));
    const processes: StartedCli[] = [];
    for (let i = 0; i < workers; i++)
      processes.push(startCli(['worker', '--concurrency', String(concurrency)], env));
    const scheduler = new Scheduler(hub, { queue: hub.jobs!, tickSeconds: 2, refreshSeconds: 0 });
    const started = Date.now();
    await scheduler.start();
    let runs: SyncRun[] = [];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      runs = await allRuns(hub);
      const ended = new Set(
        runs.filter((r) => r.finishedAt !== null).map((r) => `${r.integrationId}/${r.dataset}`),
      );
      const left = [...expected].filter((key) => !ended.has(key)).length;
      process.stdout.write(`\r${workers} worker(s): ${expected.size - left}/${expected.size} runs ended   `);
      if (left === 0) break;
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write('\n');
    await scheduler.stop();
    for (const p of processes) p.child.kill('SIGTERM');
    const rss = (await Promise.all(processes.map((p) => p.finished))).map((r) => r.peakRssMb);
    const doneAt = new Map<string, number>();
    for (const run of runs)
      doneAt.set(
        run.integrationId,
        Math.max(doneAt.get(run.integrationId) ?? 0, Date.parse(run.finishedAt ?? '')),
      );
    const perTenant = [...doneAt.values()].map((at) => (at - started) / 1000);
    const keys = runs.map((r) => `${r.integrationId}/${r.dataset}`);
    return {
      workers,
      seconds,
      jobs: runs.length,
      medianTenant: median(perTenant),
      worstTenant: Math.max(...perTenant),
      duplicates: keys.length - new Set(keys).size,
      failed: runs.filter((r) => r.status !== 'succeeded' && r.status !== 'notPermitted').length,
      calls: runs.reduce((sum, r) => sum + r.apiCalls, 0),
      minimum: runs.reduce((sum, r) => sum + (minimumCalls(r) ?? r.apiCalls), 0),
      rss,
    };
  } finally {
    await hub.close();
    await database.drop();
  }
}

function report(f: Figures): void {
  const spread = f.worstTenant / f.medianTenant;
  console.log(
    `${String(f.workers).padStart(7)} ${f.seconds.toFixed(1).padStart(9)} ${String(f.jobs).padStart(6)} ${(f.jobs / f.seconds).toFixed(2).padStart(8)} ${f.medianTenant.toFixed(1).padStart(10)} ${f.worstTenant.toFixed(1).padStart(9)} ${spread.toFixed(2).padStart(7)} ${String(f.duplicates).padStart(10)} ${`${f.calls}/${f.minimum}`.padStart(13)}  ${f.rss.join(', ')}`,
  );
  const where = `${f.workers} worker(s)`;
  if (spread > maxSpread)
    failures.push(`${where}: the last tenant ended at ${spread.toFixed(2)}× the median`);
  if (f.duplicates > 0) failures.push(`${where}: ${f.duplicates} dataset run(s) ran twice`);
  if (f.failed > 0) failures.push(`${where}: ${f.failed} run(s) did not succeed`);
  for (const mb of f.rss) if (mb > maxWorkerRssMb) failures.push(`${where}: a worker peaked at ${mb} MB`);
}

console.log(
  `${tenants} tenants of ${machines} machines, workers of ${concurrency} job(s) each, on this machine (PostgreSQL)`,
);
const sims: RunningSimulator[] = [];
for (let i = 0; i < tenants; i++)
  sims.push(await startSimulator({ machines, findingsPerMachine: 12, seed: 1000 + i, rateLimits: true }));
const figures: Figures[] = [];
try {
  for (const workers of workerCounts) figures.push(await benchWorkers(sims, workers));
} finally {
  for (const sim of sims) await sim.close();
}
console.log(
  'workers   total s   jobs   jobs/s   median s   worst s  spread  duplicates  calls/minimum  peak RSS MB',
);
for (const f of figures) report(f);
if (failures.length > 0) {
  console.log(`\nFalls short:\n- ${failures.join('\n- ')}`);
  if (check) process.exitCode = 1;
}
