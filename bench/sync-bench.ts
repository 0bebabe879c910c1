/**
 * `npm run bench` (sync): a full sync of a large simulated tenant into SQLite and into PostgreSQL, run as users
 * run it (`defender-hub sync`, the built command, in a process of its own). Prints wall time, API calls against the
 * page-cap minimum, records/s and the sync process's peak RSS, and — in the same run, into the same database — the
 * raw bulk-insert rate of the same finding rows, with the ratio of the two. Several tenant sizes show whether the
 * RSS stays flat.
 *
 *   BENCH_MACHINES=20000,100000 BENCH_FINDINGS_PER_MACHINE=50 BENCH_DIALECTS=sqlite,postgres npm run bench:sync
 *
 * It always lists what falls short (an ingest ratio below 0.5, a dataset over its fewest calls, a failed run);
 * with BENCH_CHECK=1 it also exits 1 then. Each run's stages (where its time went) follow its table. Last, a
 * second findings sync runs in the bench's own process while it times the endpoint list through the API, as
 * `serve` runs both (BENCH_API_DURING_SYNC=0 skips it); a p95 above 100 ms falls short too.
 *
 * Between the two, a simulated hour passes (`/_sim/advance`; the simulator runs with BENCH_CHURN, default 0.125, so
 * about 1 % of the findings change) and the datasets the default schedules make due within an hour sync again: the
 * machines, the changes to the findings, alerts, incidents and machine actions. Its time and calls are printed
 * next to the full sync's; above `deltaShare` of the full sync's time falls short. Each dialect has a simulator of
 * its own, so each reads one hour's changes.
 *
 * A Defender for Cloud integration over BENCH_SUBSCRIPTIONS subscriptions (default 20) syncs beside it, so the
 * catalog timings merge endpoint and cloud CVEs as a tenant with both would.
 */
import { sql } from 'kysely';
import { loadConfig } from '../src/app/config.js';
import { openHub, type Hub } from '../src/app/hub.js';
import { findingColumns, findingsTable } from '../src/store/vulnerabilities/findings-writer.js';
import { writeBatchRows } from '../src/sync/datasets/findings.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';
import { runCli } from './hub-process.js';
import { apiDuringSync, queryTimings } from './query-timings.js';
import { simulatorIntegrationSettings } from '../src/simulator/integration-settings.js';
import { storeOf } from '../src/store/testing.js';
import { benchDatabase } from './bench-database.js';
import { minimumCalls } from './minimum-calls.js';

const sizes = (process.env.BENCH_MACHINES ?? '20000,100000').split(',').map(Number);
const findingsPerMachine = Number(process.env.BENCH_FINDINGS_PER_MACHINE ?? 50);
const subscriptions = Number(process.env.BENCH_SUBSCRIPTIONS ?? 20);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
// Keeps each synced database and prints its settings, for `npm run bench:queries` to time queries on again.
const keep = process.env.BENCH_KEEP === '1';
// Exits non-zero when the ingest ratio falls below `minimumRatio` or a dataset makes more calls than its page caps
// need, so a regression shows the day it lands.
const check = process.env.BENCH_CHECK === '1';
/** BENCH_API_DURING_SYNC=0 skips the second findings sync that times the API while it runs. */
const duringSync = process.env.BENCH_API_DURING_SYNC !== '0';
const churn = Number(process.env.BENCH_CHURN ?? 0.125);
/**
 * Defender has the export files written before the export call lists them, so the simulator writes them before a
 * findings sync is timed (BENCH_PREPARED_EXPORTS=0: it generates them while they download, on the hub's CPU).
 */
const preparedExports = process.env.BENCH_PREPARED_EXPORTS !== '0';
const minimumRatio = 0.5;
/** The delta sync's time, at most this share of the full sync's. */
const deltaShare = 0.05;
/** What the default schedules run within an hour: machines (60 min), findings after them, the activity lists. */
const hourly = 'machines,findings,alerts,incidents,machineActions';
const failures: string[] = [];

/** What `defender-hub sync --json` prints per run (the sync_runs row). */
interface RunLine {
  readonly dataset: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly recordsIn: number;
  readonly upserted: number;
  readonly skipped: number;
  readonly apiCalls: number;
  readonly stages: Readonly<Record<string, number>>;
}

