import { join } from 'node:path';
import { Command } from 'commander';
import { clockOption, clockOptions, DEMO_SPEED, speedOption, type ClockFlags } from '../clock-flags.js';
import { loadConfig } from '../../app/config.js';
import { openHub, type Hub } from '../../app/hub.js';
import { plannedDatasets } from '../../app/schedule-due.js';
import { IntegrationNotFoundError } from '../../integrations/integration-errors.js';
import type { Integration } from '../../integrations/integration-schema.js';
import type { RunningSimulator } from '../../simulator/index.js';
import { Lifecycle } from '../lifecycle.js';
import { generatePassword } from '../../auth/passwords.js';
import { wholeNumber } from '../options.js';
import { showsProgress } from '../output.js';
import { runSyncs } from '../run-syncs.js';
import { createSyncReporter } from '../sync-reporter.js';
import { simulatorIntegrationSettings } from '../../simulator/integration-settings.js';

interface DemoFlags extends ClockFlags {
  port?: number;
  machines: number;
  seed: number;
}

const demoName = 'demo';

/**
 * The integration named "demo", pointed at this run's simulator: its port, CA and secret are new each run, so
 * an existing one (from an earlier demo in the same data directory) is updated rather than duplicated.
 */
async function demoIntegration(hub: Hub, sim: RunningSimulator): Promise<Integration> {
  const settings = { ...simulatorIntegrationSettings(sim, demoName), enabled: true };
  try {
    return await hub.integrations.update(demoName, settings);
  } catch (error) {
    if (!(error instanceof IntegrationNotFoundError)) throw error;
    return hub.integrations.create(settings);
  }
}

async function startDemo(flags: DemoFlags, lifecycle: Lifecycle): Promise<void> {
  const say = (line: string): boolean => process.stderr.write(`${line}\n`);
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
  say(`Hub data in ${hub.store.location}. First full sync of integration "${integration.name}":`);
  const reporter = createSyncReporter(showsProgress(false) ? 'bars' : 'lines', process.stderr);
  // Forced: a different --seed is a different tenant, and the demo's store should show the one running now.
  const runs = await runSyncs(
    hub,
    [{ integration, datasets: plannedDatasets(integration) }],
    { full: true, force: true, signal: lifecycle.signal },
    reporter,
  );
  if (lifecycle.signal.aborted) return;
  const failed = runs.filter((r) => r.row.status !== 'succeeded').map((r) => r.row.dataset);
  if (failed.length > 0) say(`Not every dataset synced (${failed.join(', ')}); the hub starts anyway.`);

  const runtime = await startHubRuntime(hub, {
    host: '127.0.0.1',
    port: flags.port ?? config.port,
    // The server's and the scheduler's records, JSON as `serve` writes them, but on stderr: stdout carries only
    // the ready line.
    serverLogs: { level: config.logLevel, stream: process.stderr },
  });
  lifecycle.onStop(() => runtime.stop());
  const admin = await demoAdmin(hub, config.adminPassword);
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
  say('Ctrl+C stops the hub and the simulator.');
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
