import { Cron } from 'croner';
import { ranAsPermitted } from '../domain/connection-status.js';
import { HubError, isNotFound } from '../errors.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import { SyncBusyError } from '../sync/sync-service.js';
import type { Hub } from './hub.js';
import { dueFor, dueNow, newlyEnabled, type DueWork, type LastRuns } from './schedule-due.js';
import { describeRun } from './describe-run.js';
import { latestByDataset } from './latest-runs.js';
import type { SyncRun } from '../store/index.js';
import type { SyncJobQueue } from '../jobs/sync-job-queue.js';
import { queueDatasets } from '../jobs/queue-datasets.js';

/** What the scheduler says; pino (Fastify's logger) fits as it is. */
export interface SchedulerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SchedulerOptions {
  /** The clock "what is due" is measured against (tests move it on). */
  readonly now?: () => Date;
  /** Called with every finished run. */
  readonly onRun?: (run: SyncRun) => void;
  readonly logger?: SchedulerLogger;
  /** Seconds between looks at what is due (default 5). */
  readonly tickSeconds?: number;
  /** Seconds between re-reads of the integration list (default 30; 0 re-reads at every look). */
  readonly refreshSeconds?: number;
  /**
   * PostgreSQL: due runs become jobs in this queue for `defender-hub worker` processes, instead of running here.
   * Asking twice is harmless: the queue keeps one waiting job per integration × dataset.
   */
  readonly queue?: SyncJobQueue;
}

