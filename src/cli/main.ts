import { Command, CommanderError } from 'commander';
import { HubError } from '../errors.js';
import { demoCommand } from './commands/demo.js';
import { simulatorCommand } from './commands/simulator.js';

const program = new Command('defender-hub')
  .description('Self-hosted hub for Microsoft Defender data, with a built-in Defender simulator')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.addCommand(demoCommand());
program.addCommand(simulatorCommand());

/** One clear line on stderr and a non-zero exit; a stack trace only for what is a bug. */
function fail(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof HubError) process.stderr.write(`defender-hub: ${error.message} [${error.code}]\n`);
  else
    process.stderr.write(
      `defender-hub: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}
