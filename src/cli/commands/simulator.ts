import { Command } from 'commander';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { clockOption, clockOptions, SIMULATOR_SPEED, speedOption, type ClockFlags } from '../clock-flags.js';
import { positiveNumber, wholeNumber } from '../options.js';

export interface SimulatorFlags extends ClockFlags {
  port: number;
  host?: string;
  publicHost?: string;
  machines: number;
  seed: number;
  findingsPerMachine: number;
  churn: number;
  subscriptions: number;
  faults?: string;
  caOut?: string;
  rateLimits: boolean;
}

/** The ready line: the one JSON line on stdout that scripts (and the hub) read to find the simulator. */
export function readyLine(sim: RunningSimulator): string {
  return JSON.stringify({
    event: 'ready',
    apiBaseUrl: sim.apiBaseUrl,
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    armBaseUrl: sim.armBaseUrl,
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    caFile: sim.caFile ?? null,
    clock: sim.control.clock(),
  });
}

export function simulatorOptions(flags: SimulatorFlags): Parameters<typeof startSimulator>[0] {
  return {
    port: flags.port,
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.publicHost === undefined ? {} : { publicHost: flags.publicHost }),
    machines: flags.machines,
    seed: flags.seed,
    findingsPerMachine: flags.findingsPerMachine,
    churn: flags.churn,
    subscriptions: flags.subscriptions,
    rateLimits: flags.rateLimits,
    ...clockOptions(flags, SIMULATOR_SPEED),
    ...(flags.faults === undefined ? {} : { faults: flags.faults }),
    ...(flags.caOut === undefined ? {} : { caOut: flags.caOut }),
  };
}

/** Stops the simulator on Ctrl+C or SIGTERM, so the port is free again at once. */
export function closeOnSignal(sim: RunningSimulator): void {
  const stop = (): void => {
    void sim.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function addSimulatorFlags(command: Command): Command {
  return command
    .option('--port <port>', 'HTTPS port (0 picks a free one)', wholeNumber(0, 65535), 0)
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1; 0.0.0.0 serves other containers, /_sim/* stays loopback-only)',
    )
    .option(
      '--public-host <name>',
      'host name or IP clients reach it by: the host of its URLs and a name in its certificate (default 127.0.0.1)',
    )
    .option('--machines <n>', 'machines in the simulated tenant', wholeNumber(0, 10_000_000), 500)
    .option('--seed <n>', 'seed of the deterministic tenant', wholeNumber(0, 2 ** 31 - 1), 1)
    .option(
      '--findings-per-machine <n>',
      'average vulnerability findings per machine',
      wholeNumber(0, 10_000),
      50,
    )
    .option(
      '--churn <factor>',
      'how much changes a step, as a factor of the usual rates (0.125: about 1 % of the findings an advance)',
      positiveNumber(10),
      1,
    )
    .option(
      '--subscriptions <n>',
      'Azure subscriptions with Defender for Cloud; the last of two or more is one the app may not read',
      wholeNumber(0, 100),
      3,
    )
    .option(
      '--faults <spec>',
      'fault injection, e.g. "429:0.05,500:0.02,reset:0.01,slow:0.01,malformed:0.001"',
    )
    .option('--ca-out <file>', "write the simulator's CA certificate (PEM) to this file")
    .option('--no-rate-limits', "do not enforce Defender's per-minute and per-hour limits (real time)")
    .addOption(clockOption())
    .addOption(speedOption(SIMULATOR_SPEED));
}

export function simulatorCommand(): Command {
  return addSimulatorFlags(new Command('simulator'))
    .description(
      'Run the built-in Microsoft Defender simulator (token endpoint, Defender API, Graph security, exports) over HTTPS',
    )
    .action(async (flags: SimulatorFlags) => {
      const sim = await startSimulator(simulatorOptions(flags));
      process.stdout.write(`${readyLine(sim)}\n`);
      closeOnSignal(sim);
    });
}
