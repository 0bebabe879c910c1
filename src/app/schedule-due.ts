import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import { ranAsPermitted } from '../domain/connection-status.js';
import { datasets } from '../sync/sync-service.js';
import { datasetOfProduct, datasetRunsFor } from '../sync/dataset.js';
import type { SyncRun } from '../store/index.js';

/**
 * What is due now: a pure function of an integration, its latest run per dataset and the time. The in-process
 * scheduler (SQLite) asks it; a job queue (PostgreSQL) will ask the same question to decide what to enqueue.
 */

/** The latest run of one dataset. */
export type LastRun = Pick<SyncRun, 'status' | 'startedAt' | 'finishedAt'>;
export type LastRuns = Partial<Readonly<Record<DatasetName, LastRun>>>;

export interface DueWork {
  readonly integrationId: string;
  /** Ignore cursors and read everything: the first sync, or the first after the integration was enabled again. */
  readonly full: boolean;
  /** In the order a full sync runs them (findings after machines). */
  readonly datasets: readonly DatasetName[];
  /** For the log line. */
  readonly reason: 'first sync' | 'enabled' | 'schedule';
}

/**
 * A failed or cancelled run is tried again after this many minutes, or its interval if shorter: soon enough that
 * a fixed secret shows results quickly, slow enough not to hammer a tenant that keeps refusing.
 */
export const retryAfterFailureMinutes = 15;

const minute = 60_000;

/** The datasets the integration's import toggles ask for, in dependency order. */
export function plannedDatasets(integration: Integration): DatasetName[] {
  return datasets.filter((d) => datasetRunsFor(d, integration)).map((d) => d.name);
}

/** Of the datasets named, those the integration's product reads, in the order a whole sync runs them. */
export function namedDatasetsFor(integration: Integration, names: readonly DatasetName[]): DatasetName[] {
  return datasets.filter((d) => names.includes(d.name) && datasetOfProduct(d, integration)).map((d) => d.name);
}

/** Minutes between runs of the dataset; findings have none of their own and keep the machines cadence. */
function intervalMinutes(integration: Integration, dataset: DatasetName): number {
  return dataset === 'findings' ? integration.schedules.machines : integration.schedules[dataset];
}

/**
 * A run counts from its start. One still `running` (here or in another process, e.g. a `defender-hub sync`)
 * counts as started too: it blocks its dataset for one interval, after which a run that a dead process left
 * behind no longer holds the dataset back.
 */
function elapsed(last: LastRun, integration: Integration, dataset: DatasetName, now: Date): boolean {
  const interval = intervalMinutes(integration, dataset);
  const wait =
    last.status === 'failed' || last.status === 'cancelled'
      ? Math.min(interval, retryAfterFailureMinutes)
      : interval;
  return now.getTime() - Date.parse(last.startedAt) >= wait * minute;
}

/**
 * Findings link each device to the endpoints stored, so they follow each successful machines run (and wait while
 * one is under way). They do not need one: the export names every device, and the token may not read machines at
 * all (Machine.Read.All missing): a machines run not permitted paces them as a success does. With none to follow —
 * the import off, never run or failed — they keep the machines interval on their own. A failed findings run is
 * retried like any other.
 */
function findingsDue(integration: Integration, lastRuns: LastRuns, now: Date): boolean {
  const last = lastRuns.findings;
  if (last?.status === 'running') return elapsed(last, integration, 'findings', now);
  const machines = integration.imports.assets ? lastRuns.machines : undefined;
  if (machines?.status === 'running') return false;
  // A machines run not permitted (no Machine.Read.All) paces them as a success does.
  if (machines !== undefined && ranAsPermitted(machines.status) && machines.finishedAt !== null) {
    if (last === undefined || Date.parse(last.startedAt) < Date.parse(machines.finishedAt)) return true;
    return !ranAsPermitted(last.status) && elapsed(last, integration, 'findings', now);
  }
  return last === undefined || elapsed(last, integration, 'findings', now);
}

function datasetDue(integration: Integration, lastRuns: LastRuns, dataset: DatasetName, now: Date): boolean {
  if (dataset === 'findings') return findingsDue(integration, lastRuns, now);
  const last = lastRuns[dataset];
  return last === undefined || elapsed(last, integration, dataset, now);
}

export interface DueOptions {
  /** The scheduler saw the integration go from disabled to enabled: it gets a full sync. */
  readonly fullSyncRequested?: boolean;
  /** Datasets already run in this pass of the integration's chain: never twice in one pass. */
  readonly done?: ReadonlySet<DatasetName>;
}

/** What the integration should run now, or undefined when nothing is due. */
export function dueFor(
  integration: Integration,
  lastRuns: LastRuns,
  now: Date,
  options: DueOptions = {},
): DueWork | undefined {
  if (!integration.enabled) return undefined;
  const planned = plannedDatasets(integration).filter((d) => options.done?.has(d) !== true);
  if (planned.length === 0) return undefined;
  const neverSynced = datasetNames.every((d) => lastRuns[d] === undefined);
  if (neverSynced || options.fullSyncRequested === true) {
    return {
      integrationId: integration.id,
      full: true,
      datasets: planned,
      reason: neverSynced ? 'first sync' : 'enabled',
    };
  }
  const due = planned.filter((d) => datasetDue(integration, lastRuns, d, now));
  return due.length === 0
    ? undefined
    : { integrationId: integration.id, full: false, datasets: due, reason: 'schedule' };
}

/** Across integrations: what is due, skipping those whose chain is busy. */
export function dueNow(
  integrations: readonly Integration[],
  lastRuns: ReadonlyMap<string, LastRuns>,
  now: Date,
  options: { busy?: ReadonlySet<string>; fullSyncRequested?: ReadonlySet<string> } = {},
): DueWork[] {
  return integrations.flatMap((integration) => {
    if (options.busy?.has(integration.id) === true) return [];
    const work = dueFor(integration, lastRuns.get(integration.id) ?? {}, now, {
      fullSyncRequested: options.fullSyncRequested?.has(integration.id) === true,
    });
    return work === undefined ? [] : [work];
  });
}

/** Integrations enabled now that were disabled at the previous look (ids unknown before do not count). */
export function newlyEnabled(
  before: ReadonlyMap<string, boolean>,
  integrations: readonly Integration[],
): string[] {
  return integrations.filter((i) => i.enabled && before.get(i.id) === false).map((i) => i.id);
}
