import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowserHub } from './browser-harness.js';
import { simPost } from '../support/simulator.js';
import type { ConnectionTest, EndpointDetail, EndpointSummary } from '../../src/web/api-types.js';
import { formatTime } from '../../src/web/format.js';
import { isolationLabels } from '../../src/web/labels.js';

interface ListPage<T> {
  items: T[];
  total: number;
}

/**
 * The web UI in real Chromium against the hub serving on the simulator (SQLite): each check reads the page as a
 * user would (by label and role) and compares it with what the API answers.
 */
describe('web UI', async () => {
  const b = await useBrowserHub();
  const sim = b.sim;
  const admin = await b.newPage();
  // Script errors and refused resources (a CSP violation, a failed request) fail the last test.
  const problems: string[] = [];
  admin.on('pageerror', (error) => problems.push(error.message));
  admin.on('console', (message) => {
    // Failed requests are judged by their responses below; this catches React's and the CSP's errors.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  admin.on('response', (response) => {
    const url = new URL(response.url());
    // The one expected refusal: the session probe before signing in.
    const probe = url.pathname === '/api/v1/session' && response.request().method() === 'GET';
    if (response.status() >= 400 && !probe) problems.push(`${response.status()} ${url.pathname}`);
  });
  await b.signIn(admin, b.admin.username, b.admin.password);

  /** The value beside a field's name in a list of fields (dt/dd). */
  const field = (scope: Locator, name: string): Locator =>
    scope
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${name}$`) })
      .locator('xpath=following-sibling::dd[1]');

  const formFor = async (page: Page, secret: string): Promise<void> => {
    await page.getByLabel('Name', { exact: true }).fill('Contoso');
    await page.getByLabel('Tenant ID').fill(sim.tenantId);
    await page.getByLabel('Client ID').fill(sim.clientId);
    await page.getByLabel('Client secret').fill(secret);
    await page.getByLabel('Defender product').selectOption({ label: 'Endpoint' });
    await page.getByLabel('Region').selectOption('custom');
    await page.getByLabel('API base URL').fill(sim.apiBaseUrl);
    await page.getByText('Sign-in host, Graph and certificate authority').click();
    await page.getByLabel('Authority host').fill(sim.authorityHost);
    await page.getByLabel('Graph base URL').fill(sim.graphBaseUrl);
    await page.getByLabel('CA certificate (PEM)').fill(sim.caPem);
  };

  const settings = (clientSecret: string) => ({
    name: 'Contoso',
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret,
    apiBaseUrl: sim.apiBaseUrl,
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    caPem: sim.caPem,
  });

  it('should refuse a wrong password in place, then sign in and show the user and role', async () => {
    const page = await b.newPage();
    await page.goto('/endpoints');
    await page.getByLabel('Username').fill(b.admin.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The username or the password is wrong. (AUTH_FAILED)');

    await page.getByLabel('Password').fill(b.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const menu = page.getByRole('group', { name: 'User menu' });
    await menu.waitFor();
    expect(await menu.textContent()).toContain(`${b.admin.username}admin`);
    // The deep link asked for before signing in is where the user lands.
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();

    await menu.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('should configure an integration with the form: test it, see a wrong secret named, save it and see its first sync', async () => {
    await admin.goto('/integrations');
    await admin.getByRole('link', { name: 'Add integration' }).click();
    await formFor(admin, sim.clientSecret);
    await admin.getByRole('button', { name: 'Test connection' }).click();
    const result = admin.getByRole('region', { name: 'Connection test result' });
    await result.waitFor();
    expect(await result.getByRole('heading').textContent()).toBe('Connection test: Succeeded');
    const truth = await b.api<ConnectionTest>('POST', '/integrations/test', settings(sim.clientSecret));
    const steps = result.getByRole('listitem');
    expect(await steps.count()).toBe(truth.steps.length);
    const shown = await steps.allTextContents();
    expect(shown.map((text) => text.replace(/ \d+ ms$/, ''))).toEqual(
      truth.steps.map((s) => `${s.name} Succeeded`),
    );
    const permissions = result.getByRole('table', { name: 'Permissions' }).getByRole('row');
    expect(await permissions.count()).toBe(truth.permissions.length + 1);
    await b.screenshot(admin, 'integration-form');

    await admin.getByLabel('Client secret').fill('wrong-secret-value');
    await admin.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.getByRole('heading').textContent()).toBe('Connection test: Failed');
    const wrong = await b.api<ConnectionTest>('POST', '/integrations/test', settings('wrong-secret-value'));
    const failed = wrong.steps.find((s) => !s.ok);
    expect(failed?.message).toMatch(/secret/i);
    // Entra's trace and correlation ids differ per request; the rest of the message is the API's.
    const traceless = (m: string | null | undefined) =>
      m?.replace(/trace [\w-]+, correlation [\w-]+/, 'trace');
    expect(traceless(await result.locator('.step-message').first().textContent())).toBe(
      traceless(failed?.message),
    );

    await admin.getByLabel('Client secret').fill(sim.clientSecret);
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('heading', { name: 'Sync history' }).waitFor();
    const runs = admin.getByRole('table', { name: 'Sync runs' });
    // The scheduler starts the first sync within seconds; the page looks again until no run is left running.
    // Settled: findings (which follow machines) succeeded and nothing runs; between two runs of the chain no run
    // is running yet, so "nothing running" alone is not the end.
    const settled = async (): Promise<boolean> => {
      const text = (await runs.textContent()) ?? '';
      return (
        /findings\s*succeeded/.test(text) && /machines\s*succeeded/.test(text) && !text.includes('running')
      );
    };
    await expect.poll(settled, { timeout: 150_000, interval: 1000 }).toBe(true);

    await admin.getByRole('link', { name: 'Endpoints' }).click();
    const listed = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints');
    expect(listed.total).toBeGreaterThan(0);
    await expect.poll(() => admin.locator('.count').textContent()).toBe(`${listed.total} items`);
  });

  it('should show the Risk → Microsoft Defender subtab with the values of the API', async () => {
    const worst = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?sort=-risk&pageSize=1');
    const id = worst.items[0]!.id;
    const truth = await b.api<EndpointDetail>('GET', `/endpoints/${id}`);
    expect(truth.defender.worstVulnerability).not.toBeNull();

    await admin.goto('/endpoints?sort=-risk');
    await admin.getByRole('table', { name: 'Endpoints' }).getByRole('link').first().click();
    await admin.getByRole('heading', { name: truth.computerDnsName ?? truth.machineId }).waitFor();
    // The overview: names, addresses, OS, profiles, tags, first and last seen and isolation, as the API has them.
    const overview = admin.locator('dl.fields').first();
    const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
    const ips = [
      ...new Set(truth.ipAddresses.map((ip) => ip.ipAddress).filter((ip) => typeof ip === 'string')),
    ];
    const expected: [string, string][] = [
      ['DNS name', dash(truth.computerDnsName)],
      ['Machine id', truth.machineId],
      ['IP addresses', ips.length === 0 ? dash(truth.lastIpAddress) : ips.join(', ')],
      ['OS', `${dash(truth.osPlatform)} ${truth.osVersion ?? ''} ${truth.osBuild ?? ''}`.trim()],
      ['Profiles', truth.profiles.map((p) => p.name).join(', ') || '—'],
      ['Tags', truth.machineTags.join(', ') || '—'],
      ['First seen', formatTime(truth.firstSeen)],
      ['Last seen', formatTime(truth.lastSeen)],
      ['Isolation', isolationLabels[truth.isolation.state]],
    ];
    for (const [name, value] of expected)
      expect([name, await field(overview, name).textContent()]).toEqual([name, value]);
    expect(truth.profiles.length).toBeGreaterThan(0);
    await admin
      .getByRole('navigation', { name: 'Endpoint sections' })
      .getByRole('link', { name: 'Risk' })
      .click();
    await admin.getByRole('link', { name: 'Microsoft Defender' }).click();
    expect(new URL(admin.url()).pathname).toBe(`/endpoints/${id}/risk/defender`);
    const panel = admin.getByRole('region', { name: 'Microsoft Defender risk' });
    await panel.waitFor();

    const d = truth.defender;
    expect(await panel.locator('.worst .description').textContent()).toBe(d.worstVulnerability?.description);
    expect(await field(panel, 'Exposure Risk Level').textContent()).toBe(d.exposureRiskLevel);
    const vulns = panel.getByRole('link', { name: `${d.vulnerabilityCount} vulnerabilities` });
    expect(await vulns.getAttribute('href')).toBe(d.vulnerabilitiesUrl);
    expect(await field(panel, 'Risk Level').textContent()).toBe(d.alertRiskLevel);
    expect(await panel.getByRole('link', { name: 'Alerts in Defender' }).getAttribute('href')).toBe(
      d.alertsUrl,
    );
    expect(await panel.getByRole('link', { name: 'Device page in Defender' }).getAttribute('href')).toBe(
      d.overviewUrl,
    );
    await b.screenshot(admin, 'endpoint-defender-subtab');

    // A deep link to the subtab opens it again, and back walks to the tab before.
    await admin.reload();
    await panel.waitFor();
    await admin.goBack();
    expect(new URL(admin.url()).pathname).toBe(`/endpoints/${id}/risk`);
  });

  const actionState = (page: Page) => page.getByLabel('Action state');
  const advance = (hours: number) => simPost(sim, '/_sim/advance', { hours });

  it('should isolate and release an endpoint, the state followed live until Succeeded', async () => {
    // An online device: Defender carries out actions on an offline one only when it comes back (or times out).
    const listed = await b.api<ListPage<EndpointSummary>>(
      'GET',
      '/endpoints?sort=name&pageSize=100&health=Active',
    );
    const target = listed.items.find(
      (e) => e.isolation.state === 'notIsolated' && e.onboardingStatus === 'Onboarded',
    )!;
    await admin.goto(`/endpoints/${target.id}`);
    const isolation = admin.locator('.endpoint-head').getByLabel('Isolation state');
    await expect.poll(() => isolation.textContent()).toBe('Not isolated');
    expect(await admin.getByRole('button', { name: 'Release from isolation' }).isDisabled()).toBe(true);

    await admin.getByRole('button', { name: 'Isolate' }).click();
    const confirm = admin.getByRole('button', { name: 'Confirm isolation' });
    expect(await confirm.isDisabled()).toBe(true);
    await admin.getByLabel('Comment').fill('Browser test: suspected compromise');
    expect(await confirm.isDisabled()).toBe(true);
    await admin.getByLabel(/I confirm/).check();
    await confirm.click();
    await expect.poll(() => actionState(admin).textContent()).toMatch(/Pending|InProgress/);
    await advance(1);
    await expect.poll(() => actionState(admin).textContent(), { timeout: 30_000 }).toBe('Succeeded');
    await expect.poll(() => isolation.textContent(), { timeout: 10_000 }).toBe('Isolated');

    await admin.getByRole('button', { name: 'Release from isolation' }).click();
    await admin.getByLabel('Comment').fill('Browser test: cleared');
    await admin.getByRole('button', { name: 'Confirm release' }).click();
    await expect.poll(() => actionState(admin).textContent()).toMatch(/Pending|InProgress/);
    await advance(1);
    await expect.poll(() => actionState(admin).textContent(), { timeout: 30_000 }).toBe('Succeeded');
    await expect.poll(() => isolation.textContent(), { timeout: 10_000 }).toBe('Not isolated');
    const actions = await b.api<ListPage<{ type: string; status: string }>>(
      'GET',
      `/actions?endpoint=${target.id}`,
    );
    expect(actions.items.map((a) => `${a.type} ${a.status}`)).toEqual([
      'Unisolate Succeeded',
      'Isolate Succeeded',
    ]);

    // Protected by its name: isolation is off in the page (the hub refuses it too), a scan is still offered.
    const [integration] = (await b.api<ListPage<{ id: string }>>('GET', '/integrations')).items;
    await b.api('PATCH', `/integrations/${integration!.id}`, {
      protectedDevices: { namePatterns: [target.computerDnsName ?? target.machineId] },
    });
    await admin.reload();
    await expect
      .poll(() => admin.locator('.endpoint-actions .note').first().textContent())
      .toContain('protected by name pattern');
    expect(await admin.getByRole('button', { name: 'Isolate' }).isDisabled()).toBe(true);
    expect(await admin.getByRole('button', { name: 'Run scan' }).isDisabled()).toBe(false);
  });

  it("should list an endpoint's vulnerabilities, software, alerts and actions in its tabs, as the API does", async () => {
    const withActions = await b.api<ListPage<{ endpointId: number | null }>>('GET', '/actions?pageSize=1');
    const id = withActions.items[0]!.endpointId!;
    const tabs = [
      ['Vulnerabilities', `/endpoints/${id}/vulnerabilities`],
      ['Software', `/endpoints/${id}/software`],
      ['Alerts', `/endpoints/${id}/alerts`],
      ['Actions', `/actions?endpoint=${id}`],
    ] as const;
    await admin.goto(`/endpoints/${id}`);
    const sections = admin.getByRole('navigation', { name: 'Endpoint sections' });
    for (const [tab, path] of tabs) {
      const truth = await b.api<ListPage<{ id: string | number | null }>>('GET', path);
      await sections.getByRole('link', { name: tab }).click();
      const table = admin.getByRole('table', { name: tab });
      await expect
        .poll(() => admin.locator('.count').textContent())
        .toBe(`${truth.total} ${truth.total === 1 ? 'item' : 'items'}`);
      // Every row and header filled in: a table left from the tab before once showed this tab's rows empty.
      expect([tab, await table.locator('tbody tr:has(td)').count()]).toEqual([
        tab,
        Math.max(1, Math.min(truth.total, 50)),
      ]);
      expect(await table.getByRole('columnheader').count()).toBeGreaterThan(2);
    }
    // The isolation test's two actions, newest first, as the actions list answers them.
    const actions = await b.api<ListPage<{ type: string; scope: string | null }>>(
      'GET',
      `/actions?endpoint=${id}`,
    );
    expect(actions.total).toBe(2);
    expect(
      await admin
        .getByRole('table', { name: 'Actions' })
        .locator('tbody tr td:first-child')
        .allTextContents(),
    ).toEqual(actions.items.map((a) => (a.scope === null ? a.type : `${a.type} (${a.scope})`)));
  });

  it('should show a viewer no action buttons and no integration changes', async () => {
    const password = 'viewer-password-1234';
    await b.hub.auth.createUser({ username: 'vera', role: 'viewer', password });
    const viewer = await b.newPage();
    await b.signIn(viewer, 'vera', password);
    expect(await viewer.getByRole('group', { name: 'User menu' }).textContent()).toContain('veraviewer');
    const listed = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?pageSize=1');
    await viewer.goto(`/endpoints/${listed.items[0]!.id}`);
    await viewer.getByRole('navigation', { name: 'Endpoint sections' }).waitFor();
    for (const name of ['Run scan', 'Isolate', 'Release from isolation'])
      expect(await viewer.getByRole('button', { name }).count()).toBe(0);
    await viewer.goto('/integrations');
    await viewer
      .getByRole('table', { name: 'Integrations' })
      .getByRole('link', { name: 'Contoso' })
      .waitFor();
    expect(await viewer.getByRole('link', { name: 'Add integration' }).count()).toBe(0);
  });

  it('should show a strategy error at its position and the live match count of a good one', async () => {
    await admin.goto('/strategies');
    const editor = admin.getByLabel('Filter expression');
    const bad = 'Defender.SeverityLevel >= "High" and and Defender.KnownExploitExists = true';
    await editor.fill(bad);
    const truth = await b.api<{ ok: false; error: { line: number; column: number; message: string } }>(
      'POST',
      '/patch-strategies/validate',
      { expression: bad },
    );
    const problem = admin.locator('.strategy-problem');
    await expect
      .poll(() => problem.locator('p').textContent())
      .toBe(`Line ${truth.error.line}, column ${truth.error.column}: ${truth.error.message}`);
    const caret = (await problem.locator('pre').textContent())?.split('\n')[1] ?? '';
    expect(caret.indexOf('^') + 1).toBe(truth.error.column);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');

    const good = 'Defender.SeverityLevel >= "High"';
    await editor.fill(good);
    const counted = await b.api<{ ok: true; matchingPatches: number }>('POST', '/patch-strategies/validate', {
      expression: good,
      count: true,
    });
    await expect
      .poll(() => admin.locator('.strategy-check .ok').textContent())
      .toBe(`Valid: ${counted.matchingPatches} matching patches`);
  });

  it('should show the dashboard with the counts of the API', async () => {
    await admin.goto('/');
    const truth = await b.api<{ endpointsByRisk: Record<string, number> }>('GET', '/dashboard');
    const risk = admin.getByRole('figure', { name: 'Endpoints by risk level' });
    await expect
      .poll(async () => (await risk.locator('.bar-value').allTextContents()).join(','))
      .toBe(
        ['Critical', 'High', 'Medium', 'Low', 'None'].map((l) => String(truth.endpointsByRisk[l])).join(','),
      );
    expect(
      await admin
        .getByRole('listitem')
        .filter({ hasText: 'Contoso' })
        .getByLabel('Connection status')
        .textContent(),
    ).toBe('Connected');
    const statuses = await b.api<{ items: { state: string }[] }>('GET', '/integrations/status');
    const connected = statuses.items.filter((s) => s.state === 'connected').length;
    expect(connected).toBe(statuses.items.length);
    expect(await admin.locator('.sync-card .note').first().textContent()).toBe(
      `${statuses.items.length} integration${statuses.items.length === 1 ? '' : 's'}: ${connected} connected`,
    );
    await b.screenshot(admin, 'dashboard');
  });

  it('should link alerts, incidents and CVEs to their pages in the Defender portal', async () => {
    for (const [path, table] of [
      ['/alerts', 'Alerts'],
      ['/incidents', 'Incidents'],
      ['/vulnerabilities', 'Vulnerabilities'],
    ] as const) {
      const truth = await b.api<ListPage<{ portalUrl: string }>>('GET', path);
      await admin.goto(path);
      const link = admin.getByRole('table', { name: table }).getByRole('link').first();
      await expect.poll(() => link.getAttribute('href')).toBe(truth.items[0]!.portalUrl);
    }
  });

  it('should keep filters in the URL, so a deep link and the back button show the same rows', async () => {
    const high = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?riskLevel=Critical');
    const all = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints');
    expect(high.total).toBeLessThan(all.total);
    await admin.goto('/endpoints?riskLevel=Critical');
    const count = admin.locator('.count');
    await expect.poll(() => count.textContent()).toBe(`${high.total} items`);
    const risk = admin.getByRole('combobox', { name: 'Risk level' });
    expect(await risk.inputValue()).toBe('Critical');
    // The export is of the filtered list: a header line and one line per endpoint.
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('endpoints.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv.length - 1).toBe(high.total);
    await risk.selectOption('');
    await expect.poll(() => count.textContent()).toBe(`${all.total} items`);
    await admin.goBack();
    await expect.poll(() => count.textContent()).toBe(`${high.total} items`);
    expect(new URL(admin.url()).searchParams.get('riskLevel')).toBe('Critical');
  });

  it('should sort by a column header, page with Next and keep the chosen columns', async () => {
    await admin.goto('/endpoints?pageSize=10');
    const table = admin.getByRole('table', { name: 'Endpoints' });
    const shown = () => table.locator('tbody tr td:first-child').allTextContents();
    const listed = async (query: string): Promise<string[]> =>
      (await b.api<ListPage<EndpointSummary>>('GET', `/endpoints?pageSize=10&${query}`)).items.map(
        (e) => e.computerDnsName ?? e.machineId,
      );
    await expect.poll(shown).toEqual(await listed('sort=name'));
    const lastSeen = table.getByRole('button', { name: 'Last seen' });
    await lastSeen.click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('sort')).toBe('lastSeen');
    await expect.poll(shown).toEqual(await listed('sort=lastSeen'));
    await lastSeen.click();
    await expect.poll(shown).toEqual(await listed('sort=-lastSeen'));
    expect(await table.getByRole('columnheader', { name: 'Last seen' }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    await admin
      .getByRole('navigation', { name: 'Endpoints pages' })
      .getByRole('button', { name: 'Next' })
      .click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('page')).toBe('2');
    await expect.poll(shown).toEqual(await listed('sort=-lastSeen&page=2'));

    // Columns: one added, one taken away; the choice outlives a reload.
    await admin.getByText('Columns', { exact: true }).click();
    const chooser = admin.getByRole('group', { name: 'Columns shown' });
    await chooser.getByLabel('Tags').check();
    await chooser.getByLabel('Last IP').uncheck();
    const headers = () => table.getByRole('columnheader').allTextContents();
    const expectChosen = async (): Promise<void> => {
      await expect.poll(async () => (await headers()).includes('Tags')).toBe(true);
      expect(await headers()).not.toContain('Last IP');
    };
    await expectChosen();
    await admin.reload();
    await expectChosen();
  });

  it('should run a hunting query and show its rows, with the export of the same result', async () => {
    await admin.goto('/hunting');
    const query = await admin.getByLabel('Query (KQL)').inputValue();
    await admin.getByRole('button', { name: 'Run query' }).click();
    const table = admin.getByRole('table', { name: 'Hunting results' });
    await table.waitFor();
    const truth = await b.api<{ total: number; schema: { name: string }[] }>('POST', '/hunting/query', {
      integration: (await b.api<ListPage<{ id: string }>>('GET', '/integrations')).items[0]!.id,
      query,
    });
    expect(truth.total).toBeGreaterThan(0);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(truth.schema.map((c) => c.name));
    expect(await admin.locator('.count').textContent()).toBe(`${truth.total} items`);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv.length - 1).toBe(truth.total);
  });

  it('should be usable with the keyboard alone', async () => {
    const page = await b.newPage();
    await page.goto('/');
    await page.getByLabel('Username').focus();
    await page.keyboard.type(b.admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(b.admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'User menu' }).waitFor();
    // The first Tab offers to skip the header and the sections; Enter lands in the page.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('content');
    expect(new URL(page.url()).hash).toBe('');
    // Tab from the sign-out button into the navigation and open Endpoints with Enter.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    for (let i = 0; i < 2; i++) await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Endpoints');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/endpoints');
  });

  it('should show a refused filter and an unknown endpoint in place, with what to do', async () => {
    // A page of its own: its refusals are the point here, not problems.
    const page = await b.newPage();
    await b.signIn(page, b.admin.username, b.admin.password);
    const refusal = async (path: string): Promise<string> => {
      const response = await fetch(`${b.url}/api/v1${path}`, {
        headers: { authorization: `Bearer ${b.admin.token}` },
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      return `${error.message} (${error.code})`;
    };

    await page.goto('/endpoints?riskLevel=Bogus');
    const alert = page.getByRole('alert');
    const bogus = await refusal('/endpoints?riskLevel=Bogus');
    expect(bogus).toContain('riskLevel takes None, Low, Medium, High, Critical');
    await expect.poll(() => alert.textContent()).toBe(bogus);
    // The filter beside it mends the link: the error goes and the rows come.
    await page.getByRole('combobox', { name: 'Risk level' }).selectOption('Critical');
    await expect.poll(() => alert.count()).toBe(0);
    const critical = await b.api<ListPage<EndpointSummary>>('GET', '/endpoints?riskLevel=Critical');
    await expect.poll(() => page.locator('.count').textContent()).toBe(`${critical.total} items`);

    await page.goto('/endpoints/987654321');
    const unknown = await refusal('/endpoints/987654321');
    expect(unknown).toContain('find the endpoint on the Endpoints page');
    await expect.poll(() => alert.textContent()).toBe(unknown);
    await page.locator('.crumbs').getByRole('link', { name: 'Endpoints' }).click();
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
  });

  it('should have raised no script error or refused resource on any page', () => {
    expect(problems).toEqual([]);
  });
});
