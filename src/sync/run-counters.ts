import type { Batch } from '../defender/index.js';

/** What one run did, counted as it goes; written to its sync_runs row at the end. */
export class RunCounters {
  apiCalls = 0;
  pages = 0;
  recordsIn = 0;
  upserted = 0;
  removed = 0;
  readonly #skipped = new Map<string, number>();
  readonly #stageMs = new Map<string, number>();

  skip(reason: string, count = 1): void {
    if (count > 0) this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + count);
  }

  /** Counts a batch as read: its records, its page, and its malformed records by the field at fault. */
  read(batch: Batch<unknown>): void {
    this.recordsIn += batch.items.length + batch.rejected.length;
    this.pages = Math.max(this.pages, batch.page);
    for (const r of batch.rejected) this.skip(`malformed record (${r.reason.split(':')[0] ?? 'record'})`);
  }

  /** Adds time to a stage of the run (stages are named for an operator: "read", "write", "patches"). */
  time(stage: string, ms: number): void {
    this.#stageMs.set(stage, (this.#stageMs.get(stage) ?? 0) + ms);
  }

  /** Runs a step of the run and adds its time to the stage. */
  async timed<T>(stage: string, step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await step();
    } finally {
      this.time(stage, performance.now() - started);
    }
  }

  /** The batches of a list, the time spent waiting for each (reading, unpacking, parsing) added to the stage. */
  async *timedBatches<T>(stage: string, batches: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
    const iterator =
      Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
    try {
      for (;;) {
        const started = performance.now();
        const next = await iterator.next();
        this.time(stage, performance.now() - started);
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }

  /** Seconds per stage, to the millisecond, in the order the stages first took time. */
  get stages(): Record<string, number> {
    return Object.fromEntries([...this.#stageMs].map(([stage, ms]) => [stage, Math.round(ms) / 1000]));
  }

  get skipped(): number {
    let total = 0;
    for (const n of this.#skipped.values()) total += n;
    return total;
  }

  get skippedReasons(): Record<string, number> {
    return Object.fromEntries(this.#skipped);
  }
}

/** Progress of a running dataset, for bars on a terminal and JSON lines for scripts. */
export interface SyncProgress {
  readonly integrationId: string;
  readonly dataset: string;
  readonly recordsIn: number;
  readonly upserted: number;
  readonly skipped: number;
  readonly pages: number;
}
