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
  return [
    `Connection test of "${name}": ${result.ok ? 'ok' : 'failed'}`,
    '',
    ...steps,
    '',
    ...(result.product === 'cloud' ? subscriptionLines(result) : permissionLines(result)),
    '',
    ...credentialLines(result.credential),
  ];
}

function permissionLines(result: ConnectionTestResult): string[] {
  return table(
    ['FEATURE', 'NEEDS (ANY ONE)', 'GRANTED'],
    result.permissions.map((p) => [p.feature, p.needs.join(' or '), p.granted ? 'yes' : 'no']),
  );
}

/** Cloud: ARM access is a role per subscription, so the subscriptions stand where app roles would. */
function subscriptionLines(result: ConnectionTestResult): string[] {
  if (result.subscriptions.length === 0) return ['Subscriptions visible: none'];
  const readable = (value: boolean | null): string => (value === null ? 'not tried' : value ? 'yes' : 'no');
  return table(
    ['SUBSCRIPTION', 'NAME', 'STATE', 'READABLE (SECURITY READER)'],
    result.subscriptions.map((s) => [s.subscriptionId, s.displayName, s.state, readable(s.readable)]),
  );
}

function credentialLines(credential: ConnectionTestResult['credential']): string[] {
  return [
    `Credential expires: ${credential.expiresAt ?? 'unknown'}`,
    ...credential.warnings.map((w) => `  ${w.level}: ${oneLine(w.message)} [${w.code}]`),
  ];
}

export function testIntegrationCommand(): Command {
  return new Command('test')
    .description(
      'Sign in and read a first record of every enabled import, then show the permissions granted; for a cloud integration: the Azure Resource Manager sign-in, the subscriptions visible and one read of each (Security Reader)',
    )
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
