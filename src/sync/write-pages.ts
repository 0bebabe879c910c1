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

/** A run's pipelined writer, as the store hands it out (`FindingsWriter`, `EndpointsWriter`). */
export interface PipelinedWriter {
  readonly buffered: number;
  readonly writeMs: number;
  commit(): Promise<void>;
  flush(): Promise<void>;
  settle(): Promise<void>;
}

/**
 * Reads the pages, each handed to `each` (which adds its rows to the writer), committing once `commitRows` rows
 * wait, so a transaction is stored while the next page is read; then flushes. The wait and the database's own
 * time are the run's "wait for the writer" and "write" stages.
 */
export async function storePages<T>(
  ctx: DatasetContext<unknown>,
  writer: PipelinedWriter,
  batches: AsyncIterable<Batch<T>>,
  commitRows: number,
  each: (batch: Batch<T>, now: string) => void,
): Promise<void> {
  const { counters } = ctx;
  try {
    for await (const batch of counters.timedBatches('read', batches)) {
      counters.read(batch);
      each(batch, new Date().toISOString());
      if (writer.buffered >= commitRows) await counters.timed('wait for the writer', () => writer.commit());
      ctx.progress(counters);
    }
    await counters.timed('wait for the writer', async () => {
      await writer.commit();
      await writer.flush();
    });
  } finally {
    await writer.settle();
    counters.time('write', writer.writeMs);
  }
}
