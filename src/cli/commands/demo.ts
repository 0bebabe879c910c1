import { join } from 'node:path';
import { Command } from 'commander';
import { clockOption, clockOptions, DEMO_SPEED, speedOption, type ClockFlags } from '../clock-flags.js';
import { loadConfig } from '../../app/config.js';
import { openHub, type Hub } from '../../app/hub.js';
import type { Integration } from '../../domain/integration.js';
import type { RunningSimulator } from '../../simulator/index.js';
import { Lifecycle } from '../lifecycle.js';
import { generatePassword } from '../../auth/passwords.js';
import { wholeNumber } from '../options.js';
import { showsProgress } from '../output.js';
import { createSyncReporter } from '../sync-reporter.js';
import type { HubRuntime } from '../hub-runtime.js';
import {
  demoIntegration,
  demoSyncPlan,
  describePlan,
  failureLine,
  failedDatasets,
  syncDemo,
  type DemoSyncPlan,
} from '../demo-sync.js';

interface DemoFlags extends ClockFlags {
  port?: number;
  machines: number;
  seed: number;
}

const say = (line: string): boolean => process.stderr.write(`${line}\n`);

/** Seconds between progress lines of a background catalog run. */
const catalogProgressSeconds = 5;

async function startDemo(flags: DemoFlags, lifecycle: Lifecycle): Promise<void> {
  const config = loadConfig(process.env);
  // Loaded on use, as in `serve`: every other command starts faster without the simulator and the HTTP server.
  const [{ startSimulator }, { startHubRuntime }] = await Promise.all([
    import('../../simulator/index.js'),
    import('../hub-runtime.js'),
  ]);
  const sim = await startSimulator({
    machines: flags.machines,
    seed: flags.seed,
    ...clockOptions(flags, DEMO_SPEED),
  });
  lifecycle.onStop(() => sim.close());
  say(
    `Simulated Defender tenant ${sim.tenantId}: ${flags.machines} machines (seed ${flags.seed}) at ${sim.url}`,
  );

  // Always the embedded SQLite under the data directory: a demo never writes into a configured production database.
  const hub = await openHub({ ...config, databaseUrl: `sqlite:${join(config.dataDir, 'defender-hub.db')}` });
  lifecycle.onStop(() => hub.close());
  const integration = await demoIntegration(hub, sim);
  const plan = demoSyncPlan(integration);
  say(
    `Hub data in ${hub.data.location}. First sync of integration "${integration.name}": ${describePlan(plan)}.`,
  );
  const runs = await syncDemo(
    hub,
    integration,
    plan.firstLook,
    lifecycle.signal,
    createSyncReporter(showsProgress(false) ? 'bars' : 'lines', process.stderr),
  );
  if (lifecycle.signal.aborted) return;
  const failed = failedDatasets(runs);
  if (failed.length > 0) say(`Not every dataset synced (${failed.join(', ')}); the hub starts anyway.`);

  const runtime = await startHubRuntime(hub, {
    host: '127.0.0.1',
    port: flags.port ?? config.port,
    // The server's and the scheduler's records, JSON as `serve` writes them, but on stderr: stdout carries only
    // the ready line.
    serverLogs: { level: config.logLevel, stream: process.stderr },
    // Started once the catalogs below are in: it would find them due too and run them a second time.
    deferScheduler: true,
  });
  lifecycle.onStop(() => runtime.stop());
  await printReady(hub, runtime, sim, config.adminPassword);
  // Awaited on stop (closers run newest first): the aborted runs end as cancelled before the hub closes.
  const background = syncCatalogs(hub, integration, plan, runtime, lifecycle.signal);
  lifecycle.onStop(() => background);
  say('Ctrl+C stops the hub and the simulator.');
}

/** The ready line on stdout (the only thing there), and how to sign in on stderr. */
async function printReady(
  hub: Hub,
  runtime: HubRuntime,
  sim: RunningSimulator,
  adminPassword: string | undefined,
): Promise<void> {
  const admin = await demoAdmin(hub, adminPassword);
  const ready = {
    event: 'ready',
    url: runtime.url,
    simulatorUrl: sim.url,
    apiToken: await hub.auth.issueAdminToken('demo'),
    adminUser: admin.username,
    adminPassword: admin.password,
  };
  say(
    `Sign in at ${runtime.url} as "${admin.username}" with the password of the ready line, or call the API with ` +
      '"Authorization: Bearer <apiToken>".',
  );
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

/**
 * The catalogs, after the ready line: progress and results on stderr, each run in the sync history as any other.
 * Then the scheduler takes over, unless Ctrl+C came first. Never rejects: a failure is a line on stderr.
 */
async function syncCatalogs(
  hub: Hub,
  integration: Integration,
  plan: DemoSyncPlan,
  runtime: HubRuntime,
  signal: AbortSignal,
): Promise<void> {
  if (plan.catalogs.length > 0) await syncInBackground(hub, integration, plan.catalogs, signal);
  if (signal.aborted) return;
  await runtime
    .startScheduler()
    .catch((error: unknown) => say(failureLine('The scheduler did not start', error)));
}

async function syncInBackground(
  hub: Hub,
  integration: Integration,
  catalogs: DemoSyncPlan['catalogs'],
  signal: AbortSignal,
): Promise<void> {
  const reporter = createSyncReporter('lines', process.stderr, {
    progressEveryMs: catalogProgressSeconds * 1000,
  });
  try {
    const runs = await syncDemo(hub, integration, catalogs, signal, reporter);
    if (signal.aborted) return;
    const failed = failedDatasets(runs);
    say(
      failed.length === 0
        ? `Background sync done (${catalogs.join(', ')}); the schedules take over.`
        : `Background sync done, but not every dataset synced (${failed.join(', ')}); the schedules take over.`,
    );
  } catch (error) {
    say(failureLine('The background sync stopped', error));
  }
}

/**
 * The demo's admin and a password to print: HUB_ADMIN_PASSWORD or a new one each start. The demo's store is its
 * own, so setting the password again on a later start locks nobody out of a real hub.
 */
async function demoAdmin(
  hub: Hub,
  configured: string | undefined,
): Promise<{ username: string; password: string }> {
  const password = configured ?? generatePassword();
  const created = await hub.auth.ensureFirstAdmin(password);
  if (created === undefined) await hub.auth.resetPassword('admin', password);
  return { username: 'admin', password };
}

/** `npm start`: a simulated tenant, synced into the hub, served with its scheduler running. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Start the Defender simulator and the hub on the embedded SQLite, sync the simulated tenant and serve it',
    )
    .option(
      '--port <port>',
      'HTTP port of the hub on 127.0.0.1 (default: PORT, else 8080)',
      wholeNumber(0, 65535),
    )
    .option('--machines <n>', 'machines in the simulated tenant', wholeNumber(0, 100_000), 500)
    .option('--seed <n>', 'seed of the deterministic tenant', wholeNumber(0, 2 ** 31 - 1), 1)
    .addOption(clockOption())
    .addOption(speedOption(DEMO_SPEED))
    .action((flags: DemoFlags) => {
      const lifecycle = new Lifecycle();
      return lifecycle.start(startDemo(flags, lifecycle));
    });
}
