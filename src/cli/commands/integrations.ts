import { Command } from 'commander';
import type { Hub } from '../../app/hub.js';
import { HubError } from '../../errors.js';
import { withHub } from '../hub-session.js';
import { integrationLines, integrationsTable, latestRunsOf, withRuns } from '../integration-view.js';
import { printJson, printLines } from '../output.js';
import { confirm } from '../prompt.js';
import { addIntegrationCommand } from './integrations-add.js';
import { testIntegrationCommand } from './integrations-test.js';
import { updateIntegrationCommand } from './integrations-update.js';

interface JsonFlag {
  json?: true;
}

function listCommand(): Command {
  return new Command('list')
    .description('List integrations with the last sync of each dataset')
    .option('--json', 'print a JSON array')
    .action((flags: JsonFlag) =>
      withHub(async (hub) => {
        const integrations = await hub.integrations.list();
        if (flags.json === true) {
          printJson(await Promise.all(integrations.map((i) => withRuns(hub, i))));
          return;
        }
        if (integrations.length === 0) {
          printLines(['No integrations yet: add one with `defender-hub integrations add`.']);
          return;
        }
        const rows = await Promise.all(
          integrations.map(async (integration) => ({
            integration,
            runs: await latestRunsOf(hub, integration),
          })),
        );
        printLines(integrationsTable(rows));
      }),
    );
}

function showCommand(): Command {
  return new Command('show')
    .description('Show one integration (never its credential) and its last runs')
    .argument('<id|name>', 'the integration')
    .option('--json', 'print JSON')
    .action((idOrName: string, flags: JsonFlag) =>
      withHub(async (hub) => {
        const integration = await hub.integrations.get(idOrName);
        if (flags.json === true) printJson(await withRuns(hub, integration));
        else printLines(integrationLines(integration, { runs: await latestRunsOf(hub, integration) }));
      }),
    );
}

/** `enable` and `disable`: the same command but for the state it sets. */
function setEnabledCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return new Command(verb)
    .description(
      enabled
        ? 'Enable an integration: the scheduler runs a full sync of it next'
        : 'Disable an integration: no more syncs; its data stays',
    )
    .argument('<id|name>', 'the integration')
    .option('--json', 'print the integration as JSON')
    .action((idOrName: string, flags: JsonFlag) =>
      withHub(async (hub) => {
        const integration = await hub.integrations.setEnabled(idOrName, enabled);
        if (flags.json === true) printJson(integration);
        else printLines([`Integration "${integration.name}" (${integration.id}) is ${verb}d.`]);
      }),
    );
}

async function confirmRemoval(hub: Hub, idOrName: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  const integration = await hub.integrations.get(idOrName);
  if (!process.stdin.isTTY)
    throw new HubError(
      'CONFIRMATION_REQUIRED',
      `Not removing "${integration.name}": there is no terminal to confirm on. Run again with --yes.`,
    );
  const endpoints = await hub.data.endpoints.count(integration.id);
  return confirm(
    `Remove integration "${integration.name}" (${integration.id}) with its ${endpoints} endpoints, findings, alerts and sync history?`,
  );
}

function removeCommand(): Command {
  return new Command('remove')
    .description('Remove an integration and everything synced from it')
    .argument('<id|name>', 'the integration')
    .option('--yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .action((idOrName: string, flags: { yes?: true }) =>
      withHub(async (hub) => {
        if (!(await confirmRemoval(hub, idOrName, flags.yes === true))) {
          printLines(['Nothing removed.']);
          return;
        }
        const integration = await hub.integrations.get(idOrName);
        await hub.integrations.remove(integration.id);
        printLines([`Removed integration "${integration.name}" (${integration.id}) and its data.`]);
      }),
    );
}

export function integrationsCommand(): Command {
  return new Command('integrations')
    .description('Manage Defender integrations: add, list, show, update, test, enable, disable, remove')
    .addCommand(addIntegrationCommand())
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(updateIntegrationCommand())
    .addCommand(testIntegrationCommand())
    .addCommand(setEnabledCommand(true))
    .addCommand(setEnabledCommand(false))
    .addCommand(removeCommand());
}
