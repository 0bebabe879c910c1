import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserHub } from './browser-harness.js';
import type { ConnectionTest, Integration } from '../../src/web/api-types.js';

interface ListPage<T> {
  items: T[];
  total: number;
}

/**
 * The integration form for a Defender for Cloud integration, in real Chromium against the hub on the simulator
 * (three subscriptions, the last one unreadable): read by label and role, compared with the API's answers.
 */
describe('web UI: a Defender for Cloud integration', async () => {
  const b = await useBrowserHub({ machines: 5 });
  const sim = b.sim;
  const page = await b.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    const url = new URL(response.url());
    const probe = url.pathname === '/api/v1/session' && response.request().method() === 'GET';
    if (response.status() >= 400 && !probe) problems.push(`${response.status()} ${url.pathname}`);
  });
  await b.signIn(page, b.admin.username, b.admin.password);

  /** What the form sends for these subscriptions (the API's own test is the truth the page is held to). */
  const settings = (subscriptions: string[]) => ({
    name: 'Contoso Cloud',
    product: 'cloud',
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    caPem: sim.caPem,
    armBaseUrl: sim.armBaseUrl,
    subscriptions,
  });

  /** The steps as shown: "name Succeeded|Failed", the time left out. */
  const shownSteps = async (p: Page): Promise<string[]> => {
    const result = p.getByRole('region', { name: 'Connection test result' });
    return (await result.getByRole('listitem').allTextContents()).map((text) =>
      text.replace(/ \d+ ms.*$/s, ''),
    );
  };
  const stepsOf = (truth: ConnectionTest): string[] =>
    truth.steps.map((s) => `${s.name} ${s.ok ? 'Succeeded' : 'Failed'}`);

  it('should configure a cloud integration from scratch: test it, see Security Reader named, choose subscriptions and save them', async () => {
    await page.goto('/integrations');
    await page.getByRole('link', { name: 'Add integration' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Contoso Cloud');
    // Endpoint (the default) offers the import toggles and no ARM settings …
    expect(await page.getByRole('group', { name: 'What to import' }).count()).toBe(1);
    expect(await page.getByLabel('Azure Resource Manager URL').count()).toBe(0);
    await page.getByLabel('Defender product').selectOption({ label: 'Cloud' });
    // … Cloud the other way round, with the region's cloud's ARM as the default.
    expect(await page.getByRole('group', { name: 'What to import' }).count()).toBe(0);
    const arm = page.getByLabel('Azure Resource Manager URL');
    expect(await arm.getAttribute('placeholder')).toBe('https://management.azure.com');
    await page.getByLabel('Tenant ID').fill(sim.tenantId);
    await page.getByLabel('Client ID').fill(sim.clientId);
    await page.getByLabel('Client secret').fill(sim.clientSecret);
    await arm.fill(sim.armBaseUrl);
    await page.getByText('Sign-in host, Graph and certificate authority').click();
    await page.getByLabel('Authority host').fill(sim.authorityHost);
    await page.getByLabel('Graph base URL').fill(sim.graphBaseUrl);
    await page.getByLabel('CA certificate (PEM)').fill(sim.caPem);

    // Every subscription (Subscriptions left empty): the unreadable one fails the Security Reader step.
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('region', { name: 'Connection test result' });
    await result.waitFor();
    expect(await result.getByRole('heading').textContent()).toBe('Connection test: Failed');
    const all = await b.api<ConnectionTest>('POST', '/integrations/test', settings([]));
    expect(all.product).toBe('cloud');
    expect(stepsOf(all)).toEqual(['token Succeeded', 'subscriptions Succeeded', 'securityReader Failed']);
    expect(await shownSteps(page)).toEqual(stepsOf(all));
    const refusal = all.steps.find((s) => s.name === 'securityReader')?.message ?? '';
    const unreadable = all.subscriptions.filter((s) => s.readable === false);
    expect(unreadable).toHaveLength(1);
    expect(refusal).toContain(unreadable[0]?.subscriptionId);
    expect(refusal).toContain('Security Reader');
    const shownRefusal = await result
      .getByRole('listitem')
      .filter({ hasText: 'securityReader' })
      .locator('.step-message')
      .textContent();
    expect(shownRefusal).toBe(refusal);
    // The permission table of a cloud integration: its one row, Security Reader (Azure RBAC), not on every one.
    const permissions = result.getByRole('table', { name: 'Permissions' }).getByRole('row');
    expect(await permissions.count()).toBe(2);
    expect(await permissions.nth(1).textContent()).toMatch(
      /^cloud postureAzure RBACSecurity ReaderNot granted/,
    );
    await b.screenshot(page, 'cloud-integration-form');

    // The subscriptions found are offered; ticking the readable ones fills the list, and the test passes.
    const found = page.getByRole('group', { name: 'Subscriptions found by Test connection' });
    expect(await found.getByRole('checkbox').count()).toBe(all.subscriptions.length);
    const readable = all.subscriptions.filter((s) => s.readable === true).map((s) => s.subscriptionId);
    expect(readable.length).toBeGreaterThan(0);
    for (const id of readable) await found.getByRole('checkbox', { name: new RegExp(id) }).check();
    expect((await page.getByLabel('Subscriptions', { exact: true }).inputValue()).split('\n')).toEqual(
      readable,
    );
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.getByRole('heading').textContent()).toBe('Connection test: Succeeded');
    const chosen = await b.api<ConnectionTest>('POST', '/integrations/test', settings(readable));
    expect(chosen.ok).toBe(true);
    expect(await shownSteps(page)).toEqual(stepsOf(chosen));

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Sync history' }).waitFor();
    const listed = await b.api<ListPage<Integration>>('GET', '/integrations');
    const saved = listed.items.find((i) => i.name === 'Contoso Cloud');
    expect(saved).toMatchObject({
      product: 'cloud',
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      authorityHost: sim.authorityHost,
      graphBaseUrl: sim.graphBaseUrl,
      armBaseUrl: sim.armBaseUrl,
      subscriptions: readable,
      enabled: true,
    });

    // Opened again, the form shows what was saved.
    await page.goto(`/integrations/${saved?.id ?? ''}`);
    await expect.poll(() => page.getByLabel('Azure Resource Manager URL').inputValue()).toBe(sim.armBaseUrl);
    expect(await page.getByLabel('Defender product').inputValue()).toBe('cloud');
    expect((await page.getByLabel('Subscriptions', { exact: true }).inputValue()).split('\n')).toEqual(
      readable,
    );
  });

  it("should test a saved integration's unsaved edits with its stored secret, and clear its CA certificate on Save", async () => {
    const listed = await b.api<ListPage<Integration>>('GET', '/integrations');
    const saved = listed.items.find((i) => i.name === 'Contoso Cloud')!;
    const all = await b.api<ConnectionTest>('POST', '/integrations/test', settings([]));
    const unreadable = all.subscriptions.find((s) => s.readable === false)!.subscriptionId;
    await page.goto(`/integrations/${saved.id}`);
    const subscriptions = page.getByLabel('Subscriptions', { exact: true });
    await expect.poll(() => subscriptions.inputValue()).toBe(saved.subscriptions.join('\n'));
    const result = page.getByRole('region', { name: 'Connection test result' });
    const test = async (expected: string): Promise<void> => {
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expect.poll(() => result.getByRole('heading').textContent()).toBe(`Connection test: ${expected}`);
    };

    // The unsaved subscription is the one read: the stored, readable ones would pass.
    await subscriptions.fill(unreadable);
    await test('Failed');
    const edited = await b.api<ConnectionTest>('POST', `/integrations/${saved.id}/test`, {
      subscriptions: [unreadable],
    });
    expect(stepsOf(edited)).toEqual(['token Succeeded', 'subscriptions Succeeded', 'securityReader Failed']);
    expect(await shownSteps(page)).toEqual(stepsOf(edited));

    // Without the CA certificate the simulator is not trusted: the sign-in fails and says why.
    await subscriptions.fill(saved.subscriptions.join('\n'));
    const ca = page.getByLabel('CA certificate (PEM)');
    await ca.fill('');
    await test('Failed');
    const token = result.getByRole('listitem').filter({ hasText: 'token' });
    expect(await token.locator('.step-message').textContent()).toMatch(/certificate/i);

    // Nothing was saved by testing: the page opened again shows the stored settings.
    await page.reload();
    await expect.poll(() => ca.inputValue()).toBe(sim.caPem);
    expect(await subscriptions.inputValue()).toBe(saved.subscriptions.join('\n'));
    await test('Succeeded');

    // An emptied CA certificate is removed on Save (the system's trusted certificates again).
    await ca.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Sync history' }).waitFor();
    const after = await b.api<Integration>('GET', `/integrations/${saved.id}`);
    expect(after.caPem).toBeNull();
    expect(after.subscriptions).toEqual(saved.subscriptions);
    expect(problems).toEqual([]);
  });
});
