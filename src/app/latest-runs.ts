import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { DatasetRuns, SyncRun } from '../store/index.js';

export type LatestRuns = Partial<Readonly<Record<DatasetName, SyncRun>>>;

/** One integration's latest run of each dataset (absent: never ran), from the store's latest runs of it. */
export function latestByDataset(runs: readonly DatasetRuns[]): LatestRuns {
  const known: readonly string[] = datasetNames;
  return Object.fromEntries(runs.filter((r) => known.includes(r.dataset)).map((r) => [r.dataset, r.latest]));
}
