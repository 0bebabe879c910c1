import { Command } from 'commander';
import { startSimulator } from '../../simulator/index.js';
import { createDefenderClient } from '../../defender/index.js';
import {
  addSimulatorFlags,
  closeOnSignal,
  readyLine,
  simulatorOptions,
  type SimulatorFlags,
} from './simulator.js';

/**
 * `npm start`: a simulated tenant and a first look at it through the Defender client. Until the hub's store and
 * sync exist, this is what the hub shows: the tenant as the client reads it.
 */
export function demoCommand(): Command {
  return addSimulatorFlags(new Command('demo'))
    .description('Start the Defender simulator and read its tenant through the Defender client')
    .action(async (flags: SimulatorFlags) => {
      const sim = await startSimulator(simulatorOptions(flags));
      closeOnSignal(sim);
      const client = createDefenderClient({
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        credential: { type: 'secret', clientSecret: sim.clientSecret },
        apiBaseUrl: sim.apiBaseUrl,
        authorityHost: sim.authorityHost,
        graphBaseUrl: sim.graphBaseUrl,
        caPem: sim.caPem,
      });
      try {
        const started = Date.now();
        const byPlatform = new Map<string, number>();
        let machines = 0;
        let rejected = 0;
        for await (const batch of client.machines.list()) {
          machines += batch.items.length;
          rejected += batch.rejected.length;
          for (const m of batch.items)
            byPlatform.set(m.osPlatform ?? 'unknown', (byPlatform.get(m.osPlatform ?? 'unknown') ?? 0) + 1);
        }
        let alerts = 0;
        for await (const batch of client.alerts.list()) alerts += batch.items.length;
        let findings = 0;
        for await (const batch of client.findings.exportJson()) findings += batch.items.length;
        const platforms = [...byPlatform]
          .sort((a, b) => b[1] - a[1])
          .map(([p, n]) => `${p} ${n}`)
          .join(', ');
        process.stderr.write(
          `Simulated Defender tenant ${sim.tenantId} at ${sim.apiBaseUrl}\n` +
            `  machines: ${machines} (${platforms})${rejected > 0 ? `, ${rejected} malformed records skipped` : ''}\n` +
            `  vulnerability findings: ${findings}\n  alerts: ${alerts}\n` +
            `  read in ${Date.now() - started} ms with ${client.stats.calls} API calls. Ctrl+C stops the simulator.\n`,
        );
      } finally {
        await client.close();
      }
      process.stdout.write(`${readyLine(sim)}\n`);
    });
}
