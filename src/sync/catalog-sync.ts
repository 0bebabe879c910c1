import type { Batch } from '../defender/index.js';
import type { DatasetContext, DatasetOutcome } from './dataset.js';
import { reconcile } from './reconcile.js';
import type { CatalogLinkKind } from '../domain/catalog-links.js';
import type { CatalogLinkPage, CatalogLinksRepository } from '../store/index.js';

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

/** Links held before a write: a few MB, and few enough commits that a catalog run is bound by Defender, not SQLite. */
const linksPerWrite = 20_000;
/** Completed items a write prunes at most: their ids are bound parameters of one statement. */
const itemsPerWrite = 1000;

/**
 * Reads a catalog whole: every item, then each of its link lists page by page, never one call per machine. Links
 * go to the store thousands at a time, each write also dropping the stale links of the items it completes. After
 * the last page, items Defender no longer lists are removed, within the removal bound.
 */
export async function syncCatalog<T extends { readonly id: string }>(
  ctx: CatalogRun,
  source: CatalogSource<T>,
): Promise<DatasetOutcome> {
  const { integration, counters, runId } = ctx;
  let pages: CatalogLinkPage[] = [];
  let finished: string[] = [];
  let held = 0;
  const write = async () => {
    // A catalog whose last write fell on its last item has nothing left: no empty transaction.
    if (pages.length === 0 && finished.length === 0) return;
    await source.links.write(integration.id, runId, pages, finished);
    pages = [];
    finished = [];
    held = 0;
  };
  for await (const batch of source.items) {
    counters.read(batch);
    for (const item of batch.items) {
      await source.store(item);
      for (const targets of source.targets)
        for await (const page of targets.read(item)) {
          counters.skip(`malformed ${targets.kind} reference`, page.rejected);
          pages.push({ kind: targets.kind, itemId: item.id, targetIds: page.ids });
          held += page.ids.length;
          if (held >= linksPerWrite) await write();
        }
      finished.push(item.id);
      if (finished.length >= itemsPerWrite) await write();
      counters.upserted++;
      // Per item: a catalog's items each cost calls, so a large one shows it is moving.
      ctx.progress(counters);
    }
  }
  await write();
  const { unseen, total } = await source.links.unseenCount(integration.id, runId);
  const { note } = await reconcile(ctx, {
    what: source.what,
    unseen,
    of: total,
    remove: () => source.links.removeUnseen(integration.id, runId),
  });
  return { complete: true, completeness: `all pages read; ${note}` };
}
