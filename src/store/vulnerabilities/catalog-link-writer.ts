import type { CatalogLinkKind } from '../../domain/catalog-links.js';
import type { Catalog } from '../db/schema.js';
import type { BulkTable, BulkWriter } from '../bulk/bulk-table.js';
import { BulkRowWriter } from '../bulk/bulk-row-writer.js';

/** One page of an item's links of one kind, as Defender's list (or the store) names them. */
export interface CatalogLinkPage {
  readonly kind: CatalogLinkKind;
  readonly itemId: string;
  readonly targetIds: readonly string[];
}

interface LinkRow {
  readonly kind: CatalogLinkKind;
  readonly itemId: string;
  readonly targetId: string;
}

/** catalog_links for bulk upserts: a link seen again takes the run that saw it. */
const linksTable: BulkTable = {
  table: 'catalog_links',
  columns: [
    { name: 'integration_id', pgType: 'text' },
    { name: 'catalog', pgType: 'text' },
    { name: 'kind', pgType: 'text' },
    { name: 'item_id', pgType: 'text' },
    { name: 'target_id', pgType: 'text' },
    { name: 'run_id', pgType: 'bigint' },
  ],
  conflict: ['integration_id', 'catalog', 'item_id', 'kind', 'target_id'],
};

export interface CatalogLinkRun {
  readonly integrationId: string;
  readonly runId: number;
  readonly catalog: Catalog;
  /** Drops what the run did not list of these items, whose links are all stored. */
  readonly prune: (items: readonly string[]) => Promise<void>;
}

/**
 * One run's links, written by the bulk writer (on SQLite, its own thread) while the run reads the next pages:
 * `commit` hands over what was added and returns once the commit before it is stored. An item reported finished
 * is pruned of the links this run did not list once the commit holding its last links is stored, so a run that
 * fails midway leaves every item either as this run listed it or as the last one did.
 */
export class CatalogLinkWriter {
  readonly #rows: BulkRowWriter<LinkRow>;
  readonly #run: CatalogLinkRun;
  /** Items finished since the last commit, and those whose last links the commit in flight holds. */
  #finished: string[] = [];
  #committing: string[] = [];

  constructor(bulk: BulkWriter, run: CatalogLinkRun) {
    this.#run = run;
    this.#rows = new BulkRowWriter(
      bulk,
      linksTable,
      (values, rowIndex, row: LinkRow) => {
        let at = rowIndex * linksTable.columns.length;
        values[at++] = run.integrationId;
        values[at++] = run.catalog;
        values[at++] = row.kind;
        values[at++] = row.itemId;
        values[at++] = row.targetId;
        values[at] = run.runId;
      },
      () => undefined,
    );
  }

  /** A target listed twice (pages that overlap) is one link: the bulk writer keeps one row per key. */
  add(page: CatalogLinkPage): void {
    for (const targetId of page.targetIds) this.#rows.add({ kind: page.kind, itemId: page.itemId, targetId });
  }

  /** Every page of the item is added. */
  finish(itemId: string): void {
    this.#finished.push(itemId);
  }

  /** Links and finished items since the last commit. */
  get buffered(): number {
    return this.#rows.buffered + this.#finished.length;
  }

  /** Milliseconds the database spent writing the links so far. */
  get writeMs(): number {
    return this.#rows.writeMs;
  }

  async commit(): Promise<void> {
    await this.#rows.commit();
    // The commit before this one is stored: its finished items have all their links.
    const stored = this.#committing;
    this.#committing = this.#finished;
    this.#finished = [];
    if (stored.length > 0) await this.#run.prune(stored);
  }

  /** Stores what is left and prunes every finished item; throws the first write error. */
  async close(): Promise<void> {
    await this.commit();
    await this.#rows.flush();
    const stored = this.#committing;
    this.#committing = [];
    if (stored.length > 0) await this.#run.prune(stored);
  }

  /** Waits for the write in flight without throwing: for a run that already failed for another reason. */
  async settle(): Promise<void> {
    await this.#rows.settle();
  }
}
