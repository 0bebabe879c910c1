import type { Hub } from '../app/hub.js';
import { ranAsPermitted } from '../domain/connection-status.js';
import { HubError } from '../errors.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import type { SyncReporter } from './sync-reporter.js';
import type { SyncRun } from '../store/index.js';

export interface SyncTarget {
  readonly integration: Integration;
  /** In list order; each runs once the inputs among them it reads have. */
  readonly datasets: readonly DatasetName[];
}

export interface FinishedRun {
  readonly integration: Integration;
  readonly run: SyncRun;
}

/**
 * Runs the targets' datasets: integrations side by side (one tenant's slowness is not another's), each one's
 * datasets once their inputs have run (findings join to the endpoints the machines run stored). An abort lets
 * the runs in progress end as `cancelled` and starts no more.
 */
export async function runSyncs(
  hub: Hub,
  targets: readonly SyncTarget[],
  options: { full: boolean; force: boolean; signal?: AbortSignal },
  reporter: SyncReporter,
): Promise<FinishedRun[]> {
  reporter.plan(targets);
  try {
    const perIntegration = await Promise.all(
      targets.map(async ({ integration, datasets }) => {
        const runs = await hub.sync.syncIntegration(integration.id, {
          datasets,
          full: options.full,
          force: options.force,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: (progress) => {
            reporter.progress(progress);
          },
          onFinished: (run) => {
            reporter.finished(integration, run);
          },
        });
        return runs.map((run) => ({ integration, run }));
      }),
    );
    return perIntegration.flat();
  } finally {
    reporter.close();
  }
}

/** Throws the one clear line that names every run that failed; a run not permitted is not one. */
export function throwIfAnyFailed(runs: readonly FinishedRun[]): void {
  const failed = runs.filter((r) => !ranAsPermitted(r.run.status));
  if (failed.length === 0) return;
  const names = failed.map(
    ({ integration, run }) => `${integration.name} ${run.dataset} (${run.errorCode ?? run.status})`,
  );
  throw new HubError(
    'SYNC_FAILED',
    `${failed.length} of ${runs.length} sync runs did not succeed: ${names.join(', ')}.`,
  );
}
