import { describe, expect, it } from 'vitest';
import { useBrowserHub } from './browser-harness.js';
import type { EndpointSummary, Integration } from '../../src/web/api-types.js';

interface ListPage<T> {
  items: T[];
  total: number;
}

/**
 * Devices that are not endpoints, in real Chromium: a device Defender only discovered shows why it gets no
 * response action instead of the buttons, and the import filters are edited in the integration's form.
 */
describe('devices that are not endpoints in the web UI', async () => {
  const b = await useBrowserHub({ withIntegrations: true });
  const page = await b.newPage();
  await b.signIn(page, b.admin.username, b.admin.password);
  const endpoints = (await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?pageSize=500')).items;

  it('should show the reason instead of the action buttons on a discovered-only device', async () => {
    const discovered = endpoints.find((e) => e.onboardingStatus !== 'Onboarded');
    expect(discovered, 'a device Defender only discovered, imported by default').toBeDefined();
    await page.goto(`/endpoints/${discovered!.id}`);
    const note = page.getByRole('note', { name: 'Response actions' });
    await expect
      .poll(() => note.textContent())
      .toBe(
        `No response actions for this device: Defender only discovered it (onboarding status ${discovered!.onboardingStatus ?? ''}); it runs no Defender sensor to act on.`,
      );
    expect(await page.getByRole('group', { name: 'Response actions' }).count()).toBe(0);
    for (const name of ['Run scan', 'Isolate', 'Release from isolation'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    await b.screenshot(page, 'endpoint-discovered-only');

    // An onboarded device keeps its buttons.
    const onboarded = endpoints.find((e) => e.onboardingStatus === 'Onboarded');
    await page.goto(`/endpoints/${onboarded!.id}`);
    await page.getByRole('group', { name: 'Response actions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run scan' }).count()).toBe(1);
    expect(await page.getByRole('note', { name: 'Response actions' }).count()).toBe(0);
  });

  it('should say above the endpoint, CVE and patch lists how many devices with vulnerabilities are not endpoints', async () => {
    const lists = [
      ['/endpoints', 'they are not listed here, and their findings count in Vulnerabilities and Patches'],
      ['/vulnerabilities', 'their findings count among the exposed devices'],
      ['/patches', 'the patches count their findings and devices'],
    ] as const;
    for (const [path, counted] of lists) {
      const { devicesNotImported: n } = await b.api<{ devicesNotImported: number }>(
        'GET',
        `${path}?pageSize=1`,
      );
      expect(n, `${path}: the default filters leave phones and IoT devices out`).toBeGreaterThan(1);
      await page.goto(path);
      await expect
        .poll(() => page.getByRole('note', { name: 'Devices not imported' }).textContent(), { message: path })
        .toBe(
          `${n.toLocaleString('en-US')} devices with vulnerabilities are not imported as endpoints (left out by the import filters, or their machine records cannot be read): ${counted}.`,
        );
    }
    // Each patch on the page counts every device it applies to and says how many of them are not endpoints.
    const patches = await b.api<ListPage<{ endpointCount: number; devicesNotImported: number }>>(
      'GET',
      '/patches?sort=-severity',
    );
    expect(patches.items.some((p) => p.devicesNotImported > 0)).toBe(true);
    const devices = page.getByRole('table', { name: 'Patches' }).locator('tbody td:nth-child(10)');
    await expect
      .poll(() => devices.allTextContents())
      .toEqual(
        patches.items.map((p) =>
          p.devicesNotImported === 0
            ? String(p.endpointCount)
            : `${p.endpointCount} (${p.devicesNotImported} not imported)`,
        ),
      );
    await b.screenshot(page, 'patches-devices-not-imported');
  });

  it("should edit the import filters in the integration's form, saved as shown and checked by the hub", async () => {
    const id = b.integrations.endpoint!;
    await page.goto(`/integrations/${id}`);
    const drop = page.getByLabel('Drop mobile and IoT devices');
    await drop.waitFor();
    expect(await drop.isChecked()).toBe(true);
    for (const status of ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'])
      expect(await page.getByLabel(status, { exact: true }).isChecked(), status).toBe(false);

    await drop.uncheck();
    await page.getByLabel('Onboarded', { exact: true }).check();
    await page.getByLabel('Device groups to import').fill('Workstations - EU\n\n  Servers - Production  \n');
    // A name the hub refuses: its message names the filter, and nothing is saved.
    await page.getByLabel('Tags to import').fill(`VIP\n${'x'.repeat(300)}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('filters.tags.1: is longer than 256 characters. (INVALID_INPUT)');
    expect((await b.api<Integration>('GET', `/integrations/${id}`)).filters.dropMobileAndIot).toBe(true);

    await page.getByLabel('Tags to import').fill('VIP\nFinance');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/integrations/${id}/history`);
    expect((await b.api<Integration>('GET', `/integrations/${id}`)).filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: ['Onboarded'],
      deviceGroups: ['Workstations - EU', 'Servers - Production'],
      tags: ['VIP', 'Finance'],
    });

    // Opened again, the form shows what was saved.
    await page.goto(`/integrations/${id}`);
    await page.getByLabel('Drop mobile and IoT devices').waitFor();
    expect(await page.getByLabel('Drop mobile and IoT devices').isChecked()).toBe(false);
    expect(await page.getByLabel('Onboarded', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('CanBeOnboarded', { exact: true }).isChecked()).toBe(false);
    expect(await page.getByLabel('Device groups to import').inputValue()).toBe(
      'Workstations - EU\nServers - Production',
    );
    expect(await page.getByLabel('Tags to import').inputValue()).toBe('VIP\nFinance');
    await b.screenshot(page, 'integration-import-filters');
  });
});