function seconds(run: RunLine): number {
  return Math.max((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000, 0.001);
}

function printRuns(runs: readonly RunLine[]): void {
  console.log(
    'dataset          status     records in   upserted    skipped  API calls  minimum  records/s  seconds',
  );
  for (const run of runs) {
    console.log(
      `${run.dataset.padEnd(16)} ${run.status.padEnd(10)} ${String(run.recordsIn).padStart(10)} ${String(run.upserted).padStart(10)} ${String(run.skipped).padStart(10)} ${String(run.apiCalls).padStart(10)} ${String(minimumCalls(run) ?? '-').padStart(8)} ${String(Math.round(run.recordsIn / seconds(run))).padStart(10)} ${seconds(run).toFixed(1).padStart(8)}`,
    );
  }
  printStages(runs);
}

/**
 * Where each run's time went, as the run timed it. "read" is the wait for Defender's next page (the HTTP read,
 * unpacking and parsing); "write" is the database's own time, on the writer thread where there is one, so it
 * overlaps the reading; "wait for the writer" is the part of it the run could not overlap.
 */
function printStages(runs: readonly RunLine[]): void {
  console.log('\ndataset          stage                      seconds   share of run');
  for (const run of runs)
    for (const [stage, secondsSpent] of Object.entries(run.stages))
      console.log(
        `${run.dataset.padEnd(16)} ${stage.padEnd(24)} ${secondsSpent.toFixed(1).padStart(9)} ${`${Math.round((100 * secondsSpent) / seconds(run))} %`.padStart(14)}`,
      );
}

/**
 * The same finding rows, inserted raw: plain INSERTs through the same bulk writer into a copy of the findings
 * table with the same keys and indexes, in transactions of the sync's size — the ceiling a sync's writes are
 * measured against. Only the writes are timed.
 */
async function rawInsertRate(hub: Hub): Promise<{ rows: number; perSecond: number }> {
  const db = storeOf(hub.data).db;
  await sql`create table findings_raw_copy as select * from findings where 1 = 0`.execute(db);
  // The same keys the findings table carries, so the comparison is writes against writes, not against a heap.
  await sql`create unique index findings_raw_copy_key on findings_raw_copy (integration_id, finding_key)`.execute(
    db,
  );
  await sql`create index findings_raw_copy_machine on findings_raw_copy (integration_id, machine_id, status, cve_id)`.execute(
    db,
  );
  const rawCopy = storeOf(hub.data).bulk.batch(findingsTable('findings_raw_copy', false));
  let rows = 0;
  let lastId = 0;
  let ms = 0;
  for (;;) {
    const page = await db
      .selectFrom('findings')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(writeBatchRows)
      .execute();
    if (page.length === 0) break;
    lastId = page[page.length - 1]!.id;
    // The rows as read, in the writer's column order: only the writes are compared.
    const values = page.flatMap((row) => findingColumns.map(([column]) => row[column]));
    const started = performance.now();
    rawCopy.append({ values, count: page.length });
    await rawCopy.commit();
    ms += performance.now() - started;
    rows += page.length;
  }
  await sql`drop table findings_raw_copy`.execute(db);
  return { rows, perSecond: Math.round(rows / (ms / 1000)) };
}

/** Records what `BENCH_CHECK` fails on: a run that did not succeed, or more calls than the page caps need. */
function checkRuns(where: string, runs: readonly RunLine[]): void {
  for (const run of runs) {
    const minimum = minimumCalls(run);
    if (run.status !== 'succeeded') failures.push(`${where}: ${run.dataset} ${run.status}`);
    else if (minimum !== undefined && run.apiCalls > minimum)
      failures.push(`${where}: ${run.dataset} made ${run.apiCalls} API calls, the page caps need ${minimum}`);
  }
}

function runLines(stdout: string): RunLine[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunLine);
}

function totalCalls(runs: readonly RunLine[]): number {
  return runs.reduce((sum, run) => sum + run.apiCalls, 0);
}

/** A simulated hour on, what the schedules make due then, against the full sync's time and calls. */
async function deltaSync(
  sim: SimulatorProcess,
  where: string,
  env: Record<string, string>,
  fullMs: number,
  fullCalls: number,
): Promise<void> {
  await sim.advance(1);
  const delta = await runCli(['sync', '--json', '--dataset', hourly], env);
  const runs = runLines(delta.stdout);
  const share = delta.ms / fullMs;
  console.log(
    `\ndelta sync a simulated hour later (${hourly}): ${(delta.ms / 1000).toFixed(1)} s, ${(100 * share).toFixed(1)} % of the full sync's ${(fullMs / 1000).toFixed(1)} s; ${totalCalls(runs)} API calls against ${fullCalls}; peak RSS ${delta.peakRssMb} MB`,
  );
  printRuns(runs);
  checkRuns(`${where}, delta`, runs);
  if (share > deltaShare)
    failures.push(
      `${where}: delta sync ${(100 * share).toFixed(1)} % of the full sync > ${100 * deltaShare} %`,
    );
}

