import { Command, InvalidArgumentError, Option } from 'commander';
import type { Hub } from '../../app/hub.js';
import { namedDatasetsFor, plannedDatasets } from '../../app/schedule-due.js';
import { HubError } from '../../errors.js';
import { datasetNames, type DatasetName } from '../../domain/datasets.js';
import { withHub } from '../hub-session.js';
import { showsProgress } from '../output.js';
import { runSyncs, throwIfAnyFailed, type SyncTarget } from '../run-syncs.js';
import { createSyncReporter } from '../sync-reporter.js';

interface SyncFlags {
  integration?: string;
  dataset?: readonly DatasetName[];
  full?: true;
  force?: true;
  json?: true;
}

/**
 * One integration when named (even a disabled one: asking is consent), else every enabled one. Datasets named for
 * every integration run where the integration's product has them; named for one, they must be its product's.
 */
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
  const named = flags.dataset;
  if (named === undefined)
    return integrations.map((integration) => ({ integration, datasets: plannedDatasets(integration) }));
  // Named for one integration, a dataset its product does not read is an error the run explains.
  if (flags.integration !== undefined)
    return integrations.map((integration) => ({
      integration,
      datasets: datasetNames.filter((name) => named.includes(name)),
    }));
  return integrations
    .map((integration) => ({ integration, datasets: namedDatasetsFor(integration, named) }))
    .filter((target) => target.datasets.length > 0);
}

/** `--dataset machines,findings`: each name one of the datasets, said once. */
function parseDatasets(value: string): DatasetName[] {
  const names = value.split(',').map((name) => name.trim());
  const known: readonly string[] = datasetNames;
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(
      `'${unknown.join("', '") || value}' is not a dataset. Allowed: ${datasetNames.join(', ')} (several: a comma-separated list).`,
    );
  return names as DatasetName[];
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
    .addOption(
      new Option(
        '--dataset <names>',
        `only these datasets, comma-separated, of: ${datasetNames.join(', ')}`,
      ).argParser(parseDatasets),
    )
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
