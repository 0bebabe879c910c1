import { describe, expect, it } from 'vitest';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { useBrowserHub } from './browser-harness.js';

describe('sync jobs in the web UI (PostgreSQL)', () => {
  it('should show the jobs "Sync now" queued, then the runs a worker made of them', async () => {
    const b = await useBrowserHub({ dialect: 'postgres', machines: 20 });
    const { id } = await b.api<{ id: string }>('POST', '/integrations', {
      ...simulatorIntegrationSettings(b.sim, 'Queued'),
      enabled: false,
    });
    const page = await b.newPage();
    await b.signIn(page, b.admin.username, b.admin.password);
    await page.goto(`/integrations/${id}/history`);
    await page.getByRole('heading', { name: 'Sync history' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const jobs = page.getByRole('table', { name: 'Sync jobs' });
    await expect
      .poll(async () => (await jobs.textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/machines\s*queued/);
    await b.screenshot(page, 'sync-jobs-queued');

    const worker = new SyncWorker(b.hub.jobs!, b.hub.sync, { concurrency: 2 });
    await worker.drain();
    const runs = page.getByRole('table', { name: 'Sync runs' });
    await expect
      .poll(async () => (await runs.textContent()) ?? '', { timeout: 30_000, interval: 500 })
      .toMatch(/findings\s*succeeded/);
    await expect
      .poll(async () => (await jobs.textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/machines\s*completed/);
    expect((await jobs.textContent()) ?? '').not.toMatch(/queued/);
    await b.screenshot(page, 'sync-jobs-completed');
  }, 120_000);
});
