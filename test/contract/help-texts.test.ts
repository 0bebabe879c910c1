import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

/** Every command's help, depth first, each under its full name: what `defender-hub … --help` prints. */
function helpTexts(command: Command, prefix: string[] = []): string {
  const path = [...prefix, command.name()];
  const own = `## ${path.join(' ')}\n${command.helpInformation()}\n`;
  return own + command.commands.map((sub) => helpTexts(sub, path)).join('');
}

describe('the CLI help texts', () => {
  // A refactoring must not change what users read; a deliberate change updates the file with `vitest -u`.
  it('should print the same help for every command as the recorded copy', async () => {
    await expect(helpTexts(buildProgram())).toMatchFileSnapshot('./__snapshots__/cli-help.txt');
  });
});
