import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { Repositories, SyncRunRow } from '../store/index.js';

export type LatestRuns = Partial<Record<DatasetName, SyncRunRow>>;

/** The latest run of each dataset of the integration (absent: never ran). */
export async function latestRuns(repos: Repositories, integrationId: string): Promise<LatestRuns> {
  const runs: LatestRuns = {};
  for (const dataset of datasetNames) {
    const row = await repos.syncRuns.latest(integrationId, dataset);
    if (row !== undefined) runs[dataset] = row;
  }
  return runs;
}
