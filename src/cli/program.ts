import { Command } from 'commander';
import { hubVersion } from '../app/version.js';
import { actionCommand } from './commands/actions.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { huntCommand } from './commands/hunt.js';
import { integrationsCommand } from './commands/integrations.js';
import { migrateCommand } from './commands/migrate.js';
import { profilesCommand } from './commands/profiles.js';
import { secretsCommand } from './commands/secrets.js';
import { serveCommand } from './commands/serve.js';
import { simulatorCommand } from './commands/simulator.js';
import { strategiesCommand } from './commands/strategies.js';
import { syncCommand } from './commands/sync.js';
import { workerCommand } from './commands/worker.js';
import { usersCommand } from './commands/users.js';
import { oneLine } from './output.js';
import { noteCommand } from './cli-audit.js';

/** The whole command tree, built without parsing anything: `main.ts` runs it, the help-text test reads it. */
export function buildProgram(): Command {
  const program = new Command('defender-hub')
    .description('Self-hosted hub for Microsoft Defender data, with a built-in Defender simulator')
    .version(hubVersion, '-V, --version', 'print the version')
    // Options after a command name are that command's: `hunt save --timespan` must not be read as `hunt --timespan`.
    .enablePositionalOptions()
    .hook('preAction', (_program, command) => {
      noteCommand(command);
    })
    .addCommand(demoCommand())
    .addCommand(serveCommand())
    .addCommand(workerCommand())
    .addCommand(migrateCommand())
    .addCommand(integrationsCommand())
    .addCommand(profilesCommand())
    .addCommand(strategiesCommand())
    .addCommand(syncCommand())
    .addCommand(exportCommand())
    .addCommand(actionCommand())
    .addCommand(huntCommand())
    .addCommand(usersCommand())
    .addCommand(secretsCommand())
    .addCommand(simulatorCommand());
  configure(program);
  return program;
}

/**
 * Commander copies settings only to subcommands made with `.command()`: these are added whole, so every level
 * gets the same error handling here: usage mistakes become the one clear line, thrown rather than exited.
 */
function configure(command: Command): void {
  command.exitOverride().configureOutput({
    outputError: (message, write) => {
      write(`defender-hub: ${oneLine(message.replace(/^error: /, ''))} (see --help) [USAGE]\n`);
    },
  });
  for (const sub of command.commands) configure(sub);
}
