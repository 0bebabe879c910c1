import { Command } from 'commander';
import { HubError } from '../../errors.js';
import { testSavedIntegration, type ConnectionTestResult } from '../../integrations/connection-test.js';
import { withHub } from '../hub-session.js';
import { oneLine, printJson, printLines, table } from '../output.js';

function resultLines(name: string, result: ConnectionTestResult): string[] {
  const steps = table(
    ['STEP', 'RESULT', 'TIME', 'DETAIL'],
    result.steps.map((s) => [
      s.name,
      s.ok ? 'ok' : 'failed',
      `${s.ms} ms`,
      s.ok ? '' : `${oneLine(s.message ?? '')} [${s.code ?? 'FAILED'}]`,
    ]),
  );
  const permissions = table(
    ['FEATURE', 'NEEDS (ANY ONE)', 'GRANTED'],
    result.permissions.map((p) => [p.feature, p.needs.join(' or '), p.granted ? 'yes' : 'no']),
  );
  return [
    `Connection test of "${name}": ${result.ok ? 'ok' : 'failed'}`,
    '',
    ...steps,
    '',
    ...permissions,
    '',
    ...credentialLines(result.credential),
  ];
}

function credentialLines(credential: ConnectionTestResult['credential']): string[] {
  return [
    `Credential expires: ${credential.expiresAt ?? 'unknown'}`,
    ...credential.warnings.map((w) => `  ${w.level}: ${oneLine(w.message)} [${w.code}]`),
  ];
}

export function testIntegrationCommand(): Command {
  return new Command('test')
    .description('Sign in and read a first record of every enabled import, then show the permissions granted')
    .argument('<id|name>', 'the integration')
    .option('--json', 'print the result as JSON')
    .action((idOrName: string, flags: { json?: true }) =>
      withHub(async (hub) => {
        const integration = await hub.integrations.get(idOrName);
        const result = await testSavedIntegration(hub.integrations, integration.id);
        if (flags.json === true) printJson(result);
        else printLines(resultLines(integration.name, result));
        if (!result.ok) {
          const failed = result.steps.filter((s) => !s.ok).map((s) => `${s.name} (${s.code ?? 'FAILED'})`);
          throw new HubError(
            'CONNECTION_TEST_FAILED',
            `The connection test of "${integration.name}" failed: ${failed.join(', ')}.`,
          );
        }
      }),
    );
}
