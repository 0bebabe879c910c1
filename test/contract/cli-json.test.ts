import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { addIntegrationArgs, dataDirEnv, runCli } from '../cli/cli.js';

const isoTime = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;

/** What differs from run to run (times, durations, generated ids and ports) made constant; the shape and data stay. */
function stable(text: string, sim: { apiBaseUrl: string }): string {
  return (
    text
      .replaceAll(new URL(sim.apiBaseUrl).host, '<simulator>')
      .replace(isoTime, '<time>')
      .replace(/"(durationMs|elapsedMs|ms)":\d+/g, '"$1":0')
      // A run's stage timings; and its id, since datasets that do not read each other start side by side.
      .replace(/"stages":\{[^}]*\}/g, (stages) => stages.replace(/:[\d.]+/g, ':0'))
      .replace(/"id":\d+,"integrationId"/g, '"id":"<run>","integrationId"')
      .replace(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g, '<certificate>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
  );
}

function sortedLines(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  return lines.length === 0 ? text : `${lines.sort().join('\n')}\n`;
}

describe('the CLI --json outputs and exports', () => {
  // The --json outputs are what scripts parse: a refactoring leaves them as they are, byte for byte, apart from
  // times and generated ids. A deliberate change updates the file with `vitest -u`.
  it(
    'should print the same JSON as the recorded copy for every listing and show command',
    { timeout: 400_000 },
    async () => {
      const sim = await useSimulator({ machines: 12, seed: 20, findingsPerMachine: 3 });
      const env = dataDirEnv();
      const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
      writeFileSync(caFile, sim.caPem);
      const commands = [
        [...addIntegrationArgs(sim, { name: 'sim', caFile }), '--json'],
        ['integrations', 'test', 'sim', '--json'],
        ['sync', '--json'],
        ['integrations', 'list', '--json'],
        ['integrations', 'show', 'sim', '--json'],
        ['integrations', 'disable', 'sim', '--json'],
        ['integrations', 'enable', 'sim', '--json'],
        ['profiles', 'list', '--json'],
        [
          'strategies',
          'add',
          '--name',
          'critical',
          '--expression',
          "Defender.SeverityLevel >= 'High'",
          '--json',
        ],
        ['strategies', 'list', '--json'],
        ['strategies', 'show', '1', '--json'],
        ['strategies', 'validate', "Defender.SeverityLevel >= 'High'", '--json'],
        ['strategies', 'matches', '1', '--endpoint-limit', '2', '--json'],
        ['hunt', 'save', 'DeviceInfo | take 5', '--name', 'devices', '--json'],
        ['hunt', 'list', '--json'],
        ['action', 'list', '--json'],
        ['users', 'add', 'ops', '--role', 'viewer', '--password-stdin'],
        ['users', 'list', '--json'],
        ['export', 'endpoints', '--format', 'csv'],
        ['export', 'findings', '--format', 'csv'],
        ['export', 'alerts'],
      ];
      let transcript = '';
      for (const args of commands) {
        const input = args.includes('--password-stdin') ? 'a long enough password\n' : undefined;
        const result = await runCli(args, env, input);
        const shown = args[0] === 'integrations' && args[1] === 'add' ? ['integrations', 'add', '…'] : args;
        // The sync prints each run as it ends: sorted here, since that is not the order they start or end in.
        const stdout = stable(result.stdout, sim);
        transcript += `$ ${shown.join(' ')}\nexit ${result.code}\n${args[0] === 'sync' ? sortedLines(stdout) : stdout}${stable(result.stderr, sim)}\n`;
      }
      await expect(transcript).toMatchFileSnapshot('./__snapshots__/cli-json.txt');
    },
  );
});
