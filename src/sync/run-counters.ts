import type { Batch } from '../defender/index.js';

/** What one run did, counted as it goes; written to its sync_runs row at the end. */
export class RunCounters {
  apiCalls = 0;
  pages = 0;
  recordsIn = 0;
  upserted = 0;
  removed = 0;
  readonly #skipped = new Map<string, number>();

  skip(reason: string, count = 1): void {
    if (count > 0) this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + count);
  }

  /** Counts a batch as read: its records, its page, and its malformed records by the field at fault. */
  read(batch: Batch<unknown>): void {
    this.recordsIn += batch.items.length + batch.rejected.length;
    this.pages = Math.max(this.pages, batch.page);
    for (const r of batch.rejected) this.skip(`malformed record (${r.reason.split(':')[0] ?? 'record'})`);
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
