import { describe, expect, it } from 'vitest';
import { syncCatalog, type TargetPage } from '../../src/sync/catalog-sync.js';
import { RunCounters } from '../../src/sync/run-counters.js';
import type { Batch } from '../../src/defender/index.js';
import { dialects } from '../support/stores.js';
import { useHub, type TestHub } from '../support/hub.js';

interface Item {
  readonly id: string;
  /** The machine ids Defender lists for it, in pages. */
  readonly pages: readonly (readonly string[])[];
}

const machines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `m${String(from + i).padStart(6, '0')}`);

/** The catalog's list, as one page. */
async function* batchOf(items: readonly Item[]): AsyncGenerator<Batch<Item>> {
  yield await Promise.resolve({ items: [...items], rejected: [], page: 1 });
}

async function sync(hub: TestHub, integrationId: string, runId: number, items: readonly Item[]) {
  const counters = new RunCounters();
  return syncCatalog(
    { integration: { id: integrationId }, counters, runId, progress: () => undefined, force: false },
    {
      items: batchOf(items),
      targets: [
        {
          kind: 'machine',
          read: (item: Item): Iterable<TargetPage> => item.pages.map((ids) => ({ ids, rejected: 0 })),
        },
      ],
      store: () => Promise.resolve(),
      links: hub.data.software.links,
      what: 'software products',
    },
  );
}

async function linked(hub: TestHub): Promise<Map<string, string[]>> {
  const rows = await hub.db
    .selectFrom('catalog_links')
    .select(['item_id', 'target_id'])
    .where('catalog', '=', 'software')
    .orderBy('item_id')
    .orderBy('target_id')
    .execute();
  const byItem = new Map<string, string[]>();
  for (const row of rows) {
    const ids = byItem.get(row.item_id) ?? [];
    ids.push(row.target_id);
    byItem.set(row.item_id, ids);
  }
  return byItem;
}

describe.each(dialects)('a catalog read written thousands of links at a time on %s', (dialect) => {
  it('should store each item as its last run listed it, across writes that split an item and past many small items', async () => {
    const hub = await useHub(dialect);
    const { id } = await hub.integrations.create({
      name: 'catalog',
      product: 'endpoint',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      clientSecret: 'not-used',
    });
    // A product on 45,000 machines (more than one write holds, so its links span writes), and 1,500 products on
    // one machine each (more completed items than one write prunes).
    const big = (from: number, to: number): Item => ({
      id: 'vendor-_-big',
      // Pages that overlap by a machine, as a list changing while it is paged may: it is stored once.
      pages: [
        machines(from, from + 15_000),
        machines(from + 14_999, from + 30_000),
        machines(from + 30_000, to),
      ],
    });
    const small = (run: number) =>
      Array.from({ length: 1500 }, (_, i): Item => ({
        id: `vendor-_-small${i}`,
        pages: [[`m-run${run}-${i}`]],
      }));

    await sync(hub, id, 1, [big(0, 45_000), ...small(1)]);
    let stored = await linked(hub);
    expect(stored.get('vendor-_-big')).toEqual(machines(0, 45_000));
    expect(stored.size).toBe(1501);
    expect(stored.get('vendor-_-small7')).toEqual(['m-run1-7']);

    // The next run: the big product left 20,000 machines and reached 5,000 new ones; each small one moved.
    await sync(hub, id, 2, [big(20_000, 50_000), ...small(2)]);
    stored = await linked(hub);
    expect(stored.get('vendor-_-big')).toEqual(machines(20_000, 50_000));
    expect(stored.size).toBe(1501);
    expect(
      [...stored.entries()].filter(([item]) => item !== 'vendor-_-big').flatMap(([, ids]) => ids),
    ).toEqual(
      [...stored.keys()]
        .filter((item) => item !== 'vendor-_-big')
        .map((item) => `m-run2-${item.slice('vendor-_-small'.length)}`),
    );
  }, 120_000);
});
