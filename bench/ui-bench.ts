/**
 * `npm run bench:ui`: the web UI in headless Chromium on a synced database — how long the endpoint table takes
 * to show a page, a filter, the next page and a sort, and an endpoint's Defender subtab to open from a deep link.
 * Run it on a database kept by `BENCH_KEEP=1 BENCH_MACHINES=100000 npm run bench:sync` (its `kept:` line gives
 * the settings), the way `bench:queries` is run:
 *
 *   HUB_DATA_DIR=/tmp/dh-sync-bench-… HUB_SECRET_KEY=… [DATABASE_URL=postgres://…] npm run bench:ui
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { defaultWebRoot } from '../src/server/web-ui.js';
import { launchChromium } from '../test/support/chromium.js';
import { percentile } from './query-timings.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);

function bundleSize(): { bytes: number; gzip: number } {
  const dir = join(defaultWebRoot, 'assets');
  let bytes = 0;
  let gzip = 0;
  for (const name of readdirSync(dir).filter((n) => !n.endsWith('.map'))) {
    bytes += statSync(join(dir, name)).size;
    gzip += gzipSync(readFileSync(join(dir, name))).length;
  }
  return { bytes, gzip };
}

/** The page's document, typed just enough: this file is type-checked without the DOM's types. */
interface PageWindow {
  readonly document: { querySelector(selector: string): unknown };
}

/** Runs in the page (as a function: the hub's CSP refuses strings to evaluate): the selector matches. */
function present(selector: string): boolean {
  return (globalThis as unknown as PageWindow).document.querySelector(selector) !== null;
}

/** ms from the user's step until the table has the API's answer on screen (not busy any more). */
async function tableStep(page: Page, step: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/endpoints?'));
  await step();
  await answered;
  // Checked at every frame: a locator's wait backs off to 500 ms between looks, which would be measured instead.
  await page.waitForFunction(present, 'table[aria-label="Endpoints"][aria-busy="false"] tbody tr td a', {
    polling: 'raf',
  });
  return performance.now() - started;
}

function report(name: string, values: readonly number[]): void {
  const median = percentile(values, 0.5);
  console.log(
    `${name.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms  p95 ${percentile(values, 0.95).toFixed(0).padStart(5)} ms  (${values.length})`,
  );
}

interface Served {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly total: number;
  readonly dialect: string;
}

/** bench/ui-server.ts in a child process, once it prints its ready line. */
async function startServer(): Promise<{ served: Served; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./ui-server.ts', import.meta.url))],
    {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.on('exit', (code) => {
      reject(new Error(`the hub process exited with code ${String(code)}`));
    });
  });
  return { served: JSON.parse(line) as Served, stop: () => child.kill('SIGTERM') };
}

const { served, stop } = await startServer();
const browser = await launchChromium();
try {
  const { url, username, password, total } = served;
  const size = bundleSize();
  console.log(
    `defender-hub UI benchmark: ${total.toLocaleString('en-US')} endpoints, ${served.dialect}, Chromium headless at 1280×800; bundle ${(size.bytes / 1024).toFixed(0)} kB (${(size.gzip / 1024).toFixed(0)} kB gzipped)`,
  );
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('group', { name: 'User menu' }).waitFor();

  const load: number[] = [];
  for (let i = 0; i < rounds; i++) load.push(await tableStep(page, () => page.goto(`/endpoints?r=${i}`)));
  report('endpoint table, page load (deep link)', load);

  const levels = ['Critical', 'High', 'Medium', 'Low', 'None'];
  const filter: number[] = [];
  for (let i = 0; i < rounds; i++)
    filter.push(
      await tableStep(page, () =>
        page.getByRole('combobox', { name: 'Risk level' }).selectOption(levels[i % levels.length]!),
      ),
    );
  report('risk level filter change', filter);

  await tableStep(page, () => page.getByRole('combobox', { name: 'Risk level' }).selectOption(''));
  const next: number[] = [];
  for (let i = 0; i < rounds; i++)
    next.push(await tableStep(page, () => page.getByRole('button', { name: 'Next' }).click()));
  report('next page', next);

  const sort: number[] = [];
  for (let i = 0; i < rounds; i++)
    sort.push(await tableStep(page, () => page.getByRole('button', { name: /^Last seen/ }).click()));
  report('sort by last seen (toggling)', sort);

  const search: number[] = [];
  for (let i = 0; i < rounds; i++)
    search.push(await tableStep(page, () => page.getByLabel('Search').fill(`-${i}`)));
  report('search (typed, 300 ms debounce included)', search);

  const ids: string[] = [];
  for (const link of await page.locator('table[aria-label="Endpoints"] tbody a').all()) {
    const href = await link.getAttribute('href');
    if (href !== null) ids.push(href);
  }
  const detail: number[] = [];
  for (let i = 0; i < Math.min(rounds, ids.length); i++) {
    const started = performance.now();
    await page.goto(`${ids[i]!}/risk/defender`);
    await page.waitForFunction(present, '[aria-label="Microsoft Defender risk"] dd', { polling: 'raf' });
    detail.push(performance.now() - started);
  }
  report('endpoint Risk → Microsoft Defender (deep link)', detail);
} finally {
  await browser.close();
  stop();
}
