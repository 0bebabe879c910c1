import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { useBrowserHub } from './browser-harness.js';
import type {
  CloudAssessment,
  CloudResource,
  CloudSecureScore,
  CloudSubscription,
  EndpointDetail,
  EndpointSummary,
  EntraDevice,
} from '../../src/web/api-types.js';
import { formatTime } from '../../src/web/format.js';
import { complianceLabel, entraJoinLabels, yesNo } from '../../src/web/labels.js';

interface ListPage<T> {
  items: T[];
  total: number;
}

/**
 * The cloud posture, cloud lists and Entra coverage pages in real Chromium, against a hub whose endpoint and
 * Defender for Cloud integrations were synced from the simulator (3 subscriptions, the last unreadable): every
 * number the pages show is checked against the API's answer.
 */
describe('cloud and Entra pages', async () => {
  const b = await useBrowserHub({ machines: 30, withIntegrations: true });
  const page = await b.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    const probe = url.pathname === '/api/v1/session' && response.request().method() === 'GET';
    if (response.status() >= 400 && !probe) problems.push(`${response.status()} ${url.pathname}`);
  });
  await b.signIn(page, b.admin.username, b.admin.password);

  /** The value beside a field's name in a list of fields (dt/dd). */
  const field = (scope: Locator, name: string): Locator =>
    scope
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${name}$`) })
      .locator('xpath=following-sibling::dd[1]');
  const count = page.locator('.count');
  /** Each body row's cells, as text. */
  const rowTexts = async (table: Locator): Promise<string[][]> => {
    const rows = await table.locator('tbody tr').all();
    return Promise.all(rows.map(async (r) => (await r.locator('td').allTextContents()).map((t) => t.trim())));
  };

  it('should show the secure score per subscription, unhealthy assessments by severity and the unreadable subscription', async () => {
    const [scores, subscriptions] = await Promise.all([
      b.api<{ items: CloudSecureScore[] }>('GET', '/cloud/secure-scores?days=30'),
      b.api<ListPage<CloudSubscription>>('GET', '/cloud/subscriptions?pageSize=500'),
    ]);
    expect(scores.items.length).toBeGreaterThan(0);
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Cloud posture' })
      .click();
    await page.getByRole('heading', { name: 'Cloud posture' }).waitFor();

    const nameOf = (id: string): string =>
      subscriptions.items.find((s) => s.subscriptionId === id)?.displayName ?? id;
    const scoreTable = page.getByRole('table', { name: 'Secure score by subscription' });
    await expect
      .poll(async () => (await rowTexts(scoreTable)).map((r) => r.slice(0, 3)))
      .toEqual(
        scores.items.map((s) => [
          nameOf(s.subscriptionId),
          `${s.current} of ${s.max}`,
          `${(s.percentage * 100).toFixed(0)}%`,
        ]),
      );
    const trend = page.getByRole('img', { name: /^Secure score by subscription/ });
    expect(await trend.locator('polyline').count()).toBe(scores.items.length);

    const unhealthy = await Promise.all(
      ['High', 'Medium', 'Low'].map(
        async (severity) =>
          (
            await b.api<ListPage<CloudAssessment>>(
              'GET',
              `/cloud/assessments?status=unhealthy&severity=${severity}&pageSize=1`,
            )
          ).total,
      ),
    );
    expect(unhealthy.reduce((a, n) => a + n, 0)).toBeGreaterThan(0);
    const bars = page.getByRole('figure', { name: 'Unhealthy assessments by severity' });
    await expect
      .poll(async () => (await bars.locator('.bar-value').allTextContents()).join(','))
      .toBe(unhealthy.map((n) => n.toLocaleString('en-US')).join(','));

    const unreadable = subscriptions.items.filter((s) => !s.lastReadOk);
    expect(unreadable).toHaveLength(1);
    const bad = unreadable[0]!;
    const row = page
      .getByRole('table', { name: 'Subscriptions' })
      .getByRole('row')
      .filter({ hasText: bad.subscriptionId });
    expect(await row.getByLabel('Read status').textContent()).toBe('Unreadable');
    expect(await row.locator('.reason').textContent()).toBe(bad.error?.message);
    // The hub's reason names the role to assign; the page adds what follows.
    expect(bad.error?.message).toContain('Security Reader');
    expect(await row.locator('.remedy').textContent()).toContain('next cloud sync');
    expect(
      await page.getByRole('table', { name: 'Subscriptions' }).getByText('Read', { exact: true }).count(),
    ).toBe(subscriptions.items.length - 1);
    await b.screenshot(page, 'cloud-posture');

    // A bar's link opens the assessments list so filtered, with the same total.
    await page.getByRole('link', { name: 'Unhealthy High' }).click();
    await expect.poll(() => count.textContent()).toBe(`${unhealthy[0]} items`);
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('unhealthy');
  });

  it('should show a deep-linked cloud resource filter with the total of the API, and lead to its assessments', async () => {
    const type = 'Microsoft.Compute/virtualMachines';
    const truth = await b.api<ListPage<CloudResource>>(
      'GET',
      `/cloud/resources?resourceType=${encodeURIComponent(type)}`,
    );
    const all = await b.api<ListPage<CloudResource>>('GET', '/cloud/resources');
    expect(truth.total).toBeGreaterThan(0);
    expect(truth.total).toBeLessThan(all.total);
    await page.goto(`/cloud/resources?resourceType=${encodeURIComponent(type)}`);
    await expect.poll(() => count.textContent()).toBe(`${truth.total} items`);
    expect(await page.getByRole('searchbox', { name: 'Resource type' }).inputValue()).toBe(type);
    await b.screenshot(page, 'cloud-resources');

    const first = truth.items[0]!;
    const assessments = await b.api<ListPage<CloudAssessment>>(
      'GET',
      `/cloud/assessments?status=unhealthy&subscription=${first.subscriptionId}&resourceType=${encodeURIComponent(type)}`,
    );
    await page
      .getByRole('table', { name: 'Cloud resources' })
      .getByRole('link', { name: /^Unhealthy assessments of/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Cloud assessments' }).waitFor();
    await expect.poll(() => count.textContent()).toBe(`${assessments.total} items`);
  });

  it('should link assessments to the Azure portal and filter findings by severity', async () => {
    const assessments = await b.api<ListPage<CloudAssessment>>('GET', '/cloud/assessments');
    await page.goto('/cloud/assessments');
    const link = page.getByRole('table', { name: 'Cloud assessments' }).getByRole('link').first();
    await expect.poll(() => link.getAttribute('href')).toBe(assessments.items[0]!.portalUrl);
    expect(await link.getAttribute('target')).toBe('_blank');

    const high = await b.api<ListPage<unknown>>('GET', '/cloud/findings?severity=High');
    await page.goto('/cloud/findings');
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('High');
    await expect.poll(() => count.textContent()).toBe(`${high.total} items`);
    expect(new URL(page.url()).searchParams.get('severity')).toBe('High');
  });

  it('should list the devices in Entra ID missing from Defender, as many as the API', async () => {
    const gap = await b.api<ListPage<EntraDevice>>('GET', '/entra-devices?onboarded=false');
    expect(gap.total).toBeGreaterThan(0);
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Entra coverage' })
      .click();
    await expect.poll(() => count.textContent()).toBe(`${gap.total} items`);
    await b.screenshot(page, 'entra-coverage');
    const first = gap.items[0]!;
    const row = (await rowTexts(page.getByRole('table', { name: 'Entra coverage' })))[0];
    expect(row?.slice(0, 5)).toEqual([
      first.displayName ?? '—',
      `${first.operatingSystem ?? '—'} ${first.operatingSystemVersion ?? ''}`.trim(),
      first.trustType ?? '—',
      entraJoinLabels[first.joinType],
      formatTime(first.lastSignInAt),
    ]);
  });

  it("should show an endpoint's Entra ID device as the API joins it, and filter the endpoints by it", async () => {
    const joined = await b.api<ListPage<EndpointSummary>>(
      'GET',
      '/endpoints?entra=joined,hybridJoined,registered',
    );
    const truth = await b.api<EndpointDetail>('GET', `/endpoints/${joined.items[0]!.id}`);
    const device = truth.entraDevice!;
    expect(device).not.toBeNull();
    await page.goto(`/endpoints/${truth.id}`);
    const region = page.getByRole('region', { name: 'Entra ID device' });
    await region.waitFor();
    expect(await field(region, 'Join type').textContent()).toBe(entraJoinLabels[device.joinType]);
    expect(await field(region, 'Trust type').textContent()).toBe(device.trustType ?? '—');
    expect(await field(region, 'Compliance').textContent()).toBe(complianceLabel(device.isCompliant));
    expect(await field(region, 'Managed').textContent()).toBe(yesNo(device.isManaged));
    expect(await field(region, 'Last sign-in').textContent()).toBe(formatTime(device.lastSignInAt));
    await b.screenshot(page, 'endpoint-entra');

    const none = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?entra=none');
    expect(none.total).toBeGreaterThan(0);
    expect(none.total).toBeLessThan(joined.total + none.total);
    await page.goto(`/endpoints/${none.items[0]!.id}`);
    await expect.poll(() => region.textContent()).toContain('Not in Entra ID');

    await page.goto('/endpoints?entra=none');
    await expect.poll(() => count.textContent()).toBe(`${none.total} items`);
    const filter = page.getByRole('combobox', { name: 'Entra ID' });
    expect(await filter.inputValue()).toBe('none');
    await filter.selectOption('joined');
    const onlyJoined = await b.api<ListPage<unknown>>('GET', '/endpoints?entra=joined');
    await expect.poll(() => count.textContent()).toBe(`${onlyJoined.total} items`);
  });

  it('should have raised no script error or refused resource on any page', () => {
    expect(problems).toEqual([]);
  });
});
