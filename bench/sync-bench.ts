/**
 * `npm run bench` (sync): a full sync of a large simulated tenant into SQLite and into PostgreSQL, run as users
 * run it (`defender-hub sync`, the built command, in a process of its own). Prints wall time, API calls against the
 * page-cap minimum, records/s and the sync process's peak RSS, and — in the same run, into the same database — the
 * raw bulk-insert rate of the same finding rows, with the ratio of the two. Several tenant sizes show whether the
 * RSS stays flat.
 *
 *   BENCH_MACHINES=20000,100000 BENCH_FINDINGS_PER_MACHINE=50 BENCH_DIALECTS=sqlite,postgres npm run bench:sync
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/app/config.js';
import { openHub, type Hub } from '../src/app/hub.js';
import { findingsTable, flattenFindings } from '../src/store/findings-writer.js';
import { writeBatchRows } from '../src/sync/datasets/findings.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';
import { runCli } from './hub-process.js';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server/build-server.js';
import { simulatorIntegrationSettings } from '../src/simulator/integration-settings.js';

const sizes = (process.env.BENCH_MACHINES ?? '20000,100000').split(',').map(Number);
const findingsPerMachine = Number(process.env.BENCH_FINDINGS_PER_MACHINE ?? 50);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

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
}

/** The fewest calls the page caps allow for what a run read. */
function minimumCalls(run: RunLine): number {
  const per =
    { machines: 10_000, vulnerabilities: 8000, findings: 200_000, alerts: 1000, incidents: 1000 }[
      run.dataset
    ] ?? 1;
  const pages =
    Math.floor(run.recordsIn / per) +
    (run.dataset === 'findings' || run.dataset === 'alerts' || run.dataset === 'incidents'
      ? run.recordsIn % per === 0
        ? 0
        : 1
      : 1);
  // Graph lists cost one extra call to learn the service's clock.
  return Math.max(1, pages) + (run.dataset === 'alerts' || run.dataset === 'incidents' ? 1 : 0);
}

/** A database of its own per run: a SQLite file in a fresh directory, or a fresh PostgreSQL database. */
async function benchDatabase(
  dialect: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-sync-bench-'));
  const env = { HUB_DATA_DIR: dir, HUB_SECRET_KEY: randomBytes(32).toString('base64') };
  const removeDir = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  if (dialect === 'sqlite') {
    return {
      env,
      drop: () => {
        removeDir();
        return Promise.resolve();
      },
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    env: { ...env, DATABASE_URL: url.href },
    drop: async () => {
      // `with (force)` would end connections a closing pool may still hold; let them close first.
      await new Promise((done) => setTimeout(done, 2000));
      await admin.query(`drop database ${name}`);
      await admin.end();
      removeDir();
    },
  };
}

function seconds(run: RunLine): number {
  return Math.max((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000, 0.001);
}

function printRuns(runs: readonly RunLine[]): void {
  console.log('dataset          status     records in   upserted    skipped  API calls  minimum  records/s');
  for (const run of runs) {
    console.log(
      `${run.dataset.padEnd(16)} ${run.status.padEnd(10)} ${String(run.recordsIn).padStart(10)} ${String(run.upserted).padStart(10)} ${String(run.skipped).padStart(10)} ${String(run.apiCalls).padStart(10)} ${String(minimumCalls(run)).padStart(8)} ${String(Math.round(run.recordsIn / seconds(run))).padStart(10)}`,
    );
  }
}

/**
 * The same finding rows, inserted raw: plain INSERTs through the same bulk writer into a copy of the findings
 * table with the same keys and indexes, in transactions of the sync's size — the ceiling a sync's writes are
 * measured against. Only the writes are timed.
 */
async function rawInsertRate(hub: Hub): Promise<{ rows: number; perSecond: number }> {
  const db = hub.repos.db;
  await sql`create table findings_raw_copy as select * from findings where 1 = 0`.execute(db);
  // The same keys the findings table carries, so the comparison is writes against writes, not against a heap.
  await sql`create unique index findings_raw_copy_key on findings_raw_copy (integration_id, finding_key)`.execute(
    db,
  );
  await sql`create index findings_raw_copy_machine on findings_raw_copy (integration_id, machine_id, status, cve_id)`.execute(
    db,
  );
  const rawCopy = hub.store.bulk.batch(findingsTable('findings_raw_copy', false));
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
    const started = performance.now();
    rawCopy.append(flattenFindings(page));
    await rawCopy.commit();
    ms += performance.now() - started;
    rows += page.length;
  }
  await sql`drop table findings_raw_copy`.execute(db);
  return { rows, perSecond: Math.round(rows / (ms / 1000)) };
}

/** The strategies whose evaluation is timed: one over patch fields, one that needs the patch × endpoint pairs. */
const benchStrategies = [
  'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true',
  'Defender.SeverityLevel >= "High" and Endpoint.RiskLevel >= "High"',
];

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

async function timed(app: FastifyInstance, url: string): Promise<{ ms: number; total: number }> {
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url });
  const ms = performance.now() - started;
  if (response.statusCode !== 200)
    throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
  return { ms, total: (JSON.parse(response.body) as { total: number }).total };
}

