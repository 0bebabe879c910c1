import { describe, expect, it } from 'vitest';
import { useBrowserHub } from './browser-harness.js';
import type { ConnectionTest, IntegrationStatus } from '../../src/web/api-types.js';
import { simPost } from '../support/simulator.js';
import { patchTool, securityPlatform } from '../support/permission-sets.js';

/**
 * A tenant that granted the security-platform permissions, in real Chromium: the integration page says what the app
 * may not read and what granting it would add, and Test connection shows the whole permission table.
 */
describe('permissions in the web UI', async () => {
  const b = await useBrowserHub({ withIntegrations: true, roles: securityPlatform });
  const page = await b.newPage();
  await b.signIn(page, b.admin.username, b.admin.password);
  const id = b.integrations.endpoint!;

  it('should show the integration as Connected — limited, with what granting the permission would add', async () => {
    const status = await b.api<IntegrationStatus>('GET', `/integrations/${id}/status`);
    expect(status.label).toBe('Connected — limited: recommendations need SecurityRecommendation.Read.All');
    await page.goto(`/integrations/${id}`);
    const region = page.getByRole('region', { name: 'Connection status' });
    await expect.poll(() => region.getByLabel('Connection status').textContent()).toBe(status.label);
    expect(
      await region.getByRole('list', { name: 'Not permitted' }).getByRole('listitem').allTextContents(),
    ).toEqual(
      status.limits.map((l) => `${l.needs}. Granting one would add: ${l.enables} Accepted: ${l.accepted}.`),
    );
    // The list of integrations says the same.
    await page.goto('/integrations');
    await expect
      .poll(() =>
        page
          .getByRole('row')
          .filter({ has: page.getByRole('link', { name: 'Contoso', exact: true }) })
          .getByLabel('Connection status')
          .textContent(),
      )
      .toBe(status.label);
  });

  it('should show the permission table of a connection test, one row per feature', async () => {
    await page.goto(`/integrations/${id}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('region', { name: 'Connection test result' });
    await expect.poll(() => result.getByRole('heading').textContent()).toBe('Connection test: Succeeded');
    const truth = await b.api<ConnectionTest>('POST', `/integrations/${id}/test`);
    expect(await result.locator('.test-label').textContent()).toBe(truth.label);
    const table = result.getByRole('table', { name: 'Permissions' });
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(truth.permissions.length + 1);
    const shown = async (feature: string) =>
      (
        await rows
          .filter({ has: page.getByRole('rowheader', { name: feature, exact: true }) })
          .allTextContents()
      )[0];
    expect(await shown('alerts')).toContain('Microsoft Graph');
    expect(await shown('alerts')).toContain('Alert.Read.All ✓');
    expect(await shown('alerts')).toContain('Granted');
    expect(await shown('recommendations')).toContain('SecurityRecommendation.Read.All');
    expect(await shown('recommendations')).toContain('Not granted');
    expect(await shown('exposure score')).toContain('Score.Read.All ✓');
    expect(await shown('cloud posture')).toContain('Not known');
    await b.screenshot(page, 'integration-permissions');
  });

  it("should set a new integration's import toggles to what the app's permissions allow after a passing test", async () => {
    await simPost(b.sim, '/_sim/control', { roles: patchTool });
    try {
      await page.goto('/integrations/new');
      await page.getByLabel('Name', { exact: true }).fill('Patches only');
      await page.getByLabel('Tenant ID').fill(b.sim.tenantId);
      await page.getByLabel('Client ID').fill(b.sim.clientId);
      await page.getByLabel('Client secret').fill(b.sim.clientSecret);
      await page.getByLabel('Region').selectOption('custom');
      await page.getByLabel('API base URL').fill(b.sim.apiBaseUrl);
      await page.getByText('Sign-in host, Graph and certificate authority').click();
      await page.getByLabel('Authority host').fill(b.sim.authorityHost);
      await page.getByLabel('Graph base URL').fill(b.sim.graphBaseUrl);
      await page.getByLabel('CA certificate (PEM)').fill(b.sim.caPem);
      for (const toggle of ['Import internal assets', 'Import vulnerabilities', 'Import alerts'])
        expect(await page.getByLabel(toggle).isChecked(), toggle).toBe(true);
      await page.getByRole('button', { name: 'Test connection' }).click();
      const result = page.getByRole('region', { name: 'Connection test result' });
      await expect.poll(() => result.getByRole('heading').textContent()).toBe('Connection test: Succeeded');
      expect(await result.locator('.test-label').textContent()).toMatch(/^Connected — limited: assets need /);
      await expect.poll(() => page.getByLabel('Import internal assets').isChecked()).toBe(false);
      const checked = async (label: string) => page.getByLabel(label).isChecked();
      expect(await checked('Import vulnerabilities')).toBe(true);
      for (const toggle of [
        'Import alerts',
        'Import incidents',
        'Import software',
        'Import recommendations',
        'Import Entra ID devices',
      ])
        expect(await checked(toggle), toggle).toBe(false);
    } finally {
      await simPost(b.sim, '/_sim/control', { roles: securityPlatform });
    }
  });
});
