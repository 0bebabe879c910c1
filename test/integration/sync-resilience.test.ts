import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openHub, type Hub } from '../../src/app/hub.js';
import { loadConfig } from '../../src/app/config.js';
import { addSimulatorIntegration, testGovernor } from '../support/hub.js';
import { dialects, freshStore, postgresUrl, type TestDialect } from '../support/stores.js';
import { simGet, useSimulator } from '../support/simulator.js';
import { everyDatasetSucceeded } from '../support/datasets.js';
import { databaseOf } from '../../src/store/testing.js';

interface Summary {
  machines: number;
  findings: number;
  alerts: number;
  incidents: number;
}

const secretKey = Buffer.alloc(32, 9).toString('base64');

interface HubPlace {
  readonly env: Record<string, string>;
  readonly schema: string | undefined;
}

/** A data directory, and for PostgreSQL a fresh schema in the test database, for one hub. */
async function place(dialect: TestDialect): Promise<HubPlace> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-resilience-'));
  const env = { HUB_DATA_DIR: dir, HUB_SECRET_KEY: secretKey };
  if (dialect === 'sqlite') return { env, schema: undefined };
  const { store, schema, dispose } = await freshStore('postgres');
  await store.close();
  afterAll(dispose);
  return { env: { ...env, DATABASE_URL: postgresUrl }, schema };
}

async function hubAt(where: HubPlace): Promise<Hub> {
  const hub = await openHub(loadConfig(where.env), {
    tuning: { retry: { maxAttempts: 8, baseDelayMs: 20 }, governor: testGovernor },
    ...(where.schema === undefined ? {} : { schema: where.schema }),
  });
  afterAll(() => hub.close());
  return hub;
}

async function stored(
  hub: Hub,
): Promise<{ endpoints: number; openFindings: number; alerts: number; incidents: number }> {
  const n = async (query: Promise<{ n: number }>): Promise<number> => (await query).n;
  const db = databaseOf(hub.data);
  return {
    endpoints: await n(
      db
        .selectFrom('endpoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stale', '=', 0)
        .executeTakeFirstOrThrow(),
    ),
    openFindings: await n(
      db
        .selectFrom('findings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow(),
    ),
    alerts: await n(
      db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    incidents: await n(
      db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  };
}

/** A clean reference: the same tenant synced once, without trouble, into its own store. */
async function referenceCounts(
  sim: Awaited<ReturnType<typeof useSimulator>>,
): Promise<Awaited<ReturnType<typeof stored>>> {
  const hub = await hubAt(await place('sqlite'));
  const integration = await addSimulatorIntegration(hub, sim);
  await hub.sync.syncIntegration(integration.id);
  return stored(hub);
}

describe.each(dialects)('a sync that breaks, on %s', (dialect) => {
  it('should end equal to the truth under 429s, 5xx and resets', async () => {
    const sim = await useSimulator({
      machines: 800,
      seed: 61,
      findingsPerMachine: 15,
      faults: '429:0.1,500:0.05,reset:0.02',
      retryAfterSeconds: 0,
    });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const reference = await referenceCounts(sim);
    const hub = await hubAt(await place(dialect));
    const integration = await addSimulatorIntegration(hub, sim);
    const runs = await hub.sync.syncIntegration(integration.id);
    expect(runs.map((r) => [r.dataset, r.status])).toEqual(everyDatasetSucceeded);
    expect(await stored(hub)).toEqual(reference);
    expect(reference.alerts).toBe(truth.alerts);
    expect(reference.incidents).toBe(truth.incidents);
  });

  it('should lose nothing when the process is killed mid-run', async () => {
    const sim = await useSimulator({ machines: 2000, seed: 62, findingsPerMachine: 30 });
    const reference = await referenceCounts(sim);
    const where = await place(dialect);
    const hub = await hubAt(where);
    const integration = await addSimulatorIntegration(hub, sim);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sync-child.ts'], {
      env: {
        ...process.env,
        ...where.env,
        SYNC_INTEGRATION: integration.id,
        ...(where.schema === undefined ? {} : { SYNC_SCHEMA: where.schema }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    // Mid-findings: pull the plug.
    for await (const line of createInterface({ input: child.stdout })) if (line === 'started') break;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const interrupted = await databaseOf(hub.data)
      .selectFrom('sync_runs')
      .selectAll()
      .where('status', '=', 'running')
      .execute();
    // The findings run, and whichever datasets were running beside it (those that do not read the findings).
    expect(interrupted.map((run) => run.dataset)).toContain('findings');
    // It died part-way: something was stored, not everything.
    const partial = await stored(hub);
    expect(partial.endpoints + partial.openFindings).toBeGreaterThan(0);
    expect(partial).not.toEqual(reference);
    const runs = await hub.sync.syncIntegration(integration.id);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(await stored(hub)).toEqual(reference);
    const failed = await databaseOf(hub.data)
      .selectFrom('sync_runs')
      .selectAll()
      .where('error_code', '=', 'SYNC_INTERRUPTED')
      .execute();
    expect(failed.map((run) => run.id).sort()).toEqual(interrupted.map((run) => run.id).sort());
  });
});