const silent: SchedulerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function reason(error: unknown): string {
  if (error instanceof HubError) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs each enabled integration's datasets when they are due, in-process (the SQLite set-up), or queues them for
 * workers (PostgreSQL, with `queue`). In-process, each integration has its own async chain, so a slow or failing
 * tenant never holds another one back, and a chain runs one dataset at a time, so runs of one integration never
 * overlap. The database is the memory: what is due is read from `sync_runs` at every look, so runs made by
 * `defender-hub sync`, by workers or before a restart count.
 */
export class Scheduler {
  readonly #hub: Hub;
  readonly #now: () => Date;
  readonly #onRun: ((run: SyncRun) => void) | undefined;
  readonly #log: SchedulerLogger;
  readonly #tickSeconds: number;
  readonly #refreshMs: number;
  readonly #queue: SyncJobQueue | undefined;
  #cron: Cron | undefined;
  #integrations: readonly Integration[] = [];
  /** Enabled state per integration id at the last re-read: a false → true change asks for a full sync. */
  #enabledBefore: ReadonlyMap<string, boolean> = new Map();
  #refreshedAt = Number.NEGATIVE_INFINITY;
  readonly #fullSyncRequested = new Set<string>();
  readonly #chains = new Map<string, { done: Promise<void>; abort: AbortController }>();
  #looking: Promise<void> | undefined;
  #stopping = false;

  constructor(hub: Hub, options: SchedulerOptions = {}) {
    this.#hub = hub;
    this.#now = options.now ?? (() => new Date());
    this.#onRun = options.onRun;
    this.#log = options.logger ?? silent;
    this.#tickSeconds = options.tickSeconds ?? 5;
    this.#refreshMs = (options.refreshSeconds ?? 30) * 1000;
    this.#queue = options.queue;
  }

  /** Reads the integrations, starts what is due (first syncs included) and looks again every few seconds. */
  async start(): Promise<void> {
    if (this.#cron !== undefined) return;
    this.#stopping = false;
    await this.#refresh();
    await this.tick();
    this.#cron = new Cron('* * * * * *', { interval: this.#tickSeconds, protect: true }, () => this.tick());
  }

  /** Stops looking, then waits for the runs in progress (each chain stops after its current dataset). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cron?.stop();
    this.#cron = undefined;
    await this.idle();
  }

  /** Resolves when no look and no run is under way (a chain may start others while it ends: wait for those too). */
  async idle(): Promise<void> {
    while (this.#looking !== undefined || this.#chains.size > 0) {
      await this.#looking;
      await Promise.allSettled([...this.#chains.values()].map((c) => c.done));
    }
  }

  /** One look at what is due; the timer calls it, and so can anyone who knows something changed. */
  tick(): Promise<void> {
    this.#looking ??= this.#look().finally(() => {
      this.#looking = undefined;
    });
    return this.#looking;
  }

  async #look(): Promise<void> {
    if (this.#stopping) return;
    try {
      if (performance.now() - this.#refreshedAt >= this.#refreshMs) await this.#refresh();
      const candidates = this.#integrations.filter((i) => i.enabled && !this.#chains.has(i.id));
      const lastRuns = new Map<string, LastRuns>();
      for (const integration of candidates)
        lastRuns.set(integration.id, await this.#lastRuns(integration.id));
      const due = dueNow(candidates, lastRuns, this.#now(), { fullSyncRequested: this.#fullSyncRequested });
      for (const work of due) this.#startChain(work);
    } catch (error) {
      this.#log.error(`scheduler: could not look at what is due: ${reason(error)}`);
    }
  }

  async #refresh(): Promise<void> {
    const integrations = await this.#hub.integrations.list();
    for (const id of newlyEnabled(this.#enabledBefore, integrations)) this.#fullSyncRequested.add(id);
    const enabled = new Set(integrations.filter((i) => i.enabled).map((i) => i.id));
    for (const id of this.#fullSyncRequested) if (!enabled.has(id)) this.#fullSyncRequested.delete(id);
    // A removed integration's run can only fail now (its rows are gone): stop it at once.
    const known = new Set(integrations.map((i) => i.id));
    for (const [id, chain] of this.#chains) if (!known.has(id)) chain.abort.abort();
    this.#integrations = integrations;
    this.#enabledBefore = new Map(integrations.map((i) => [i.id, i.enabled]));
    this.#refreshedAt = performance.now();
  }

  #startChain(work: DueWork): void {
    // The look may have been reading while stop() was called: start nothing new then.
    if (this.#stopping) return;
    const abort = new AbortController();
    const done = (
      this.#queue === undefined ? this.#runChain(work, abort.signal) : this.#enqueue(this.#queue, work)
    )
      .catch((error: unknown) => {
        // Removed meanwhile: nothing to report. Started by someone else in this process (an API call): no fault.
        if (isNotFound(error, 'INTEGRATION_NOT_FOUND')) return;
        if (error instanceof SyncBusyError) this.#log.info(`scheduler: ${error.message}`);
        else this.#log.error(`scheduler: integration ${work.integrationId} stopped: ${reason(error)}`);
      })
      .finally(() => this.#chains.delete(work.integrationId));
    this.#chains.set(work.integrationId, { done, abort });
  }

  /**
   * Runs the due work, then asks again after each run, so findings start right after a successful machines
   * run. A full sync runs all its datasets with cursors ignored; afterwards only what is due runs, one at a time.
   */
  async #runChain(first: DueWork, signal: AbortSignal): Promise<void> {
    const id = first.integrationId;
    const done = new Set<DatasetName>();
    let work: DueWork | undefined = first;
    let integration = await this.#hub.integrations.get(id);
    this.#log.info(`sync ${integration.name}: ${first.reason}, ${first.datasets.join(', ')} due`);
    while (work !== undefined) {
      if (work.full) this.#fullSyncRequested.delete(id);
      for (const dataset of work.full ? work.datasets : work.datasets.slice(0, 1)) {
        if (this.#stopping || signal.aborted) return;
        const run = await this.#hub.sync.runDataset(id, dataset, { full: work.full, signal });
        done.add(dataset);
        this.#report(integration.name, run);
      }
      // Read again: the integration may have been disabled or rescheduled meanwhile.
      integration = await this.#hub.integrations.get(id);
      work = dueFor(integration, await this.#lastRuns(id), this.#now(), { done });
    }
  }

  async #enqueue(queue: SyncJobQueue, work: DueWork): Promise<void> {
    const queued = await queueDatasets(queue, work.integrationId, work.datasets, { full: work.full });
    if (work.full) this.#fullSyncRequested.delete(work.integrationId);
    const name = this.#integrations.find((i) => i.id === work.integrationId)?.name ?? work.integrationId;
    if (queued.length > 0)
      this.#log.info(`sync ${name}: ${work.reason}, queued ${queued.join(', ')} for the workers`);
  }

  async #lastRuns(integrationId: string): Promise<LastRuns> {
    return latestByDataset(await this.#hub.data.syncRuns.latestPerDataset(integrationId));
  }

  #report(name: string, run: SyncRun): void {
    const line = `sync ${describeRun(run, name)}`;
    if (ranAsPermitted(run.status)) this.#log.info(line);
    else this.#log.warn(line);
    try {
      this.#onRun?.(run);
    } catch (error) {
      this.#log.error(`scheduler: the onRun callback failed: ${reason(error)}`);
    }
  }
}
