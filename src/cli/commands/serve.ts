import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openHub } from '../../app/hub.js';
import { Lifecycle } from '../lifecycle.js';
import { wholeNumber } from '../options.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the hub: the HTTP API and, with SQLite, the sync scheduler, until SIGINT or SIGTERM')
    .option(
      '--host <host>',
      // Loopback until the API enforces logins: nothing is served to the network by accident.
      'address to listen on (0.0.0.0 for every interface)',
      '127.0.0.1',
    )
    .option('--port <port>', 'HTTP port (default: PORT, else 8080)', wholeNumber(0, 65535))
    .action((flags: { host: string; port?: number }) => {
      const lifecycle = new Lifecycle();
      return lifecycle.start(
        (async () => {
          const config = loadConfig(process.env);
          // Loaded on use: the HTTP server and the scheduler weigh on the start-up of every other command.
          const { startHubRuntime } = await import('../hub-runtime.js');
          const hub = await openHub(config);
          lifecycle.onStop(() => hub.close());
          const runtime = await startHubRuntime(hub, {
            host: flags.host,
            port: flags.port ?? config.port,
            serverLogs: config.logLevel !== 'silent',
          });
          lifecycle.onStop(() => runtime.stop());
          process.stdout.write(`defender-hub serving ${runtime.url} (${hub.store.location})\n`);
        })(),
      );
    });
}
