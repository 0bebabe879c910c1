import type { Selectable } from 'kysely';
import type { SyncRunsTable } from '../db/schema.js';
import type { SyncRunStatus } from '../../domain/sync-run-status.js';
import { features, type Feature } from '../../domain/permissions.js';
import { parseCounts, parseStringArray } from '../db/list-queries.js';

/** A sync_runs row as the API and CLI show it. */
export interface SyncRun {
  id: number;
  integrationId: string;
  dataset: string;
  status: SyncRunStatus;
  startedAt: string;
  finishedAt: string | null;
  apiCalls: number;
  pages: number;
  recordsIn: number;
  upserted: number;
  skipped: number;
  /** Records skipped, per reason. */
  skippedReasons: Record<string, number>;
  removed: number;
  complete: boolean;
  completeness: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The features not read for want of a permission: all of the dataset's when the status is notPermitted. */
  notPermitted: Feature[];
  /** Seconds per stage of the run, where it timed them: where its time went. */
  stages: Record<string, number>;
}

/** How a run ended, as the runner records it. What is left out keeps the value the run started with. */
export interface SyncRunEnd {
  readonly status: Exclude<SyncRunStatus, 'running'>;
  readonly finishedAt: string;
  readonly apiCalls?: number;
  readonly pages?: number;
  readonly recordsIn?: number;
  readonly upserted?: number;
  readonly skipped?: number;
  readonly skippedReasons?: Readonly<Record<string, number>>;
  readonly removed?: number;
  readonly complete?: boolean;
  readonly completeness?: string | null;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly notPermitted?: readonly Feature[];
  readonly stages?: Readonly<Record<string, number>>;
}

export function toSyncRun(row: Selectable<SyncRunsTable>): SyncRun {
  return {
    id: row.id,
    integrationId: row.integration_id,
    dataset: row.dataset,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    apiCalls: row.api_calls,
    pages: row.pages,
    recordsIn: row.records_in,
    upserted: row.upserted,
    skipped: row.skipped,
    skippedReasons: parseCounts(row.skipped_reasons),
    removed: row.removed,
    complete: row.complete !== 0,
    completeness: row.completeness,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    notPermitted: parseFeatures(row.not_permitted),
    stages: parseCounts(row.stages),
  };
}

/** The columns a run's end sets; Kysely leaves the undefined ones (left out of the end) as they are. */
export function toSyncRunEndColumns(end: SyncRunEnd) {
  return {
    status: end.status,
    finished_at: end.finishedAt,
    api_calls: end.apiCalls,
    pages: end.pages,
    records_in: end.recordsIn,
    upserted: end.upserted,
    skipped: end.skipped,
    skipped_reasons: ifGiven(end.skippedReasons, (reasons) => JSON.stringify(reasons)),
    removed: end.removed,
    complete: ifGiven(end.complete, Number),
    completeness: end.completeness,
    error_code: end.errorCode,
    error_message: end.errorMessage,
    // None is stored as null: no list to read.
    not_permitted: ifGiven(end.notPermitted, (list) => (list.length === 0 ? null : JSON.stringify(list))),
    stages: ifGiven(end.stages, (stages) => (Object.keys(stages).length === 0 ? null : JSON.stringify(stages))),
  };
}

function ifGiven<T, U>(value: T | undefined, map: (given: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

/** A stored feature list, in table order; names no longer in the permission table are dropped. */
function parseFeatures(json: string | null): Feature[] {
  const stored = parseStringArray(json);
  return features.filter((feature) => stored.includes(feature));
}
