import { describe, expect, it } from 'vitest';
import { useBrowserHub } from './browser-harness.js';
import { simPost } from '../support/simulator.js';
import type { ActionOutcome, EndpointSummary } from '../../src/web/api-types.js';
import { formatCount } from '../../src/web/format.js';

interface ListPage<T> {
  items: T[];
  total: number;
}

/** The page's window, typed just enough: this file is type-checked without the DOM's types. */
interface PageWindow {
  shownSince?: string;
  readonly document: EventTarget & { hidden?: boolean; visibilityState?: string };
}

/** Runs in the page: marks this document, so a reload (a new document) is seen. */
function markDocument(mark: string): void {
  (globalThis as unknown as PageWindow).shownSince = mark;
}

function documentMark(): string | undefined {
  return (globalThis as unknown as PageWindow).shownSince;
}

/**
 * Runs in the page: the document says it is hidden (or visible again) and tells its listeners, as when the user
 * switches to another tab. Headless Chromium has no other tab in front to hide it for real.
 */
function setHidden(hidden: boolean): void {
  const doc = (globalThis as unknown as PageWindow).document;
  if (hidden) {
    Object.defineProperty(doc, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(doc, 'hidden', { configurable: true, get: () => true });
  } else {
    // Without the document's own properties, the prototype's (the browser's real state, visible) answer again.
    delete doc.visibilityState;
    delete doc.hidden;
  }
  doc.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pages follow what changes without the user (issue 18): the dashboard's counts after a sync, a response
 * action to its end, and no polling while the tab is hidden. The simulator's clock is frozen, so each change
 * happens when the test moves it (`/_sim/advance`) and no sooner.
 */
describe('web UI, live refresh', async () => {
  const b = await useBrowserHub({ withIntegrations: true });
  const integration = b.integrations.endpoint!;
  const page = await b.newPage();
  await b.signIn(page, b.admin.username, b.admin.password);
  const advance = (hours: number) => simPost(b.sim, '/_sim/advance', { hours });

  /** Marks the document now; `expectSameDocument` then fails if the page was reloaded in between. */
  const keepDocument = async (): Promise<() => Promise<void>> => {
    const mark = String(Math.random());
    await page.evaluate(markDocument, mark);
    return async () => {
      expect(await page.evaluate(documentMark)).toBe(mark);
    };
  };

  /** Online endpoints with no isolation: Defender carries out an action on an offline one only when it is back. */
  const activeEndpoints = async (): Promise<EndpointSummary[]> =>
    (
      await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?sort=name&pageSize=100&health=Active')
    ).items.filter((e) => e.isolation.state === 'notIsolated' && e.onboardingStatus === 'Onboarded');

  it("should show the dashboard's new alert counts after a sync, without a reload", async () => {
    const order = ['high', 'medium', 'low', 'informational'];
    const truth = async (): Promise<string> => {
      const counts = (await b.api<{ alertsBySeverity: Record<string, number> }>('GET', '/dashboard'))
        .alertsBySeverity;
      return order.map((s) => formatCount(counts[s] ?? 0)).join(',');
    };
    const bars = page.getByRole('figure', { name: 'Active alerts by severity' }).locator('.bar-value');
    const shown = async (): Promise<string> => (await bars.allTextContents()).join(',');

    await page.goto('/');
    const before = await truth();
    await expect.poll(shown).toBe(before);
    const sameDocument = await keepDocument();

    // Three days of the tenant: alerts arrive and others are resolved, then the alerts sync reads them.
    await advance(72);
    const run = await b.hub.sync.runDataset(integration, 'alerts');
    expect(run.status).toBe('succeeded');
    const after = await truth();
    expect(after).not.toBe(before);
    // The dashboard reads its counts every 30 s (src/web/live.ts).
    await expect.poll(shown, { timeout: 45_000, interval: 1000 }).toBe(after);
    await sameDocument();
  });

  it('should follow an action asked for elsewhere to Succeeded, on the endpoint page and the actions page, without a reload', async () => {
    const [target, other] = await activeEndpoints();
    // Asked through the API, as another analyst or the CLI would: nothing on the page started it.
    const ask = (id: number, type: string) =>
      b.api<ActionOutcome>('POST', `/endpoints/${id}/actions`, {
        type,
        comment: 'Browser test: asked elsewhere',
      });
    await ask(target!.id, 'isolate');

    await page.goto(`/endpoints/${target!.id}/actions`);
    const badge = page.locator('.endpoint-head').getByLabel('Isolation state');
    const firstRow = page.getByRole('table', { name: 'Actions' }).locator('tbody tr').first();
    const state = firstRow.getByText(/^(Pending|InProgress|Succeeded|Failed)$/);
    await expect.poll(() => badge.textContent()).toBe('Pending');
    await expect.poll(() => state.textContent()).toMatch(/^(Pending|InProgress)$/);
    const sameDocument = await keepDocument();

    await advance(1);
    await expect.poll(() => state.textContent(), { timeout: 45_000, interval: 1000 }).toBe('Succeeded');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('Isolated');
    expect(await firstRow.textContent()).toContain('Isolate');

    // The actions page, reached in the page (no new document), follows a scan on another endpoint the same way.
    await ask(other!.id, 'scan');
    await page
      .getByRole('navigation', { name: 'Sections', exact: true })
      .getByRole('link', { name: 'Actions' })
      .click();
    const newest = page.getByRole('table', { name: 'Response actions' }).locator('tbody tr').first();
    await expect.poll(() => newest.textContent()).toContain(other!.computerDnsName ?? other!.machineId);
    const scanState = newest.getByText(/^(Pending|InProgress|Succeeded|Failed)$/);
    await expect.poll(() => scanState.textContent()).toMatch(/^(Pending|InProgress)$/);
    await advance(1);
    await expect.poll(() => scanState.textContent(), { timeout: 45_000, interval: 1000 }).toBe('Succeeded');
    await sameDocument();
  });

  it('should stop polling while the tab is hidden and read again at once when it is back', async () => {
    const [target] = await activeEndpoints();
    await page.goto(`/endpoints/${target!.id}`);
    await page.getByRole('button', { name: 'Run scan' }).click();
    await page.getByLabel('Comment').fill('Browser test: a scan that stays under way');
    await page.getByRole('button', { name: 'Start scan' }).click();
    // The clock is frozen: the scan stays Pending, so the page keeps following it.
    await expect.poll(() => page.getByLabel('Action state').textContent()).toBe('Pending');

    const reads: number[] = [];
    const onRequest = (request: { url(): string }): void => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/')) reads.push(Date.now());
    };
    page.on('request', onRequest);
    const readsIn = async (ms: number): Promise<number> => {
      reads.length = 0;
      await sleep(ms);
      return reads.length;
    };
    try {
      // Visible: the action under way is read every 2.5 s (src/web/live.ts).
      expect(await readsIn(6_000)).toBeGreaterThanOrEqual(2);

      await page.evaluate(setHidden, true);
      await sleep(500);
      expect(await readsIn(8_000)).toBe(0);

      reads.length = 0;
      const shown = Date.now();
      await page.evaluate(setHidden, false);
      await expect.poll(() => reads.length, { timeout: 2_000, interval: 50 }).toBeGreaterThan(0);
      // At once, not at the next tick of the poll.
      expect(reads[0]! - shown).toBeLessThan(1_000);
      expect(await readsIn(6_000)).toBeGreaterThanOrEqual(2);
    } finally {
      page.off('request', onRequest);
    }
  });
});
