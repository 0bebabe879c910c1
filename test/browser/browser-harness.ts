import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Hub } from '../../src/app/hub.js';
import { startHubRuntime } from '../../src/cli/hub-runtime.js';
import { defaultWebRoot } from '../../src/server/web-ui.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { useTestHub } from '../server/api-harness.js';
import { useSimulator } from '../support/simulator.js';
import type { TestDialect } from '../support/stores.js';
import { launchChromium } from '../support/chromium.js';
import { ranAsPermitted } from '../../src/domain/connection-status.js';

/** Screenshots for reviewers; not committed (.gitignore). */
export const artifactsDir =
  process.env.BROWSER_ARTIFACTS ?? join(process.cwd(), 'test-artifacts', 'screenshots');

export interface BrowserHub {
  readonly hub: Hub;
  readonly sim: RunningSimulator;
  /** `http://127.0.0.1:PORT` of the serving hub: API, UI and scheduler, as `defender-hub serve` runs them. */
  readonly url: string;
  readonly admin: { readonly username: string; readonly password: string; readonly token: string };
  /** A fresh browser context (own cookies), at 1280×800 unless another viewport is asked for. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Call the hub's API with the admin token, for the truth the pages are checked against. */
  api<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
  /** Signs in through the sign-in form. */
  signIn(page: Page, username: string, password: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  /** The integrations made with `withIntegrations` (ids), none otherwise. */
  readonly integrations: { readonly endpoint?: string; readonly cloud?: string };
}

export interface BrowserHubOptions {
  machines?: number;
  /**
   * Before serving: create an endpoint integration ("Contoso") and a Defender for Cloud one ("Contoso cloud",
   * against the simulator's ARM) and sync both once, so the pages have data without waiting for the scheduler
   * (which then finds nothing due).
   */
  withIntegrations?: boolean;
  /** Azure subscriptions of the simulator (its default: 3, the last unreadable). */
  subscriptions?: number;
  /** The app roles the simulator grants (its default: every one). */
  roles?: string[];
  /** The database (SQLite, the embedded default, unless PostgreSQL is asked for: then syncs are jobs). */
  dialect?: TestDialect;
}

/**
 * The integrations of `withIntegrations`, synced; a failed run fails the set-up (the pages would be empty), one the
 * simulator's roles do not permit does not.
 */
async function seedIntegrations(
  hub: Hub,
  sim: RunningSimulator,
): Promise<{ endpoint: string; cloud: string }> {
  const endpoint = await hub.integrations.create(simulatorIntegrationSettings(sim, 'Contoso'));
  const cloud = await hub.integrations.create({
    ...simulatorIntegrationSettings(sim, 'Contoso cloud'),
    product: 'cloud',
    armBaseUrl: sim.armBaseUrl,
  });
  for (const id of [endpoint.id, cloud.id]) {
    const failed = (await hub.sync.syncIntegration(id)).filter((r) => !ranAsPermitted(r.status));
    if (failed.length > 0)
      throw new Error(`Seed sync failed: ${failed.map((r) => `${r.dataset} ${r.errorMessage}`).join('; ')}`);
  }
  return { endpoint: endpoint.id, cloud: cloud.id };
}

/**
 * The hub serving on an ephemeral port (SQLite, the embedded default, or PostgreSQL) against a simulator, and Chromium, all
 * closed after the test file. The UI must be built (`npm run build:web`, which `npm test` runs first).
 */
export async function useBrowserHub(options: BrowserHubOptions = {}): Promise<BrowserHub> {
  if (!existsSync(join(defaultWebRoot, 'index.html')))
    throw new Error(`The web UI is not built in ${defaultWebRoot}: run \`npm run build:web\`.`);
  const sim = await useSimulator({
    machines: options.machines ?? 40,
    findingsPerMachine: 12,
    ...(options.subscriptions === undefined ? {} : { subscriptions: options.subscriptions }),
    ...(options.roles === undefined ? {} : { roles: options.roles }),
  });
  const { hub, admin } = await useTestHub(options.dialect ?? 'sqlite');
  const integrations = options.withIntegrations === true ? await seedIntegrations(hub, sim) : {};
  const runtime = await startHubRuntime(hub, { host: '127.0.0.1', port: 0, serverLogs: false, log: quiet });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  // vitest runs afterAll hooks in reverse: the browser and runtime close before the hub and the simulator.
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await runtime.stop();
  });
  mkdirSync(artifactsDir, { recursive: true });
  return {
    hub,
    sim,
    url: runtime.url,
    admin,
    integrations,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ baseURL: runtime.url, viewport });
      contexts.push(context);
      return context.newPage();
    },
    async api<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${runtime.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${admin.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return JSON.parse(text) as T;
    },
    async signIn(page, username, password) {
      await page.goto('/');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('group', { name: 'User menu' }).waitFor();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
    },
  };
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
