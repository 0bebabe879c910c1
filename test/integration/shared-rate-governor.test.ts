import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SharedRateGovernor } from '../../src/defender/shared-rate-governor.js';
import type { ApiClass, CallPriority } from '../../src/defender/rate-governor.js';
import { ApiCallLedger } from '../../src/store/budget/api-call-ledger.js';
import { openStore, type Store } from '../../src/store/db/database.js';
import { freshStore } from '../support/stores.js';

/** A clock the test moves, one for every "process", so windows slide without waiting a minute. */
const clock = { t: 1_750_000_000_000, now: (): number => clock.t };

/** Two stores with their own connection pools over one schema: two processes sharing the database. */
async function twoProcesses(): Promise<{ ledgers: [ApiCallLedger, ApiCallLedger]; store: Store }> {
  const { store, url, schema, dispose } = await freshStore('postgres');
  const other = openStore(url, schema === undefined ? {} : { schema });
  afterAll(async () => {
    await other.close();
    await dispose();
  });
  return { ledgers: [new ApiCallLedger(store), new ApiCallLedger(other)], store };
}

const { ledgers, store } = await twoProcesses();

/** The governor of `budget` in process `n` (0 or 1). */
function governor(n: 0 | 1, budget: string): SharedRateGovernor {
  return new SharedRateGovernor(ledgers[n], budget, { now: clock.now, reservedForActions: 0.2, marginMs: 0 });
}

// Acquires left waiting (for a minute of the real clock) are cancelled after each test.
let stop = new AbortController();
const started: Promise<unknown>[] = [];
afterEach(async () => {
  stop.abort();
  await Promise.allSettled(started);
  stop = new AbortController();
});

/** Whether the acquire resolves within 400 ms: the ledger is a database away, but a window never frees that soon. */
async function startsNow(
  g: SharedRateGovernor,
  apiClass: ApiClass,
  priority: CallPriority = 'normal',
): Promise<boolean> {
  const acquire = g.acquire(apiClass, { priority, signal: stop.signal }).then(() => true);
  started.push(acquire.catch(() => false));
  const late = new Promise<boolean>((resolve) => {
    setTimeout(() => {
      resolve(false);
    }, 400);
  });
  return Promise.race([acquire, late]);
}

describe('the API budget processes share through PostgreSQL', () => {
  it("should let two processes together start no more than a window's normal share", async () => {
    const [a, b] = [governor(0, 'tenant-1/app'), governor(1, 'tenant-1/app')];
    // fileExport allows 5 a minute (no share is kept there: actions are not sent in it). Ten ask at once, five in
    // each process.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => startsNow(i % 2 === 0 ? a : b, 'fileExport')),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(5);
    expect(await a.usage('fileExport')).toEqual([
      { used: 5, limit: 5 },
      { used: 5, limit: 20 },
    ]);
    expect(await b.usage('fileExport')).toEqual(await a.usage('fileExport'));
  });

  it('should let an action through at once while normal calls have used their share', async () => {
    const [a, b] = [governor(0, 'tenant-2/app'), governor(1, 'tenant-2/app')];
    // 100 a minute in the class actions are sent in, 80 of them for normal calls.
    for (let i = 0; i < 80; i++) expect(await startsNow(a, 'default')).toBe(true);
    expect(await startsNow(b, 'default')).toBe(false);
    for (let i = 0; i < 20; i++) expect(await startsNow(b, 'default', 'action')).toBe(true);
    // The whole window is used now: the next action waits as well.
    expect(await startsNow(a, 'default', 'action')).toBe(false);
    expect((await b.usage('default'))[0]).toEqual({ used: 100, limit: 100 });
  });

  it('should hold every process to a pause one of them was told, and keep the longer of two', async () => {
    const [a, b] = [governor(0, 'tenant-3/app'), governor(1, 'tenant-3/app')];
    await a.pause('default', 5000);
    expect(await startsNow(b, 'default')).toBe(false);
    expect(await startsNow(b, 'graph')).toBe(true);
    await a.pause('incidents', 5000);
    await b.pause('incidents', 100);
    clock.t += 1000;
    expect(await startsNow(b, 'incidents', 'action')).toBe(false);
    clock.t += 4001;
    expect(await startsNow(a, 'default')).toBe(true);
    expect(await startsNow(b, 'incidents', 'action')).toBe(true);
  });

  it('should keep the budgets of other tenants and apps, and other classes, apart', async () => {
    const a = governor(0, 'tenant-4/app');
    for (let i = 0; i < 5; i++) expect(await startsNow(a, 'fileExport')).toBe(true);
    expect(await startsNow(governor(1, 'tenant-4/app'), 'fileExport')).toBe(false);
    expect(await startsNow(governor(1, 'tenant-4/other-app'), 'fileExport')).toBe(true);
    expect(await startsNow(governor(1, 'tenant-5/app'), 'fileExport')).toBe(true);
    expect(await startsNow(governor(1, 'tenant-4/app'), 'jsonExport')).toBe(true);
  });

  it('should slide the window, and forget the calls no window counts any more', async () => {
    const a = governor(0, 'tenant-6/app');
    const b = governor(1, 'tenant-6/app');
    for (let i = 0; i < 4; i++) expect(await startsNow(a, 'fileExport')).toBe(true);
    clock.t += 60_001;
    expect(await startsNow(b, 'fileExport')).toBe(true);
    expect((await a.usage('fileExport')).map((w) => w.used)).toEqual([1, 5]);
    clock.t += 3_600_000;
    // Each call forgets up to 20 expired calls of any budget; this file leaves fewer than 160 behind.
    for (let i = 0; i < 2; i++) expect(await startsNow(b, 'fileExport')).toBe(true);
    for (let i = 0; i < 6; i++) expect(await startsNow(b, 'graph')).toBe(true);
    const expired = await store.db
      .selectFrom('api_calls')
      .select('budget_key')
      .where('started_at_ms', '<=', clock.t - 3_600_000)
      .execute();
    expect(expired).toEqual([]);
    expect((await a.usage('fileExport')).map((w) => w.used)).toEqual([2, 2]);
  });
});
