/**
 * `npm run bench` (sync): a full sync of a large simulated tenant into SQLite and into PostgreSQL. Prints wall
 * time, API calls against the page-cap minimum, records/s and peak RSS, and — in the same run, into the same
 * database — the raw bulk-insert rate of the same finding rows, with the ratio of the two.
 *
 *   BENCH_MACHINES=100000 BENCH_FINDINGS_PER_MACHINE=50 BENCH_DIALECTS=sqlite,postgres npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/app/config.js';
import { openHub, type Hub } from '../src/app/hub.js';
import type { SyncRunRow } from '../src/store/schema.js';
import { findingsTable, flattenFindings } from '../src/store/findings-writer.js';
import { writeBatchRows } from '../src/sync/datasets/findings.js';
import { measure, startSimulatorProcess } from './simulator-process.js';
import { simulatorIntegrationSettings } from '../src/simulator/integration-settings.js';

const machines = Number(process.env.BENCH_MACHINES ?? 100_000);
const findingsPerMachine = Number(process.env.BENCH_FINDINGS_PER_MACHINE ?? 50);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** The fewest calls the page caps allow for what a run read. */
function minimumCalls(run: SyncRunRow): number {
  const per =
    { machines: 10_000, vulnerabilities: 8000, findings: 200_000, alerts: 1000, incidents: 1000 }[
      run.dataset
    ] ?? 1;
  const pages =
    Math.floor(run.records_in / per) +
    (run.dataset === 'findings' || run.dataset === 'alerts' || run.dataset === 'incidents'
      ? run.records_in % per === 0
        ? 0
        : 1
      : 1);
  // Graph lists cost one extra call to learn the service's clock.
  return Math.max(1, pages) + (run.dataset === 'alerts' || run.dataset === 'incidents' ? 1 : 0);
}

async function openBenchHub(dialect: string): Promise<{ hub: Hub; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-sync-bench-'));
  const env = { HUB_DATA_DIR: dir, HUB_SECRET_KEY: randomBytes(32).toString('base64') };
  if (dialect === 'sqlite') {
    const hub = await openHub(loadConfig(env));
    return {
      hub,
      cleanup: async () => {
        await hub.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const hub = await openHub(loadConfig({ ...env, DATABASE_URL: postgresUrl }), { schema });
  return {
    hub,
    cleanup: async () => {
      await hub.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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

const sim = await startSimulatorProcess(machines, findingsPerMachine);
console.log(
  `defender-hub sync benchmark: ${machines} machines, ~${findingsPerMachine} findings per machine, Node ${process.version}`,
);
try {
  for (const dialect of dialects) {
    const { hub, cleanup } = await openBenchHub(dialect);
    try {
      const integration = await hub.integrations.create(simulatorIntegrationSettings(sim, 'bench'));
      const { result: runs, ms, peakRssMb } = await measure(() => hub.sync.syncIntegration(integration.id));
      console.log(`\n${dialect}: full sync in ${(ms / 1000).toFixed(1)} s, peak RSS ${peakRssMb} MB`);
      console.log(
        'dataset          status     records in   upserted    skipped  API calls  minimum  records/s',
      );
      for (const run of runs) {
        const seconds = (Date.parse(run.finished_at ?? '') - Date.parse(run.started_at)) / 1000;
        console.log(
          `${run.dataset.padEnd(16)} ${run.status.padEnd(10)} ${String(run.records_in).padStart(10)} ${String(run.upserted).padStart(10)} ${String(run.skipped).padStart(10)} ${String(run.api_calls).padStart(10)} ${String(minimumCalls(run)).padStart(8)} ${String(Math.round(run.records_in / Math.max(seconds, 0.001))).padStart(10)}`,
        );
      }
      const findings = runs.find((r) => r.dataset === 'findings');
      if (findings !== undefined) {
        const syncSeconds = (Date.parse(findings.finished_at ?? '') - Date.parse(findings.started_at)) / 1000;
        const syncRate = Math.round(findings.upserted / syncSeconds);
        const raw = await rawInsertRate(hub);
        console.log(
          `findings stored ${syncRate}/s by the sync; raw bulk insert of the same ${raw.rows} rows ${raw.perSecond}/s; ratio ${(syncRate / raw.perSecond).toFixed(2)}`,
        );
      }
    } finally {
      await cleanup();
    }
  }
} finally {
  sim.stop();
}
