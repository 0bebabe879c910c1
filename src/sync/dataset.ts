import type { DefenderClient } from '../defender/index.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import type { RunCounters, SyncProgress } from './run-counters.js';
import type { DatasetAccess } from './dataset-access.js';
import type { Repositories } from '../store/index.js';

export interface DatasetContext {
  readonly integration: Integration;
  readonly client: DefenderClient;
  readonly repos: Repositories;
  readonly runId: number;
  readonly counters: RunCounters;
  /** Allow removals past the safety bound. */
  readonly force: boolean;
  /** Ignore cursors and read everything. */
  readonly full: boolean;
  readonly signal: AbortSignal | undefined;
  readonly progress: (counters: RunCounters) => void;
  /** What the app's tokens let this run read: at least one of the dataset's features. */
  readonly access: DatasetAccess;
}

/** How a run ended, beyond its counters. */
export interface DatasetOutcome {
  /** Every page was read: only then may records not seen be marked stale or resolved. */
  readonly complete: boolean;
  /** Why complete or not, in words a user can act on. */
  readonly completeness: string;
}

export interface Dataset {
  readonly name: DatasetName;
  /** The Defender product whose integrations run it (Endpoint when absent). */
  readonly product?: Integration['product'];
  /** Whether the integration's import toggles ask for this dataset. */
  enabled(integration: Integration): boolean;
  run(context: DatasetContext): Promise<DatasetOutcome>;
}

export type { SyncProgress };

/** Whether the dataset runs for the integration: its product's datasets only, as its import toggles ask. */
export function datasetRunsFor(dataset: Dataset, integration: Integration): boolean {
  return (dataset.product ?? 'endpoint') === integration.product && dataset.enabled(integration);
}

/** Largest share of the previous count a run may remove (mark stale, resolve) without `--force`. */
export const removalBound = 0.2;

/**
 * Whether a complete run may remove `unseen` of `previous` records; the answer says why not when it may not.
 */
export function removalVerdict(
  unseen: number,
  previous: number,
  force: boolean,
  what: string,
): { allowed: boolean; note: string } {
  if (unseen === 0) return { allowed: true, note: `no ${what} to remove` };
  if (force || previous === 0 || unseen <= previous * removalBound)
    return { allowed: true, note: `${unseen} ${what} removed` };
  return {
    allowed: false,
    note: `${unseen} of ${previous} ${what} were not seen (more than ${Math.round(removalBound * 100)} %); nothing was removed. If that is right, run again with --force.`,
  };
}
