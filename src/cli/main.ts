import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { HubError } from '../errors.js';
import { oneLine } from './output.js';
import { redactText } from '../secrets/log-redaction.js';

const program = buildProgram();

/** One clear line on stderr and a non-zero exit; a stack trace only for what is a bug. */
function fail(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof HubError)
    process.stderr.write(`defender-hub: ${oneLine(error.message)} [${error.code}]\n`);
  else
    // A bug's own text may quote what it was handling: secret-shaped parts are masked before it is shown.
    process.stderr.write(
      `defender-hub: unexpected error: ${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
  process.exit(1);
}

// `defender-hub export … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  fail(error);
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}
