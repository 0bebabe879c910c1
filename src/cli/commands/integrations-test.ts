import { Command } from 'commander';
import { HubError } from '../../errors.js';
import { testSavedIntegration, type ConnectionTestResult } from '../../integrations/connection-test.js';
import { withHub } from '../hub-session.js';
import { printJson, printLines } from '../output.js';
import { connectionTestLines } from '../connection-test-view.js';

/** The one clear line of a failed test: the steps that failed, with their codes. */
export function connectionTestFailure(name: string, result: ConnectionTestResult): HubError {
  const failed = result.steps.filter((s) => !s.ok).map((s) => `${s.name} (${s.code ?? 'FAILED'})`);
  return new HubError(
    'CONNECTION_TEST_FAILED',
    `The connection test of "${name}" failed: ${failed.join(', ')}.`,
  );
}

export function testIntegrationCommand(): Command {
  return new Command('test')
    .description(
      'Sign in, read a first record of every enabled import the app is permitted to read, then show the permission table (every feature, its API and permissions, granted or not); for a cloud integration: the Azure Resource Manager sign-in, the subscriptions visible and one read of each (Security Reader)',
    )
    .argument('<id|name>', 'the integration')
    .option('--json', 'print the result as JSON')
    .action((idOrName: string, flags: { json?: true }) =>
      withHub(async (hub) => {
        const integration = await hub.integrations.get(idOrName);
        const result = await testSavedIntegration(hub.integrations, integration.id);
        if (flags.json === true) printJson(result);
        else printLines(connectionTestLines(integration.name, result));
        if (!result.ok) throw connectionTestFailure(integration.name, result);
      }),
    );
}
