import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { openHub, type Hub } from '../../src/app/hub.js';
import { Scheduler } from '../../src/app/scheduler.js';
import { datasetNames } from '../../src/domain/datasets.js';
import type { Integration } from '../../src/domain/integration.js';
import { cloudDatasetNames } from '../support/datasets.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import type { SyncRun } from '../../src/store/index.js';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import { freshStore, postgresUrl } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { demoIntegration, demoSchedules } from '../../src/cli/demo-sync.js';

/** A hub on a fresh SQLite file, with quick retries so a broken tenant fails in milliseconds. */
async function useSqliteHub(): Promise<Hub> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-scheduler-'));
  const hub = await openHub(loadConfig({ HUB_DATA_DIR: dir }), {
    tuning: { retry: { maxAttempts: 2, baseDelayMs: 20 } },
  });
  afterAll(() => hub.close());
  return hub;
}

function addIntegration(hub: Hub, sim: RunningSimulator, name: string): Promise<Integration> {
  return hub.integrations.create(simulatorIntegrationSettings(sim, name));
}

/**
 * A clock the test moves on. Runs are stamped with real time, which this clock leaves behind as it moves: every
 * step is "that many minutes after the runs so far", and never a look back at the runs just made.
 */
function testClock(): { now: () => Date; advanceMinutes: (m: number) => void } {
  let now = Date.now();
  return {
    now: () => new Date(now),
    advanceMinutes: (m) => {
      now += m * 60_000;
    },
  };
}

/** An endpoint integration's datasets (the cloud ones run for cloud integrations only). */
const all = datasetNames.filter((d) => !cloudDatasetNames.includes(d));

describe('Scheduler on SQLite', () => {
  it('should run a first full sync, then each dataset on its schedule, findings right after machines', async () => {
    const sim = await useSimulator({ machines: 30, seed: 31, findingsPerMachine: 3 });
    const hub = await useSqliteHub();
    const integration = await addIntegration(hub, sim, 'scheduled');
    const clock = testClock();
    const runs: SyncRun[] = [];
    const scheduler = new Scheduler(hub, {
      now: clock.now,
      onRun: (row) => runs.push(row),
      refreshSeconds: 0,
      tickSeconds: 3600,
    });
    const step = async (): Promise<string[]> => {
      const before = runs.length;
      await scheduler.tick();
      await scheduler.idle();
      return runs.slice(before).map((r) => `${r.dataset}:${r.status}`);
    };
    try {
      await scheduler.start();
      await scheduler.idle();
      expect(runs.map((r) => [r.integrationId, r.dataset, r.status])).toEqual(
        all.map((d) => [integration.id, d, 'succeeded']),
      );

      clock.advanceMinutes(1);
      expect(await step()).toEqual([]);
      clock.advanceMinutes(5);
      expect(await step()).toEqual(['alerts:succeeded', 'incidents:succeeded']);
      clock.advanceMinutes(55);
      expect(await step()).toEqual([
        'machines:succeeded',
        'findings:succeeded',
        'alerts:succeeded',
        'incidents:succeeded',
        'machineActions:succeeded',
      ]);

      // Disabled: nothing runs, however late it gets.
      await hub.integrations.setEnabled(integration.id, false);
      clock.advanceMinutes(3 * 1440);
      expect(await step()).toEqual([]);
      // Enabled again: a full sync of every dataset, at once.
      await hub.integrations.setEnabled(integration.id, true);
      expect(await step()).toEqual(all.map((d) => `${d}:succeeded`));
    } finally {
      await scheduler.stop();
    }

    // A restart (on the real clock, which the runs are stamped with) finds them in sync_runs: nothing is due.
    const restarted = new Scheduler(hub, {
      onRun: (row) => runs.push(row),
      tickSeconds: 3600,
    });
    const before = runs.length;
    await restarted.start();
    await restarted.idle();
    await restarted.stop();
    expect(runs.length).toBe(before);
  });

  it('should run the demo integration on its one-minute and five-minute schedules', async () => {
    const sim = await useSimulator({ machines: 20, seed: 35, findingsPerMachine: 2 });
    const hub = await useSqliteHub();
    const integration = await demoIntegration(hub, sim);
    expect(integration.schedules).toMatchObject(demoSchedules);
    // A second demo start in the same data directory updates the one integration.
    expect((await demoIntegration(hub, sim)).id).toBe(integration.id);
    let now = Date.now();
    const runs: string[] = [];
    const scheduler = new Scheduler(hub, {
      now: () => new Date(now),
      onRun: (row) => runs.push(`${row.dataset}:${row.status}`),
      refreshSeconds: 0,
      tickSeconds: 3600,
    });
    const minutesLater = async (minutes: number): Promise<string[]> => {
      now += minutes * 60_000;
      const before = runs.length;
      await scheduler.tick();
      await scheduler.idle();
      return runs.slice(before);
    };
    try {
      await scheduler.start();
      await scheduler.idle();
      expect(runs).toEqual(all.map((d) => `${d}:succeeded`));
      // Counted from here, the end of the first sync: its runs started (real time) a little before.
      now = Date.now();
      expect(await minutesLater(0.5)).toEqual([]);
      expect(await minutesLater(0.5)).toEqual(['alerts:succeeded', 'incidents:succeeded']);
      expect(await minutesLater(1)).toEqual(['alerts:succeeded', 'incidents:succeeded']);
      expect(await minutesLater(3)).toEqual([
        'machines:succeeded',
        'findings:succeeded',
        'alerts:succeeded',
        'incidents:succeeded',
      ]);
    } finally {
      await scheduler.stop();
    }
  });

  it('should not let a slow integration hold back another, and pick up integrations added later', async () => {
    const fast = await useSimulator({ machines: 10, seed: 32, findingsPerMachine: 2 });
    const slow = await useSimulator({
      machines: 10,
      seed: 33,
      findingsPerMachine: 2,
      faults: 'slow:1',
      slowMs: 1500,
    });
    const hub = await useSqliteHub();
    const slowIntegration = await addIntegration(hub, slow, 'slow');
    const runs: SyncRun[] = [];
    let fastDone: () => void = () => undefined;
    const fastFinished = new Promise<void>((resolve) => {
      fastDone = resolve;
    });
    const scheduler = new Scheduler(hub, {
      refreshSeconds: 0,
      tickSeconds: 1,
      onRun: (row) => {
        runs.push(row);
        if (runs.filter((r) => r.integrationId !== slowIntegration.id).length === all.length) fastDone();
      },
    });
    try {
      await scheduler.start();
      // Added while the slow one is busy: the next look (within a second) starts it.
      const fastIntegration = await addIntegration(hub, fast, 'fast');
      await fastFinished;
      expect(runs.filter((r) => r.integrationId === fastIntegration.id).map((r) => r.status)).toEqual(
        all.map(() => 'succeeded'),
      );
      expect(runs.filter((r) => r.integrationId === slowIntegration.id).length).toBeLessThan(all.length);
    } finally {
      // The slow tenant goes away: its runs fail fast, and stop() has nothing long to wait for.
      await slow.close();
      await scheduler.stop();
    }
    const slowRuns = runs.filter((r) => r.integrationId === slowIntegration.id);
    expect(slowRuns.every((r) => r.status === 'failed' || r.status === 'succeeded')).toBe(true);
  });
});

