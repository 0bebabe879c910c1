import { sql, type Kysely } from 'kysely';
import type { DatasetName } from '../../domain/datasets.js';
import type { Database, SyncJobRow } from '../db/schema.js';

/** A job whose worker has held it this long without finishing is taken to be dead and is queued again. */
export const defaultLeaseMs = 30 * 60_000;

/** A claimed job: which dataset of which integration to sync, and how. */
export interface SyncJob {
  readonly id: number;
  readonly integrationId: string;
  readonly dataset: string;
  readonly options: { readonly full?: boolean; readonly force?: boolean };
  readonly attempts: number;
  readonly lockedBy: string | null;
}

function toSyncJob(row: SyncJobRow): SyncJob {
  return {
    id: row.id,
    integrationId: row.integration_id,
    dataset: row.dataset,
    options: JSON.parse(row.options) as SyncJob['options'],
    attempts: row.attempts,
    lockedBy: row.locked_by,
  };
}

export interface EnqueueOptions {
  readonly runAfter?: Date;
  readonly full?: boolean;
  readonly force?: boolean;
}

/**
 * The PostgreSQL-backed queue of sync jobs that any number of `defender-hub worker` processes share. A job is
 * claimed with `FOR UPDATE SKIP LOCKED`, so each runs exactly once; a partial unique index keeps at most one
 * waiting or running job per integration × dataset, so one tenant's dataset never runs twice at once.
 */
export class SyncJobQueue {
  readonly #db: Kysely<Database>;
  readonly #leaseMs: number;

  constructor(db: Kysely<Database>, options: { leaseMs?: number } = {}) {
    this.#db = db;
    this.#leaseMs = options.leaseMs ?? defaultLeaseMs;
  }

  /** Queues a run unless one is already waiting or running; answers whether it queued one. */
  async enqueue(integrationId: string, dataset: DatasetName, options: EnqueueOptions = {}): Promise<boolean> {
    const now = new Date().toISOString();
    const result = await sql<{ id: number }>`
      insert into sync_jobs (integration_id, dataset, options, status, run_after, created_at, updated_at)
      values (${integrationId}, ${dataset}, ${JSON.stringify({ full: options.full === true, force: options.force === true })},
              'queued', ${(options.runAfter ?? new Date()).toISOString()}, ${now}, ${now})
      on conflict (integration_id, dataset) where status in ('queued', 'running') do nothing
      returning id`.execute(this.#db);
    return result.rows.length > 0;
  }

  /** Takes the oldest due job for this worker, or undefined when none is due. */
  async claim(workerId: string): Promise<SyncJob | undefined> {
    const now = new Date().toISOString();
    const result = await sql<SyncJobRow>`
      update sync_jobs set status = 'running', locked_by = ${workerId}, locked_at = ${now}, attempts = attempts + 1, updated_at = ${now}
      where id = (
        select id from sync_jobs where status = 'queued' and run_after <= ${now}
        order by run_after, id for update skip locked limit 1)
      returning *`.execute(this.#db);
    const row = result.rows[0];
    return row === undefined ? undefined : toSyncJob(row);
  }

  async complete(jobId: number, runId: number | undefined, error?: string): Promise<void> {
    await this.#db
      .updateTable('sync_jobs')
      .set({
        status: error === undefined ? 'done' : 'failed',
        run_id: runId ?? null,
        last_error: error ?? null,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', jobId)
      .execute();
  }

  /** Jobs of workers that died mid-run go back to the queue (their sync run is marked interrupted on rerun). */
  async requeueExpired(): Promise<number> {
    const cutoff = new Date(Date.now() - this.#leaseMs).toISOString();
    const result = await this.#db
      .updateTable('sync_jobs')
      .set({ status: 'queued', locked_by: null, locked_at: null, updated_at: new Date().toISOString() })
      .where('status', '=', 'running')
      .where('locked_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pending(): Promise<number> {
    const row = await this.#db
      .selectFrom('sync_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
