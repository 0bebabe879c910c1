import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ranAsPermitted } from '../domain/connection-status.js';
import { HubError, isNotFound } from '../errors.js';
import type { SyncService } from '../sync/sync-service.js';
import { thisRunner } from '../sync/run-owner.js';
import type { SyncRun } from '../store/index.js';
import type { ClaimedSyncJob, SyncJobQueue } from './sync-job-queue.js';

/** How a job ended in this worker: `requeued` when the worker stopped under it and gave it back. */
export type JobOutcome = 'done' | 'failed' | 'requeued' | 'dropped';

export interface SyncWorkerOptions {
  /** Jobs run at once in this process (default 1). */
  readonly concurrency?: number;
  readonly onJob?: (job: ClaimedSyncJob, outcome: JobOutcome, run?: SyncRun, error?: string) => void;
}

/** A run that did not end as permitted: the job fails, so the engine retries it after its back-off. */
export class SyncJobFailedError extends HubError {
  constructor(run: SyncRun) {
    super(
      'SYNC_JOB_FAILED',
      `The ${run.dataset} run ${run.id} ended ${run.status}: ${run.errorCode ?? ''} ${run.errorMessage ?? ''}`.trim(),
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Takes sync jobs from the shared queue and runs them, `concurrency` at a time; start more processes, on as many
 * machines as needed, for more. Stopping gives the jobs in hand back at once: their runs are cancelled through
 * their signal (recorded as such), each job is queued again for the next worker, and the worker exits.
 */
export class SyncWorker {
  readonly id = `${thisRunner}:${randomUUID().slice(0, 8)}`;
  readonly #queue: SyncJobQueue;
  readonly #sync: SyncService;
  readonly #options: SyncWorkerOptions;
  readonly #stopping = new AbortController();
  readonly #inHand = new Set<Promise<unknown>>();
  #started: Promise<void> | undefined;
  /** Jobs that ended in this worker, whatever their outcome. */
  #ended = 0;

  constructor(queue: SyncJobQueue, sync: SyncService, options: SyncWorkerOptions = {}) {
    this.#queue = queue;
    this.#sync = sync;
    this.#options = options;
  }

  /** Starts taking jobs. */
  start(): Promise<void> {
    this.#started ??= this.#queue.work(this.#options.concurrency ?? 1, (job) => this.#track(job));
    return this.#started;
  }

  /** Stops taking jobs, cancels the runs in hand and gives their jobs back to the queue. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    if (this.#started === undefined) return;
    await this.#started.catch(() => undefined);
    await this.#queue.stopTaking();
    await Promise.allSettled(this.#inHand);
  }

  /**
   * Runs jobs until none is due and none runs (`worker --once`); answers how many this worker ran. It waits for
   * jobs other workers run too: a job the engine has handed to this worker is active before its handler starts.
   */
  async drain(): Promise<number> {
    await this.start();
    while ((await this.#queue.unfinished()) > 0 || this.#inHand.size > 0) await sleep(200);
    await this.stop();
    return this.#ended;
  }

  #track(job: ClaimedSyncJob): Promise<object> {
    const handled = this.#handle(job);
    this.#inHand.add(handled);
    void handled
      .finally(() => {
        this.#inHand.delete(handled);
        this.#ended++;
      })
      .catch(() => undefined);
    return handled;
  }

  async #handle(job: ClaimedSyncJob): Promise<object> {
    const { integrationId, dataset, full, force } = job.data;
    const signal = AbortSignal.any([job.signal, this.#stopping.signal]);
    let run: SyncRun;
    try {
      run = await this.#sync.runDataset(integrationId, dataset, { full, force, signal });
    } catch (error) {
      // Removed since it was queued: nothing a retry could change.
      if (isNotFound(error, 'INTEGRATION_NOT_FOUND')) {
        this.#options.onJob?.(job, 'dropped', undefined, messageOf(error));
        return { dropped: messageOf(error) };
      }
      this.#options.onJob?.(job, 'failed', undefined, messageOf(error));
      throw error;
    }
    if (this.#stopping.signal.aborted && run.status === 'cancelled') {
      // Queued again before this one completes: the queue's policy lets it wait beside the running one.
      await this.#queue.enqueue(integrationId, dataset, { full, force });
      this.#options.onJob?.(job, 'requeued', run);
      return { runId: run.id, requeued: true };
    }
    // Findings follow every machines run, as in a whole sync on SQLite: one not permitted too (the export is read
    // with Vulnerability.Read.All, whatever the machines list allows), and one that failed (they keep the devices
    // the endpoints stored before it).
    if (dataset === 'machines') await this.#queue.enqueue(integrationId, 'findings', { full, force });
    if (!ranAsPermitted(run.status)) {
      const failure = new SyncJobFailedError(run);
      this.#options.onJob?.(job, 'failed', run, failure.message);
      throw failure;
    }
    this.#options.onJob?.(job, 'done', run);
    return { runId: run.id, status: run.status };
  }
}
