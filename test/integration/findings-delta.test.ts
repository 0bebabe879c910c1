import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { addSimulatorIntegration, useHub, type TestHub } from '../support/hub.js';
import { simPost, useSimulator } from '../support/simulator.js';

/**
 * What a hub holds of its findings and all they are counted into, by key, without the store's own ids and times.
 * Two things a run of changes cannot know are left out: when an unchanged finding was last seen (the changes name
 * only what changed) and whether an update is available for a new one (the delta export leaves it out).
 */
async function findingState(hub: TestHub, integrationId: string) {
  const findings = await hub.db
    .selectFrom('findings')
    .select([
      'finding_key',
      'machine_id',
      'cve_id',
      'software_vendor',
      'software_name',
      'software_version',
      'severity',
      'cvss_score',
      'exploitability_level',
      'fixing_update',
      'fixing_update_id',
      'fixing_update_url',
      'first_seen_at',
      'patch_key',
      'imported',
    ])
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'open')
    .orderBy('finding_key')
    .execute();
  const exposure = await hub.db
    .selectFrom('vulnerability_exposure')
    .select(['cve_id', 'exposed_endpoints', 'open_findings', 'devices_not_imported'])
    .where('integration_id', '=', integrationId)
    .orderBy('cve_id')
    .execute();
  const patches = await hub.db
    .selectFrom('patches')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .orderBy('patch_key')
    .execute();
  const endpoints = await hub.db
    .selectFrom('endpoints')
    .select(['machine_id', 'risk_level', 'exposure_risk'])
    .where('integration_id', '=', integrationId)
    .where('stale', '=', 0)
    .orderBy('machine_id')
    .execute();
  const devices = await hub.db
    .selectFrom('finding_devices')
    .select('machine_id')
    .where('integration_id', '=', integrationId)
    .orderBy('machine_id')
    .execute();
  return {
    findings,
    exposure,
    patches: patches.map(
      // Endpoint ids are each store's own: the counts are compared.
      // Lists compare as lists: PostgreSQL spells the JSON a recount builds with spaces.
      ({ integration_id: _i, updated_at: _u, endpoint_ids: _e, cves, software_versions, ...rest }) => ({
        ...rest,
        cves: JSON.parse(cves) as unknown,
        softwareVersions: JSON.parse(software_versions) as unknown,
      }),
    ),
    endpoints,
    devices,
  };
}

describe.each(dialects)('findings changes on %s', (dialect) => {
  it('should read only the changes after time moves on, and hold what a full read of the tenant holds', async () => {
    const sim = await useSimulator({ machines: 300, seed: 61, findingsPerMachine: 8 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    const first = await hub.sync.runDataset(integration.id, 'findings');
    expect(first.completeness).toContain('full export (no earlier run to read the changes from)');
    await hub.sync.runDataset(integration.id, 'machines');
    await hub.sync.runDataset(integration.id, 'findings', { full: true });

    await simPost(sim, '/_sim/advance', { hours: 6 });
    await hub.sync.runDataset(integration.id, 'machines');
    const changes = await hub.sync.runDataset(integration.id, 'findings');
    expect(changes.status).toBe('succeeded');
    expect(changes.completeness).toMatch(/^changes since .* read: \d+ new or updated, \d+ fixed/);
    expect(changes.upserted).toBeGreaterThan(0);
    expect(changes.removed).toBeGreaterThan(0);
    const open = await hub.db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    // Far fewer records than the tenant has: only what changed in the six hours.
    expect(changes.recordsIn).toBeLessThan(open.n / 4);

    const reference = await useHub(dialect);
    const fresh = await addSimulatorIntegration(reference, sim);
    await reference.sync.runDataset(fresh.id, 'machines');
    const full = await reference.sync.runDataset(fresh.id, 'findings');
    expect(full.completeness).toContain('full export');
    const [held, truth] = [await findingState(hub, integration.id), await findingState(reference, fresh.id)];
    expect(held.findings).toEqual(truth.findings);
    expect(held.exposure).toEqual(truth.exposure);
    expect(held.patches).toEqual(truth.patches);
    expect(held.endpoints).toEqual(truth.endpoints);
    expect(held.devices).toEqual(truth.devices);
    // The products' CVE lists stand for the run of changes, and hold every CVE a full read finds.
    const lists = await hub.data.software.findingCves(integration.id);
    expect(lists.runId).toBe(changes.id);
    const truthLists = await reference.data.software.findingCves(fresh.id);
    expect(truthLists.cves.size).toBeGreaterThan(0);
    for (const [product, cves] of truthLists.cves)
      expect(lists.cves.get(product)).toEqual(expect.arrayContaining([...cves]));
  });

  it('should read the full export weekly, when asked, and when the service no longer keeps the changes', async () => {
    const sim = await useSimulator({ machines: 60, seed: 62, findingsPerMachine: 4 });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.runDataset(integration.id, 'findings');
    expect((await hub.sync.runDataset(integration.id, 'findings')).completeness).toMatch(/^changes since/);
    expect((await hub.sync.runDataset(integration.id, 'findings', { full: true })).completeness).toContain(
      'full export (a full read was asked for)',
    );

    // The service's clock moves 20 days on; ours does not: the service refuses, and the run reads it all.
    await simPost(sim, '/_sim/advance', { hours: 24 * 20 });
    const refused = await hub.sync.runDataset(integration.id, 'findings');
    expect(refused.status).toBe('succeeded');
    expect(refused.completeness).toContain('full export (the service refused the changes since');

    // A week after the last full read by our clock, the next run reads it all again.
    const cursor = JSON.parse((await hub.data.cursors.get(integration.id, 'findings')) ?? '{}') as {
      fullAt: string;
    };
    const weekAgo = new Date(Date.parse(cursor.fullAt) - 7 * 24 * 3_600_000).toISOString();
    await hub.data.cursors.set(
      integration.id,
      'findings',
      JSON.stringify({ ...cursor, fullAt: weekAgo }),
      new Date().toISOString(),
    );
    expect((await hub.sync.runDataset(integration.id, 'findings')).completeness).toContain(
      'full export (the weekly full export is due)',
    );
    // A cursor that does not read is no cursor.
    await hub.data.cursors.set(integration.id, 'findings', 'not json', new Date().toISOString());
    expect((await hub.sync.runDataset(integration.id, 'findings')).completeness).toContain(
      'full export (no earlier run to read the changes from)',
    );
  });
});
