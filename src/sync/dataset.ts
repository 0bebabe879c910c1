import type { DefenderClient } from '../defender/index.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import type { RunCounters, SyncProgress } from './run-counters.js';
import type { DatasetAccess } from './dataset-access.js';

/** One run of a dataset: what it reads from, writes to and counts in. */
export interface DatasetContext<Deps> {
  readonly integration: Integration;
  readonly client: DefenderClient;
  /** The repositories and services the dataset declares it uses: each dataset's own `…Deps` type. */
  readonly deps: Deps;
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
  /**
   * Resolves once the datasets the dataset names in `readsLater` have finished in the same sync; at once when it
   * runs alone (their latest results are in the store).
   */
  readonly laterInputs: () => Promise<void>;
}

/** How a run ended, beyond its counters. */
export interface DatasetOutcome {
  /** Every page was read: only then may records not seen be marked stale or resolved. */
  readonly complete: boolean;
  /** Why complete or not, in words a user can act on. */
  readonly completeness: string;
}

/** A dataset as the schedule, the status and the CLI know it: which integrations run it. */
export interface DatasetInfo {
  readonly name: DatasetName;
  /** The Defender product whose integrations run it (Endpoint when absent). */
  readonly product?: Integration['product'];
  /** Whether the integration's import toggles ask for this dataset. */
  enabled(integration: Integration): boolean;
}

export interface Dataset<Deps> extends DatasetInfo {
  /**
   * The datasets whose results this one reads, when not every dataset listed before it: a whole-integration sync
   * starts it once those have finished, so a dataset that waits on Defender's rate budget overlaps the local work
   * of the others. Absent, it follows every dataset before it.
   */
  readonly after?: readonly DatasetName[];
  /**
   * Datasets whose results it reads only late in its run: a whole-integration sync starts it beside them, and the
   * run waits for them (`laterInputs`) only where it reads their results.
   */
  readonly readsLater?: readonly DatasetName[];
  run(context: DatasetContext<Deps>): Promise<DatasetOutcome>;
}

export type { SyncProgress };

/** Whether the dataset reads the integration's product: a Defender for Endpoint integration never runs cloudPosture. */
export function datasetOfProduct(dataset: DatasetInfo, integration: Pick<Integration, 'product'>): boolean {
  return (dataset.product ?? 'endpoint') === integration.product;
}

/** Whether the dataset runs for the integration: its product's datasets only, as its import toggles ask. */
export function datasetRunsFor(dataset: DatasetInfo, integration: Integration): boolean {
  return datasetOfProduct(dataset, integration) && dataset.enabled(integration);
}

/** The run's abort signal as the client's list options take it (absent when the run has none). */
export function signalOption(ctx: DatasetContext<unknown>): { signal?: AbortSignal } {
  return ctx.signal === undefined ? {} : { signal: ctx.signal };
}
