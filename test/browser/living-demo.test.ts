import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dataDirEnv, startCli } from '../cli/cli.js';
import { launchChromium } from '../support/chromium.js';
import type { EndpointSummary } from '../../src/web/api-types.js';

interface Ready {
  url: string;
  apiToken: string;
  adminUser: string;
  adminPassword: string;
}

interface ListPage<T> {
  items: T[];
}

/**
 * `npm start` as a newcomer runs it: `demo` with its own defaults (a live simulated clock, the demo's schedules),
 * and nothing in this file moves the simulator's clock: every change seen here comes from time flowing.
 */
describe('the living demo, on its own defaults', async () => {
  const demo = startCli(['demo'], { ...dataDirEnv(), PORT: '0' });
  afterAll(async () => {
    demo.child.kill('SIGINT');
    await demo.exit;
  });
  const ready = JSON.parse(await demo.firstLine) as Ready;
  const browser = await launchChromium();
  afterAll(() => browser.close());
  const page: Page = await (await browser.newContext({ baseURL: ready.url })).newPage();

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${ready.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${ready.apiToken}` },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  await page.goto('/');
  await page.getByLabel('Username').fill(ready.adminUser);
  await page.getByLabel('Password').fill(ready.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('group', { name: 'User menu' }).waitFor();

  const actionState = () => page.getByLabel('Action state').textContent();
  const isolation = () => page.locator('.endpoint-head').getByLabel('Isolation state').textContent();
  // Isolation takes 3 simulated minutes and a quick scan 10: seconds at the demo's speed, plus the hub's polls.
  const untilFinal = { timeout: 90_000, interval: 1000 };

  const act = async (button: string, comment: string, submit: string, confirm = false): Promise<void> => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.getByLabel('Comment').fill(comment);
    if (confirm) await page.getByLabel(/I confirm/).check();
    await page.getByRole('button', { name: submit }).click();
    await expect.poll(actionState).toMatch(/Pending|InProgress/);
  };

  it('should isolate, release and scan an endpoint, each reaching Succeeded with the badge following', async () => {
    const listed = await api<ListPage<EndpointSummary>>('/endpoints?sort=name&pageSize=100&health=Active');
    // A device that reported in the last day: a quiet one (the live tenant has some) would leave the action
    // Pending until it reports again, as in Defender.
    const newest = Math.max(...listed.items.map((e) => Date.parse(e.lastSeen ?? '') || 0));
    const target = listed.items.find(
      (e) =>
        e.isolation.state === 'notIsolated' &&
        e.onboardingStatus === 'Onboarded' &&
        newest - (Date.parse(e.lastSeen ?? '') || 0) < 24 * 3600_000,
    );
    expect(target, 'an online, onboarded endpoint to act on').toBeDefined();
    await page.goto(`/endpoints/${target!.id}`);
    await expect.poll(isolation).toBe('Not isolated');

    await act('Isolate', 'Living demo: isolate', 'Confirm isolation', true);
    await expect.poll(actionState, untilFinal).toBe('Succeeded');
    await expect.poll(isolation, untilFinal).toBe('Isolated');

    await act('Release from isolation', 'Living demo: release', 'Confirm release');
    await expect.poll(actionState, untilFinal).toBe('Succeeded');
    await expect.poll(isolation, untilFinal).toBe('Not isolated');

    await act('Run scan', 'Living demo: quick scan', 'Start scan');
    await expect.poll(actionState, untilFinal).toBe('Succeeded');

    const actions = await api<ListPage<{ type: string; status: string }>>(`/actions?endpoint=${target!.id}`);
    expect(actions.items.map((a) => `${a.type} ${a.status}`)).toEqual([
      'RunAntiVirusScan Succeeded',
      'Unisolate Succeeded',
      'Isolate Succeeded',
    ]);
  }, 300_000);

  it('should show a new alert on the dashboard after a scheduled sync, without a reload', async () => {
    const before = new Set(
      (await api<ListPage<{ id: string }>>('/alerts?pageSize=500')).items.map((a) => a.id),
    );
    await page.goto('/');
    let loads = 0;
    page.on('load', () => loads++);
    const latest = page.getByRole('table', { name: 'Latest alerts' });
    await latest.locator('tbody tr').first().waitFor();
    // The alerts schedule runs every minute and the live tenant gains alerts each simulated half hour (a real
    // minute at the demo's speed): a new one is on screen within a few minutes.
    await expect
      .poll(
        async () => {
          const { items } = await api<ListPage<{ id: string; title: string | null }>>('/alerts?pageSize=5');
          // By id (each row links to its alert in the portal): titles repeat across alerts of one template.
          const fresh = items.filter((a) => !before.has(a.id)).map((a) => `/alerts/${a.id}`);
          const links = await latest.locator('tbody tr td:first-child a').all();
          const shown = await Promise.all(
            links.map(async (a) => new URL((await a.getAttribute('href')) ?? '', 'https://x').pathname),
          );
          return fresh.some((path) => shown.includes(path));
        },
        { timeout: 240_000, interval: 2000 },
      )
      .toBe(true);
    expect(loads).toBe(0);
    const runs = await api<ListPage<{ status: string }>>('/sync-runs?dataset=alerts');
    expect(runs.items.filter((r) => r.status === 'succeeded').length).toBeGreaterThan(1);
  }, 300_000);
});
