import { describe, expect, it } from 'vitest';
import { reconcile, type UnseenRecords } from '../../src/sync/reconcile.js';
import { RunCounters } from '../../src/sync/run-counters.js';

/** A list whose removal answers `removes` and records that it was asked. */
function records(unseen: number, of: number, removes = unseen) {
  const asked: number[] = [];
  const list: UnseenRecords = {
    what: 'endpoints (marked stale)',
    unseen,
    of,
    remove: () => {
      asked.push(removes);
      return Promise.resolve(removes);
    },
  };
  return { list, asked };
}

async function run(unseen: number, of: number, force = false) {
  const counters = new RunCounters();
  const { list, asked } = records(unseen, of);
  const reconciled = await reconcile({ force, counters }, list);
  return { ...reconciled, removedCount: counters.removed, asked: asked.length };
}

describe('reconcile', () => {
  it('should ask nothing of the store when the run saw every record', async () => {
    expect(await run(0, 10)).toEqual({
      removed: true,
      note: 'no endpoints (marked stale) to remove',
      removedCount: 0,
      asked: 0,
    });
  });

  it('should remove up to a fifth of the records and count what the store removed', async () => {
    expect(await run(2, 10)).toEqual({
      removed: true,
      note: '2 endpoints (marked stale) removed',
      removedCount: 2,
      asked: 1,
    });
  });

  it('should remove every unseen record when there were none before', async () => {
    expect(await run(3, 0)).toMatchObject({ removed: true, removedCount: 3 });
  });

  it('should remove nothing past the bound, and say how to, unless forced', async () => {
    expect(await run(3, 10)).toEqual({
      removed: false,
      note: '3 of 10 endpoints (marked stale) were not seen (more than 20 %); nothing was removed. If that is right, run again with --force.',
      removedCount: 0,
      asked: 0,
    });
    expect(await run(3, 10, true)).toMatchObject({ removed: true, removedCount: 3, asked: 1 });
  });

  it('should add to the run count: a run may reconcile several lists', async () => {
    const counters = new RunCounters();
    counters.removed = 1;
    await reconcile({ force: false, counters }, records(1, 10).list);
    expect(counters.removed).toBe(2);
  });
});
