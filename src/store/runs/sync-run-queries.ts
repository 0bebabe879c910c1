import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { interruptedRunCode } from '../../domain/connection-status.js';
import type { SyncRunStatus } from '../../domain/sync-run-status.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import { toSyncRun, type SyncRun } from './sync-run-mapper.js';

export interface SyncRunFilter {
  readonly integrationId?: string | undefined;
  readonly dataset?: string | undefined;
  readonly status?: SyncRunStatus | undefined;
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

/** What the connection status needs of one integration's dataset. */
export interface DatasetRuns {
  readonly integrationId: string;
  readonly dataset: string;
  readonly latest: SyncRun;
  /** The latest run that ran to its end (isConclusiveRun); undefined when none did. */
  readonly latestConclusive: SyncRun | undefined;
  /** When its latest succeeded run finished. */
  readonly lastSuccessAt: string | null;
}

/**
 * Per integration and dataset that ever ran: its latest run, its latest conclusive run and its last success. One
 * grouped pass over the runs, then the runs it named by id: not a query per integration and dataset.
 */
export async function latestDatasetRuns(
  db: Kysely<Database>,
  integrationId?: string,
): Promise<DatasetRuns[]> {
  // The SQL twin of isConclusiveRun in domain/connection-status.ts.
  const conclusive = sql<boolean>`(status in ('succeeded', 'notPermitted') or (status = 'failed' and
    (error_code is null or error_code <> ${interruptedRunCode})))`;
  let grouped = db
    .selectFrom('sync_runs')
    .select([
      'integration_id',
      'dataset',
      (eb) => eb.fn.max<number>('id').as('latest_id'),
      sql<number | null>`max(case when ${conclusive} then id end)`.as('conclusive_id'),
      sql<string | null>`max(case when status = 'succeeded' then finished_at end)`.as('last_success_at'),
    ])
    .groupBy(['integration_id', 'dataset']);
  if (integrationId !== undefined) grouped = grouped.where('integration_id', '=', integrationId);
  const groups = await grouped.execute();
  const ids = groups.flatMap((g) =>
    g.conclusive_id === null ? [g.latest_id] : [g.latest_id, g.conclusive_id],
  );
  const runs = new Map<number, SyncRun>();
  // A few ids per integration and dataset: a bounded list, read in slices all the same.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sync_runs')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) runs.set(row.id, toSyncRun(row));
  }
  return groups.flatMap((g) => {
    const latest = runs.get(g.latest_id);
    if (latest === undefined) return [];
    return [
      {
        integrationId: g.integration_id,
        dataset: g.dataset,
        latest,
        latestConclusive: g.conclusive_id === null ? undefined : runs.get(g.conclusive_id),
        lastSuccessAt: g.last_success_at,
      },
    ];
  });
}
