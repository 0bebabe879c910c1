import { Cron } from 'croner';
import type { Repositories } from '../store/index.js';

/** How long each kind of history is kept (HUB_RETENTION_*; finished jobs are pg-boss's, see JobQueueTuning). */
export interface RetentionPeriods {
  readonly syncRunsDays: number;
  readonly auditLogDays: number;
  readonly huntingResultsHours: number;
}

export const defaultRetention: RetentionPeriods = {
  syncRunsDays: 90,
  auditLogDays: 365,
  huntingResultsHours: 24,
};

/** What one pass deleted, per kind. */
export interface Pruned {
  readonly syncRuns: number;
  readonly auditLog: number;
  readonly huntingResults: number;
}

const day = 86_400_000;
const hour = 3_600_000;

/** Rows per delete: small enough that a pass never holds a table (or SQLite's one writer) for long. */
const batch = 500;

type Prunable = (cutoff: string, limit: number) => Promise<number>;

/** Deletes in batches until a batch comes back short; answers how many went. */
async function inBatches(prune: Prunable, cutoff: string): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await prune(cutoff, batch);
    total += deleted;
    if (deleted < batch) return total;
    // Lets the requests and syncs waiting on the database in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Prunes the history that would otherwise grow forever: sync runs (the latest run of each integration's dataset
 * always stays: what is due next is read from it), the audit log and hunting results, each older than its
 * period. `serve` runs a pass at start and every hour.
 */
export class Retention {
  readonly #repos: Pick<Repositories, 'syncRuns' | 'auditLog' | 'huntingResults'>;
  readonly #periods: RetentionPeriods;
  readonly #now: () => number;
  #cron: Cron | undefined;
  #passing: Promise<void> = Promise.resolve();

  constructor(
    repos: Pick<Repositories, 'syncRuns' | 'auditLog' | 'huntingResults'>,
    periods: RetentionPeriods = defaultRetention,
    now: () => number = Date.now,
  ) {
    this.#repos = repos;
    this.#periods = periods;
    this.#now = now;
  }

  async pruneOnce(): Promise<Pruned> {
    const now = this.#now();
    const before = (ms: number): string => new Date(now - ms).toISOString();
    const { syncRuns, auditLog, huntingResults } = this.#repos;
    return {
      syncRuns: await inBatches(
        (c, l) => syncRuns.pruneBefore(c, l),
        before(this.#periods.syncRunsDays * day),
      ),
      auditLog: await inBatches(
        (c, l) => auditLog.pruneBefore(c, l),
        before(this.#periods.auditLogDays * day),
      ),
      huntingResults: await inBatches(
        (c, l) => huntingResults.pruneBefore(c, l),
        before(this.#periods.huntingResultsHours * hour),
      ),
    };
  }

  /** A pass now and one every hour; `onPass` hears what each deleted, `onError` why one failed. */
  start(onPass: (pruned: Pruned) => void, onError: (error: unknown) => void): void {
    const pass = (): Promise<void> => {
      this.#passing = this.pruneOnce().then(onPass, onError);
      return this.#passing;
    };
    void pass();
    this.#cron ??= new Cron('0 * * * *', { protect: true }, pass);
  }

  /** No more passes; waits for the one under way, so the database can close after it. */
  async stop(): Promise<void> {
    this.#cron?.stop();
    this.#cron = undefined;
    await this.#passing;
  }
}
