import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openHub, type Hub } from '../../app/hub.js';
import { Lifecycle } from '../lifecycle.js';
import { wholeNumber } from '../options.js';

/** A hub without users gets its first admin; a generated password is printed this once, on stderr. */
async function announceFirstAdmin(hub: Hub, password: string | undefined): Promise<void> {
  const created = await hub.auth.ensureFirstAdmin(password);
  if (created === undefined) return;
  process.stderr.write(
    created.password === undefined
      ? `Created the first admin user "${created.username}" with the password of HUB_ADMIN_PASSWORD.\n`
      : `Created the first admin user "${created.username}" with the password ${created.password} — shown this once; change it with \`defender-hub users reset-password ${created.username}\`.\n`,
  );
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the hub: the HTTP API and, with SQLite, the sync scheduler, until SIGINT or SIGTERM')
    .option(
      '--host <host>',
      // Loopback by default: serving the network is a choice (put TLS in front of it).
      'address to listen on (default: HUB_HOST, else 127.0.0.1; 0.0.0.0 for every interface, with a TLS proxy in front)',
    )
    .option('--port <port>', 'HTTP port (default: PORT, else 8080)', wholeNumber(0, 65535))
    .action((flags: { host?: string; port?: number }) => {
      const lifecycle = new Lifecycle();
      return lifecycle.start(
        (async () => {
          const config = loadConfig(process.env);
          // Loaded on use: the HTTP server and the scheduler weigh on the start-up of every other command.
          const { startHubRuntime } = await import('../hub-runtime.js');
          const hub = await openHub(config);
          lifecycle.onStop(() => hub.close());
          await announceFirstAdmin(hub, config.adminPassword);
          const runtime = await startHubRuntime(hub, {
            host: flags.host ?? config.host,
            port: flags.port ?? config.port,
            serverLogs: config.logLevel !== 'silent',
          });
          lifecycle.onStop(() => runtime.stop());
          process.stdout.write(`defender-hub serving ${runtime.url} (${hub.data.location})\n`);
        })(),
      );
    });
}
