import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHub, type Hub } from '../../src/app/hub.js';
import { loadConfig } from '../../src/app/config.js';
import type { DefenderClient } from '../../src/defender/index.js';
import type { RunningSimulator, SimulatorStats } from '../../src/simulator/index.js';
import { addSimulatorIntegration } from '../support/hub.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { freshStore, postgresUrl } from '../support/stores.js';

const quickRetries = { retry: { maxAttempts: 3, baseDelayMs: 20 } };

function hubEnv(databaseUrl: string): Record<string, string> {
  return {
    HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-budget-')),
    HUB_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    DATABASE_URL: databaseUrl,
  };
}

async function open(databaseUrl: string, schema?: string): Promise<Hub> {
  const hub = await openHub(loadConfig(hubEnv(databaseUrl)), {
    tuning: quickRetries,
    ...(schema === undefined ? {} : { schema }),
  });
  afterAll(() => hub.close());
  return hub;
}

/**
 * Where the syncing and the acting happen: two hubs over one PostgreSQL schema (a worker and the server, each with
 * its own connections), or the one hub of a SQLite installation, whose sync and actions share the process.
 */
const setups = {
  'two processes on PostgreSQL': async (): Promise<[Hub, Hub]> => {
    const { store, schema, dispose } = await freshStore('postgres');
    await store.close();
    afterAll(dispose);
    return [await open(postgresUrl, schema), await open(postgresUrl, schema)];
  },
  'one process on SQLite': async (): Promise<[Hub, Hub]> => {
    const hub = await open(`sqlite:${join(mkdtempSync(join(tmpdir(), 'dh-budget-')), 'hub.db')}`);
    return [hub, hub];
  },
};

const machineRoute = 'GET /api/machines/{id}';

async function routeCount(sim: RunningSimulator, status: string): Promise<number> {
  const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
  return stats.requests.byRoute[machineRoute]?.[status] ?? 0;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** What `work` resolves to if it does within `ms`, else 'waited'. */
function within<T>(ms: number, work: Promise<T>): Promise<T | 'waited'> {
  return Promise.race([work, sleep(ms).then(() => 'waited' as const)]);
}

/** A syncing client and an acting client of the same integration, each from its own hub. */
async function clients(
  [syncHub, actionHub]: [Hub, Hub],
  sim: RunningSimulator,
): Promise<{ syncing: DefenderClient; acting: DefenderClient; machineId: string }> {
  const integration = await addSimulatorIntegration(syncHub, sim);
  const syncing = await syncHub.integrations.client(integration.id);
  const acting = await actionHub.integrations.client(integration.id);
  afterAll(async () => {
    await syncing.close();
    await acting.close();
  });
  const [machine] = await simGet<{ id: string }[]>(sim, '/_sim/truth/machines');
  if (machine === undefined) throw new Error('the simulator has no machine');
  return { syncing, acting, machineId: machine.id };
}

describe.each(Object.entries(setups))('the API budget of a tenant, %s', (_, setup) => {
  it('should keep both callers together under the limits and still send a response action within a second', async () => {
    // The service's limits on: a call past them would be answered 429 and counted.
    const sim = await useSimulator({ machines: 5, seed: 81, rateLimits: true });
    const { syncing, acting, machineId } = await clients(await setup(), sim);
    const stop = new AbortController();
    // 60 reads each: either alone stays under its 80 of the minute's 100; together they would pass 100.
    const reads = [syncing, acting].flatMap((client) =>
      Array.from({ length: 60 }, () =>
        client.machines.get(machineId, stop.signal).then(
          () => 'read',
          () => 'stopped',
        ),
      ),
    );
    try {
      await expect.poll(() => routeCount(sim, '200'), { timeout: 20_000 }).toBeGreaterThanOrEqual(80);
      await sleep(500);
      expect(await routeCount(sim, '200')).toBe(80);
      const scan = acting.machineActions
        .runAntivirusScan(machineId, { comment: 'while syncs saturate', scanType: 'Quick' })
        .then(() => 'sent');
      expect(await within(1000, scan)).toBe('sent');
      expect((await simGet<SimulatorStats>(sim, '/_sim/stats')).rateLimited).toEqual({});
    } finally {
      stop.abort();
    }
    expect((await Promise.all(reads)).filter((r) => r === 'read')).toHaveLength(80);
  });

  it('should hold every caller of the tenant when one of them is answered 429', async () => {
    const sim = await useSimulator({ machines: 5, seed: 82, retryAfterSeconds: 2 });
    const { syncing, acting, machineId } = await clients(await setup(), sim);
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: '429', path: `/api/machines/${machineId}`, count: 1 }],
    });
    const throttled = syncing.machines.get(machineId);
    await expect.poll(() => routeCount(sim, '429')).toBe(1);
    const asked = Date.now();
    await acting.machines.get(machineId);
    // The other caller waited out the Retry-After the first one was given (less the time it took to notice).
    expect(Date.now() - asked).toBeGreaterThan(1000);
    await throttled;
  });
});
