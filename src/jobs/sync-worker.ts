import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ranAsPermitted } from '../domain/connection-status.js';
import type { SyncService } from '../sync/sync-service.js';
import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { SyncJob, SyncJobQueue, SyncRun } from '../store/index.js';

export interface SyncWorkerOptions {
  /** Wait between polls when the queue is empty. */
  readonly idleMs?: number;
  readonly onJob?: (job: SyncJob, run: SyncRun | undefined, error: string | undefined) => void;
}

/**
 * Takes sync jobs from the shared queue and runs them, one at a time per worker; start several processes for
 * more parallelism. A failed run is recorded on its job and in sync_runs; the worker carries on.
 */
export class SyncWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #queue: SyncJobQueue;
  readonly #sync: SyncService;
  readonly #options: SyncWorkerOptions;
  #stopping = false;
  /** Cuts an idle wait short when the worker is asked to stop. */
  readonly #wake = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(queue: SyncJobQueue, sync: SyncService, options: SyncWorkerOptions = {}) {
    this.#queue = queue;
    this.#sync = sync;
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Finishes the job in hand, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake.abort();
    await this.#loop;
  }

  /** Runs due jobs until the queue has none; for tests and `worker --once`. */
  async drain(): Promise<number> {
    let done = 0;
    while (await this.runOne()) done++;
    return done;
  }

  async runOne(): Promise<boolean> {
    await this.#queue.requeueExpired();
    const job = await this.#queue.claim(this.id);
    if (job === undefined) return false;
    const { options } = job;
    let run: SyncRun | undefined;
    let error: string | undefined;
    try {
      if (!(datasetNames as readonly string[]).includes(job.dataset))
        throw new Error(`unknown dataset ${job.dataset}`);
      run = await this.#sync.runDataset(job.integrationId, job.dataset as DatasetName, {
        full: options.full === true,
        force: options.force === true,
      });
      // A run not permitted is done, not failed: retrying it would only be refused again.
      if (!ranAsPermitted(run.status)) error = `${run.errorCode ?? 'failed'}: ${run.errorMessage ?? ''}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : 'unknown error';
    }
    await this.#queue.complete(job.id, run?.id, error);
    // Findings follow every machines run that did not fail, one not permitted too: the export is read with
    // Vulnerability.Read.All, whatever the machines list allows.
    if (job.dataset === 'machines' && error === undefined)
      await this.#queue.enqueue(job.integrationId, 'findings', options);
    this.#options.onJob?.(job, run, error);
    return true;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const worked = await this.runOne().catch(() => false);
      if (!worked)
        await sleep(this.#options.idleMs ?? 1000, undefined, { signal: this.#wake.signal }).catch(
          () => undefined,
        );
    }
  }
}
