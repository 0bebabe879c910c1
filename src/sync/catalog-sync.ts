import type { Batch } from '../defender/index.js';
import type { DatasetContext, DatasetOutcome } from './dataset.js';
import { reconcile } from './reconcile.js';
import type { CatalogLinkKind } from '../domain/catalog-links.js';
import type { CatalogLinksRepository } from '../store/index.js';

/** One page of an item's links: the target ids, and how many records of the page were malformed. */
export interface TargetPage {
  readonly ids: readonly string[];
  readonly rejected: number;
}

/** One kind of an item's links, and where they come from: a Defender list (one call per item and page) or the store. */
export interface CatalogTargets<T> {
  readonly kind: CatalogLinkKind;
  read(item: T): AsyncIterable<TargetPage> | Iterable<TargetPage>;
}

/** A Defender catalog whose items each list their machines and possibly more (software, recommendations). */
export interface CatalogSource<T extends { readonly id: string }> {
  readonly items: AsyncIterable<Batch<T>>;
  readonly targets: readonly CatalogTargets<T>[];
  /**
   * Link kinds read in a second pass over the items, once the promise resolves: those that come from what
   * another dataset of the same sync writes, so the first pass overlaps that dataset instead of waiting for it.
   */
  readonly laterTargets?: () => Promise<readonly CatalogTargets<T>[]>;
  /** Stores the item's own row, marked seen by this run. */
  store(item: T): Promise<void>;
  readonly links: CatalogLinksRepository;
  /** The items, in words, for the removal note: "software products". */
  readonly what: string;
}

/** A Defender list of an item's targets, page by page. */
export async function* defenderPages(
  batches: AsyncIterable<Batch<{ readonly id: string }>>,
): AsyncGenerator<TargetPage, void, undefined> {
  for await (const batch of batches)
    yield { ids: batch.items.map((target) => target.id), rejected: batch.rejected.length };
}

/** Targets known without a call, as one page. */
export function knownPage(ids: readonly string[]): Iterable<TargetPage> {
  return [{ ids, rejected: 0 }];
}

/** What a catalog read uses of its run. */
export type CatalogRun = Pick<DatasetContext<unknown>, 'counters' | 'runId' | 'progress' | 'force'> & {
  readonly integration: { readonly id: string };
};

/**
 * Links and finished items handed to the writer at a time: a few MB, and few enough commits that a catalog run
 * is bound by Defender, not the database.
 */
const linksPerWrite = 20_000;

/**
 * Reads a catalog whole: every item, then each of its link lists page by page, never one call per machine (the
 * later kinds in a second pass). Links go to the store thousands at a time while the next pages are read; once an
 * item's links of every kind are stored, the ones this run did not list are dropped. After the last page, items
 * Defender no longer lists are removed, within the removal bound.
 */
export async function syncCatalog<T extends { readonly id: string }>(
  ctx: CatalogRun,
  source: CatalogSource<T>,
): Promise<DatasetOutcome> {
  const { integration, counters, runId } = ctx;
  const links = source.links.writer(integration.id, runId);
  const commit = async () => {
    if (links.buffered >= linksPerWrite) await counters.timed('wait for the writer', () => links.commit());
  };
  const readLinks = async (item: T, targets: readonly CatalogTargets<T>[]) => {
    for (const target of targets)
      for await (const page of counters.timedBatches('read links', target.read(item))) {
        counters.skip(`malformed ${target.kind} reference`, page.rejected);
        links.add({ kind: target.kind, itemId: item.id, targetIds: page.ids });
        await commit();
      }
  };
  const finish = async (item: T) => {
    links.finish(item.id);
    await commit();
    counters.upserted++;
    // Per item: a catalog's items each cost calls, so a large one shows it is moving.
    ctx.progress(counters);
  };
  // Held only for a second pass: a catalog's items number hundreds or thousands, not a tenant's machines.
  const pending: T[] = [];
  try {
    for await (const batch of counters.timedBatches('read', source.items)) {
      counters.read(batch);
      for (const item of batch.items) {
        await counters.timed('write', () => source.store(item));
        await readLinks(item, source.targets);
        if (source.laterTargets === undefined) await finish(item);
        else pending.push(item);
      }
    }
    if (source.laterTargets !== undefined) {
      const later = await counters.timed('wait for inputs', source.laterTargets);
      for (const item of pending) {
        await readLinks(item, later);
        await finish(item);
      }
    }
    await counters.timed('wait for the writer', () => links.close());
  } finally {
    await links.settle();
    counters.time('write links', links.writeMs);
  }
  const { note } = await counters.timed('remove unseen', async () => {
    const { unseen, total } = await source.links.unseenCount(integration.id, runId);
    return reconcile(ctx, {
      what: source.what,
      unseen,
      of: total,
      remove: () => source.links.removeUnseen(integration.id, runId),
    });
  });
  return { complete: true, completeness: `all pages read; ${note}` };
}
