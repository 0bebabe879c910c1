import { Command, Option } from 'commander';
import type { Hub } from '../../app/hub.js';
import { plannedDatasets } from '../../app/schedule-due.js';
import { HubError } from '../../errors.js';
import { datasetNames, type DatasetName } from '../../domain/datasets.js';
import { withHub } from '../hub-session.js';
import { showsProgress } from '../output.js';
import { runSyncs, throwIfAnyFailed, type SyncTarget } from '../run-syncs.js';
import { createSyncReporter } from '../sync-reporter.js';

interface SyncFlags {
  integration?: string;
  dataset?: DatasetName;
  full?: true;
  force?: true;
  json?: true;
}

/** One integration when named (even a disabled one: asking is consent), else every enabled one. */
async function targets(hub: Hub, flags: SyncFlags): Promise<SyncTarget[]> {
  const integrations =
    flags.integration === undefined
      ? (await hub.integrations.list()).filter((i) => i.enabled)
      : [await hub.integrations.get(flags.integration)];
  if (integrations.length === 0)
    throw new HubError(
      'NO_INTEGRATIONS',
      'No enabled integration to sync: add one with `defender-hub integrations add` or enable one.',
    );
  return integrations.map((integration) => ({
    integration,
    datasets: flags.dataset === undefined ? plannedDatasets(integration) : [flags.dataset],
  }));
}

/** Ctrl+C once: the runs in progress stop and are recorded as cancelled, instead of being cut off. */
function cancelOnInterrupt(): AbortController {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('Cancelling: the runs in progress stop at the next page.\n');
    controller.abort();
    process.once('SIGINT', () => {
      // Cut off mid-bar: give the terminal its cursor back.
      if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
      process.exit(130);
    });
  });
  return controller;
}

export function syncCommand(): Command {
  return new Command('sync')
    .description(
      'Sync now: every enabled integration (or one) and every dataset its imports ask for (or one)',
    )
    .option('--integration <id|name>', 'only this integration')
    .addOption(new Option('--dataset <name>', 'only this dataset').choices(datasetNames))
    .option('--full', 'ignore the cursors and read everything')
    .option('--force', 'allow removing more than the safety share of records a run did not see')
    .option('--json', 'print each finished run as one JSON line (the sync_runs row)')
    .action((flags: SyncFlags) =>
      withHub(async (hub) => {
        const json = flags.json === true;
        const reporter = createSyncReporter(
          json ? 'json' : showsProgress(json) ? 'bars' : 'lines',
          process.stdout,
        );
        const runs = await runSyncs(
          hub,
          await targets(hub, flags),
          { full: flags.full === true, force: flags.force === true, signal: cancelOnInterrupt().signal },
          reporter,
        );
        throwIfAnyFailed(runs);
      }),
    );
}
