import type { Kysely } from 'kysely';
import type { Database, SyncRunRow } from './schema.js';
import { fetchPage, parseCounts, type Page, type PageRequest } from './list-queries.js';

export const syncRunStatuses = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];

export interface SyncRunFilter {
  readonly integrationId?: string | undefined;
  readonly dataset?: string | undefined;
  readonly status?: SyncRunStatus | undefined;
}

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
}

/** Sync runs, newest first. */
export function listSyncRuns(
  db: Kysely<Database>,
  filter: SyncRunFilter,
  page: PageRequest,
): Promise<Page<SyncRun>> {
  let query = db.selectFrom('sync_runs');
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.dataset !== undefined) query = query.where('dataset', '=', filter.dataset);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return fetchPage(
    page,
    query.selectAll().orderBy('id', 'desc'),
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) => rows.map(toSyncRun),
  );
}

export async function getSyncRun(db: Kysely<Database>, id: number): Promise<SyncRun | undefined> {
  const row = await db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toSyncRun(row);
}

export function toSyncRun(row: SyncRunRow): SyncRun {
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
  };
}
