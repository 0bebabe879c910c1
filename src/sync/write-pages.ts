import type { Batch } from '../defender/index.js';
import type { DatasetContext } from './dataset.js';

/**
 * Writes each page of a list as it comes (one page in memory), counting what was read and stored and reporting
 * progress after each page. `write` gets the page and its write time, and answers how many records it stored
 * (fewer than the page when it drops some, counting why in the run's counters).
 */
export async function writePages<T>(
  ctx: DatasetContext<unknown>,
  batches: AsyncIterable<Batch<T>>,
  write: (items: readonly T[], now: string) => Promise<number>,
): Promise<void> {
  for await (const batch of ctx.counters.timedBatches('read', batches)) {
    ctx.counters.read(batch);
    ctx.counters.upserted += await ctx.counters.timed('write', () =>
      write(batch.items, new Date().toISOString()),
    );
    ctx.progress(ctx.counters);
  }
}