/**
 * Through the HTTP API, on the synced store: the endpoint list filtered by risk level (a page at a time, every
 * level in turn) and each benchmark strategy's matches (first page, 100 endpoints per patch).
 */
async function queryTimings(hub: Hub): Promise<void> {
  const app = await buildServer(hub);
  try {
    const levels = ['Critical', 'High', 'Medium', 'Low', 'None'];
    // A few requests first, so the figures are of a running server, not of its first compilations.
    for (const level of levels) await timed(app, `/api/v1/endpoints?riskLevel=${level}`);
    const list: number[] = [];
    for (let i = 0; i < 100; i++) {
      const level = levels[i % levels.length] ?? 'High';
      list.push(
        (await timed(app, `/api/v1/endpoints?riskLevel=${level}&page=${1 + (i % 4)}&pageSize=50`)).ms,
      );
    }
    console.log(
      `endpoint list with a risk filter: p95 ${percentile(list, 0.95).toFixed(1)} ms, median ${percentile(list, 0.5).toFixed(1)} ms (100 requests of 50 rows)`,
    );
    for (const [i, expression] of benchStrategies.entries()) {
      const { id } = await hub.strategies.create({ name: `bench ${i}`, expression });
      const runs = [];
      for (let r = 0; r < 5; r++)
        runs.push(await timed(app, `/api/v1/patch-strategies/${id}/matches?pageSize=50`));
      console.log(
        `strategy ${JSON.stringify(expression)}: ${runs[0]?.total ?? 0} patches, slowest of 5 runs ${Math.max(...runs.map((r) => r.ms)).toFixed(0)} ms, median ${percentile(
          runs.map((r) => r.ms),
          0.5,
        ).toFixed(0)} ms`,
      );
    }
  } finally {
    await app.close();
  }
}

/** One tenant into one database: the integration is added in this process, the sync runs as the CLI. */
async function benchOne(sim: SimulatorProcess, machines: number, dialect: string): Promise<void> {
  const database = await benchDatabase(dialect);
  try {
    const config = () => loadConfig(database.env);
    const setup = await openHub(config());
    await setup.integrations.create(simulatorIntegrationSettings(sim, 'bench')).finally(() => setup.close());
    const sync = await runCli(['sync', '--json'], database.env);
    const runs = sync.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunLine);
    console.log(
      `\n${dialect}, ${machines} machines: full sync in ${(sync.ms / 1000).toFixed(1)} s, peak RSS ${sync.peakRssMb} MB`,
    );
    printRuns(runs);
    const findings = runs.find((r) => r.dataset === 'findings');
    if (findings === undefined) return;
    const syncRate = Math.round(findings.upserted / seconds(findings));
    const hub = await openHub(config());
    try {
      const raw = await rawInsertRate(hub);
      console.log(
        `findings stored ${syncRate}/s by the sync; raw bulk insert of the same ${raw.rows} rows ${raw.perSecond}/s; ratio ${(syncRate / raw.perSecond).toFixed(2)}`,
      );
      await queryTimings(hub);
    } finally {
      await hub.close();
    }
  } finally {
    await database.drop();
  }
}

console.log(
  `defender-hub sync benchmark: ${sizes.join(' and ')} machines, ~${findingsPerMachine} findings per machine, Node ${process.version}`,
);
for (const machines of sizes) {
  const sim = await startSimulatorProcess(machines, findingsPerMachine);
  try {
    for (const dialect of dialects) await benchOne(sim, machines, dialect);
  } finally {
    sim.stop();
  }
}
