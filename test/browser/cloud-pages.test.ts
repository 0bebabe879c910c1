import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { useBrowserHub } from './browser-harness.js';
import type {
  CloudAssessment,
  CloudFinding,
  CloudResource,
  CloudSecureScore,
  CloudSubscription,
  EndpointDetail,
  EndpointSummary,
  EntraDevice,
  IntegrationStatus,
  PatchListItem,
  Vulnerability,
} from '../../src/web/api-types.js';
import { formatTime } from '../../src/web/format.js';
import { complianceLabel, entraJoinLabels, yesNo } from '../../src/web/labels.js';

/** An ARM id's last segment, as the pages name a resource. */
const resourceName = (id: string): string => id.split('/').filter(Boolean).at(-1) ?? id;

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
  /** What the table's count says for a total. */
  const items = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'item' : 'items'}`;
  /** Each body row's cells, as text. */
  const rowTexts = async (table: Locator): Promise<string[][]> => {
    const rows = await table.locator('tbody tr').all();
    return Promise.all(rows.map(async (r) => (await r.locator('td').allTextContents()).map((t) => t.trim())));
  };

  /**
   * Stores one more unhealthy cloud finding (High) on the resource of the first one, naming this CVE: the
   * simulator's cloud findings name catalog CVEs only, and none of those the first patches fix.
   */
  const nameInCloudFinding = async (cveId: string): Promise<void> => {
    const finding = (await b.api<ListPage<CloudFinding>>('GET', '/cloud/findings?pageSize=1')).items[0]!;
    await b.hub.data.cloud.upsertFindings([
      {
        integrationId: finding.integrationId,
        findingId: `${finding.id}-${cveId}`,
        subscriptionId: finding.subscriptionId,
        assessmentId: finding.assessmentId,
        vulnerabilityId: `test-${cveId}`,
        displayName: `Test finding naming ${cveId}`,
        resourceId: finding.resourceId,
        resourceType: finding.resourceType,
        assessedResourceType: finding.assessedResourceType,
        cveIds: JSON.stringify([cveId]),
        severity: 'High',
        patchable: null,
        status: 'unhealthy',
        raw: '{}',
        runId: 1,
        updatedAt: new Date().toISOString(),
      },
    ]);
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

    // The riskiest level there is (the API's default sort puts it first), and a search that narrows it.
    const level = all.items[0]!.riskLevel;
    const atLevel = await b.api<ListPage<CloudResource>>('GET', `/cloud/resources?riskLevel=${level}`);
    const search = resourceName(atLevel.items[0]!.resourceId).slice(0, 4).toUpperCase();
    const narrowed = await b.api<ListPage<CloudResource>>(
      'GET',
      `/cloud/resources?riskLevel=${level}&search=${encodeURIComponent(search)}`,
    );
    expect(narrowed.total).toBeGreaterThan(0);
    await page.goto(`/cloud/resources?riskLevel=${level}&search=${encodeURIComponent(search)}`);
    await expect.poll(() => count.textContent()).toBe(`${narrowed.total} items`);
    expect(await page.getByRole('combobox', { name: 'Risk level' }).inputValue()).toBe(level);
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe(search);

    const first = narrowed.items[0]!;
    const table = page.getByRole('table', { name: 'Cloud resources' });
    const row = table.getByRole('row').filter({ has: page.locator(`[title="${first.resourceId}"]`) });
    expect(await row.locator('.badge').textContent()).toBe(first.riskLevel);
    expect(first.riskLevel).toBe(level);

    // Sorted by the API: the column's button asks for it, the header says so.
    await table.getByRole('button', { name: 'Open findings' }).click();
    await expect
      .poll(() => table.getByRole('columnheader', { name: 'Open findings' }).getAttribute('aria-sort'))
      .toBe('ascending');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('findings');

    // The related link opens exactly this resource's assessments (any status), and the filter clears.
    await row.getByRole('link', { name: `Assessments of ${resourceName(first.resourceId)}` }).click();
    await page.getByRole('heading', { name: 'Cloud assessments' }).waitFor();
    await expect.poll(() => count.textContent()).toBe(items(first.assessments));
    const resource = page.getByRole('searchbox', { name: 'Resource id' });
    expect(await resource.inputValue()).toBe(first.resourceId);
    const every = await b.api<ListPage<CloudAssessment>>('GET', '/cloud/assessments?pageSize=1');
    await resource.fill('');
    await expect.poll(() => count.textContent()).toBe(items(every.total));
    expect(new URL(page.url()).searchParams.has('resource')).toBe(false);
  });

  it("should show a CVE's exposed cloud resources as the API counts them, and list them on the resources page", async () => {
    const truth = await b.api<ListPage<Vulnerability>>('GET', '/vulnerabilities?sort=-exposedCloudResources');
    const cve = truth.items[0]!;
    expect(cve.exposedCloudResources).toBeGreaterThan(0);
    await page.goto('/vulnerabilities');
    const table = page.getByRole('table', { name: 'Vulnerabilities' });
    const header = table.getByRole('columnheader', { name: 'Cloud resources' });
    await table.getByRole('button', { name: 'Cloud resources' }).click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await table.getByRole('button', { name: 'Cloud resources' }).click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-exposedCloudResources');
    // A CVE only cloud findings name has no catalog name nor scores: dashes, not blanks.
    await expect
      .poll(async () => (await rowTexts(table))[0])
      .toEqual([
        cve.cveId,
        cve.name ?? '—',
        cve.severity ?? 'Unknown',
        cve.cvssV3 === null ? '—' : cve.cvssV3.toFixed(1),
        cve.publicExploit ? 'Yes' : 'No',
        yesNo(cve.networkAccessible),
        cve.exposedEndpoints.toLocaleString('en-US'),
        cve.exposedCloudResources.toLocaleString('en-US'),
      ]);

    const resources = await b.api<ListPage<CloudResource>>('GET', `/cloud/resources?cve=${cve.cveId}`);
    await table.getByRole('link', { name: `cloud resources exposed to ${cve.cveId}` }).click();
    await page.getByRole('heading', { name: 'Cloud resources' }).waitFor();
    await expect.poll(() => count.textContent()).toBe(items(resources.total));
    expect(new URL(page.url()).searchParams.get('cve')).toBe(cve.cveId);
    expect(await page.getByRole('searchbox', { name: 'CVE' }).inputValue()).toBe(cve.cveId);

    // A CVE only a cloud finding names: no name, no scores, dashes.
    const cloudOnly = 'CVE-1999-0777';
    await nameInCloudFinding(cloudOnly);
    const only = await b.api<Vulnerability>('GET', `/vulnerabilities/${cloudOnly}`);
    expect(only).toMatchObject({ name: null, cvssV3: null, exposedEndpoints: 0, exposedCloudResources: 1 });
    await page.goto(`/vulnerabilities?search=${cloudOnly}`);
    await expect
      .poll(async () => (await rowTexts(table))[0])
      .toEqual([cloudOnly, '—', only.severity ?? 'Unknown', '—', 'No', '—', '0', '1']);
  });

  it('should show the cloud resources each patch exposes, as the API counts them', async () => {
    const before = await b.api<ListPage<PatchListItem>>('GET', '/patches');
    await nameInCloudFinding(before.items[0]!.cves[0]!);
    const truth = await b.api<ListPage<PatchListItem>>('GET', '/patches');
    expect(truth.items[0]!.exposedCloudResources).toBeGreaterThan(0);
    await page.goto('/patches');
    const table = page.getByRole('table', { name: 'Patches' });
    await expect
      .poll(async () => (await rowTexts(table)).map((r) => [r[0], r.at(-1)]))
      .toEqual(truth.items.map((p) => [p.name, p.exposedCloudResources.toLocaleString('en-US')]));
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

  it('should filter the integrations by name, connection status and product, as their statuses say', async () => {
    const statuses = (await b.api<{ items: IntegrationStatus[] }>('GET', '/integrations/status')).items;
    expect(new Set(statuses.map((s) => s.product)).size).toBe(2);
    const names = async (): Promise<string[]> =>
      (await rowTexts(page.getByRole('table', { name: 'Integrations' }))).map((cells) => cells[0] ?? '');
    const shows = async (query: string, keep: (s: IntegrationStatus) => boolean): Promise<void> => {
      await page.goto(`/integrations${query}`);
      const expected = statuses.filter(keep).map((s) => s.name);
      await expect.poll(() => count.textContent()).toBe(items(expected.length));
      expect(await names()).toEqual(
        expected.length === 0 ? ['No integration matches these filters.'] : expected,
      );
    };
    await shows('?product=cloud', (s) => s.product === 'cloud');
    await shows('?product=endpoint', (s) => s.product === 'endpoint');
    const state = statuses[0]!.state;
    await shows(`?state=${state}`, (s) => s.state === state);
    await shows('?search=CLOUD', (s) => s.name.toLowerCase().includes('cloud'));
    await shows('?search=nothing-like-it', () => false);
    // The filters are the page's controls too: choosing one writes it to the URL.
    await page.goto('/integrations');
    await page.getByRole('combobox', { name: 'Product' }).selectOption({ label: 'Defender for Cloud' });
    await expect.poll(() => new URL(page.url()).searchParams.get('product')).toBe('cloud');
    await expect
      .poll(() => count.textContent())
      .toBe(items(statuses.filter((s) => s.product === 'cloud').length));
  });

  it('should have raised no script error or refused resource on any page', () => {
    expect(problems).toEqual([]);
  });
});