/** Has the simulator write the snapshot's export files before a timed sync reads them, and says so. */
async function prepareExports(sim: SimulatorProcess): Promise<void> {
  if (!preparedExports) return;
  const prepared = await sim.prepareExports();
  console.log(
    `\nthe simulator wrote ${prepared.files} export file(s), ${(prepared.bytes / 1048576).toFixed(0)} MB, in ${prepared.seconds.toFixed(1)} s before the clock started (BENCH_PREPARED_EXPORTS=0 writes them during the download)`,
  );
}

/** One tenant into one database: the integration is added in this process, the sync runs as the CLI. */
async function benchOne(sim: SimulatorProcess, machines: number, dialect: string): Promise<void> {
  const database = await benchDatabase(dialect);
  try {
    const config = () => loadConfig(database.env);
    const setup = await openHub(config());
    await setup.integrations
      .create(simulatorIntegrationSettings(sim, 'bench'))
      .then(() =>
        setup.integrations.create({ ...simulatorIntegrationSettings(sim, 'bench-cloud'), product: 'cloud' }),
      )
      .finally(() => setup.close());
    await prepareExports(sim);
    const sync = await runCli(['sync', '--json'], database.env);
    const runs = runLines(sync.stdout);
    console.log(
      `\n${dialect}, ${machines} machines: full sync in ${(sync.ms / 1000).toFixed(1)} s, peak RSS ${sync.peakRssMb} MB`,
    );
    printRuns(runs);
    checkRuns(`${dialect}, ${machines} machines`, runs);
    await deltaSync(sim, `${dialect}, ${machines} machines`, database.env, sync.ms, totalCalls(runs));
    const findings = runs.find((r) => r.dataset === 'findings');
    if (findings === undefined) return;
    const syncRate = Math.round(findings.upserted / seconds(findings));
    const hub = await openHub(config());
    try {
      const raw = await rawInsertRate(hub);
      const ratio = syncRate / raw.perSecond;
      console.log(
        `findings stored ${syncRate}/s by the sync; raw bulk insert of the same ${raw.rows} rows ${raw.perSecond}/s; ratio ${ratio.toFixed(2)}`,
      );
      if (ratio < minimumRatio)
        failures.push(`${dialect}, ${machines} machines: ingest ratio ${ratio.toFixed(2)} < ${minimumRatio}`);
      await queryTimings(hub);
      if (duringSync) {
        const [integration] = await hub.integrations.list();
        if (integration === undefined) throw new Error('the bench integration is gone');
        await prepareExports(sim);
        const started = performance.now();
        const api = await apiDuringSync(hub, () =>
          hub.sync.runDataset(integration.id, 'findings', { full: true, force: true }),
        );
        const line = `endpoint list during a findings sync of the same tenant in this process (${((performance.now() - started) / 1000).toFixed(1)} s): p95 ${api.p95.toFixed(1)} ms, median ${api.median.toFixed(1)} ms, slowest ${api.max.toFixed(0)} ms (${api.requests} requests)`;
        console.log(line);
        if (api.p95 > 100)
          failures.push(
            `${dialect}, ${machines} machines: API p95 during a sync ${api.p95.toFixed(0)} ms > 100`,
          );
      }
    } finally {
      await hub.close();
    }
  } finally {
    if (keep)
      console.log(
        `kept: ${Object.entries(database.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    else await database.drop();
  }
}

console.log(
  `defender-hub sync benchmark: ${sizes.join(' and ')} machines, ~${findingsPerMachine} findings per machine, Node ${process.version}`,
);
for (const machines of sizes)
  for (const dialect of dialects) {
    const sim = await startSimulatorProcess(machines, findingsPerMachine, subscriptions, churn);
    try {
      await benchOne(sim, machines, dialect);
    } finally {
      sim.stop();
    }
  }
if (failures.length > 0) {
  console.log(`\n${failures.length} check(s) failed:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  if (check) process.exitCode = 1;
}
