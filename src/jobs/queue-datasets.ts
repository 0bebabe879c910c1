import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import { InvalidInputError } from '../errors.js';
import { namedDatasetsFor, plannedDatasets } from '../app/schedule-due.js';
import type { Repositories } from '../store/index.js';
import { jobsWithWorkers } from './job-workers.js';
import { pendingJobStates, type SyncJobView } from './sync-job.js';
import type { EnqueueOptions, SyncJobQueue } from './sync-job-queue.js';

/** The datasets to queue now: findings wait for the machines run they follow (the worker queues them then). */
function besideMachines(datasets: readonly DatasetName[]): readonly DatasetName[] {
  return datasets.includes('machines') ? datasets.filter((d) => d !== 'findings') : datasets;
}

/**
 * Queues an integration's datasets for the workers; answers those it queued. Findings are left out beside a
 * machines job: the worker queues them once the machines are stored (queued beside it, they could run first, on
 * endpoints not stored yet). A dataset with a job waiting or running is left alone: a job a worker has just
 * taken has no running run yet, so the dataset could still look due.
 */
export async function queueDatasets(
  queue: SyncJobQueue,
  integrationId: string,
  datasets: readonly DatasetName[],
  options: EnqueueOptions = {},
): Promise<DatasetName[]> {
  const wanted = besideMachines(datasets);
  const pending = await queue.pendingDatasets(integrationId);
  const queued: DatasetName[] = [];
  for (const dataset of wanted)
    if (!pending.has(dataset) && (await queue.enqueue(integrationId, dataset, options)) !== undefined)
      queued.push(dataset);
  return queued;
}

/**
 * A sync asked for now (the API's "Sync now"): the dataset named, or every one the integration's toggles ask for,
 * queued for the workers, or brought forward when already waiting. Answers the integration's jobs that will still run, this request's among them.
 */
export async function queueSyncRequest(
  queue: SyncJobQueue,
  syncRuns: Pick<Repositories['syncRuns'], 'running'>,
  integration: Integration,
  dataset: DatasetName | undefined,
  options: EnqueueOptions,
): Promise<(SyncJobView & { worker: string | null })[]> {
  const datasets =
    dataset === undefined ? plannedDatasets(integration) : namedDatasetsFor(integration, [dataset]);
  if (datasets.length === 0 && dataset !== undefined)
    throw new InvalidInputError(
      'SYNC_DATASET_NOT_FOR_PRODUCT',
      `The ${dataset} dataset is not read for this integration's product; sync it without naming a dataset to run its own.`,
    );
  const queued = await queueDatasets(queue, integration.id, datasets, options);
  // Asked for now: a job already waiting (or waiting out a retry's back-off) runs now too.
  for (const dataset of besideMachines(datasets))
    if (!queued.includes(dataset)) await queue.hurry(integration.id, dataset);
  const jobs = await queue.list({ integrationId: integration.id }, { page: 1, pageSize: 100 });
  const waiting = jobs.items.filter((job) => pendingJobStates.includes(job.state));
  return (await jobsWithWorkers({ ...jobs, items: waiting }, syncRuns)).items;
}