describe('Scheduler on PostgreSQL', () => {
  it('should queue due runs for the workers instead of running them, findings after machines', async () => {
    const { store, schema, dispose } = await freshStore('postgres');
    await store.close();
    afterAll(dispose);
    const env = { HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-scheduler-')), DATABASE_URL: postgresUrl };
    const hub = await openHub(loadConfig(env), { schema: schema ?? '', jobs: { pollSeconds: 1 } });
    afterAll(() => hub.close());
    const sim = await useSimulator({ machines: 20, seed: 34, findingsPerMachine: 2 });
    const integration = await addIntegration(hub, sim, 'queued');
    const queue = hub.jobs!;
    const scheduler = new Scheduler(hub, { queue, tickSeconds: 3600 });
    const queued = async () =>
      (await queue.list({ state: 'queued' }, { page: 1, pageSize: 100 })).items.sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : 1,
      );
    const pending = async () =>
      (await queue.list({ state: 'queued' }, { page: 1, pageSize: 100 })).total +
      (await queue.list({ state: 'active' }, { page: 1, pageSize: 100 })).total;
    try {
      await scheduler.start();
      await scheduler.idle();
      // The first sync, full; findings wait for the workers to queue them after machines.
      const first = await queued();
      expect(first.map((j) => j.dataset)).toEqual([
        'machines',
        'vulnerabilities',
        'alerts',
        'incidents',
        'machineActions',
        'software',
        'recommendations',
        'entraDevices',
      ]);
      expect(first.every((j) => j.full)).toBe(true);
      expect(await hub.data.syncRuns.latest(integration.id, 'machines')).toBeUndefined();

      // Asking again while they wait queues nothing twice.
      await scheduler.tick();
      await scheduler.idle();
      expect(await pending()).toBe(8);

      const worker = new SyncWorker(queue, hub.sync);
      // The eight queued, and findings, queued after the machines run.
      expect(await worker.drain()).toBe(9);
      await scheduler.tick();
      await scheduler.idle();
      expect(await pending()).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });
});
