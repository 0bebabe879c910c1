import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { clientFor, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import { up as networkAccessibleMigration } from '../../src/store/migrations/0021-network-accessible.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { databaseOf } from '../../src/store/testing.js';

interface Vulnerability {
  cveId: string;
  networkAccessible: boolean | null;
}
interface Patch {
  key: string;
  cves: string[];
  endpointCount: number;
  metadata: Record<string, string | boolean | null>;
}
interface Finding {
  cveId: string;
  networkAccessible: boolean | null;
}
interface Endpoint {
  id: number;
  openFindings: number;
}

/** The attack vector of each CVE in the simulator's own catalog, read from its vector without the hub's code. */
async function truthOf(sim: RunningSimulator): Promise<Map<string, boolean | null>> {
  const truth = new Map<string, boolean | null>();
  for await (const page of clientFor(sim).vulnerabilities.list())
    for (const v of page.items) {
      const vector = `/${v.cvssVector ?? ''}/`;
      truth.set(v.id, vector.includes('/AV:N/') ? true : /\/AV:[ALP]\//.test(vector) ? false : null);
    }
  return truth;
}

const ids = (items: readonly { cveId: string }[]): string[] => items.map((i) => i.cveId).sort();
const keys = (items: readonly { key: string }[]): string[] => items.map((i) => i.key).sort();

/** What every list must say of each CVE and patch, given the catalog's truth. */
async function expectRecorded(api: TestApi, truth: ReadonlyMap<string, boolean | null>): Promise<void> {
  const vulnerabilities = await allPages<Vulnerability>(api, '/api/v1/vulnerabilities');
  expect(vulnerabilities.length).toBe(truth.size);
  for (const v of vulnerabilities) expect(v.networkAccessible, v.cveId).toBe(truth.get(v.cveId));
  for (const flag of [true, false])
    expect(
      ids(await allPages<Vulnerability>(api, `/api/v1/vulnerabilities?networkAccessible=${flag}`)),
    ).toEqual(ids(vulnerabilities.filter((v) => v.networkAccessible === flag)));

  const patches = await allPages<Patch>(api, '/api/v1/patches');
  expect(patches.length).toBeGreaterThan(0);
  for (const p of patches)
    expect(p.metadata['Defender.NetworkAccessible'], p.key).toBe(p.cves.some((c) => truth.get(c) === true));
  for (const flag of [true, false]) {
    const filtered = await allPages<Patch>(api, `/api/v1/patches?networkAccessible=${flag}`);
    expect(keys(filtered)).toEqual(
      keys(patches.filter((p) => p.metadata['Defender.NetworkAccessible'] === flag)),
    );
    expect(filtered.length).toBeGreaterThan(0);
  }
}

describe.each(dialects)('network-accessible CVEs (CVSS AV:N) on %s', (dialect) => {
  it('should record the attack vector of every CVE and patch, and filter CVEs, patches and findings on it', async () => {
    const sim = await useSimulator({ machines: 80, seed: 87, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    // Findings before the catalog: the patches cannot know yet, and the catalog run tells them.
    for (const dataset of ['machines', 'findings'] as const)
      expect((await api.hub.sync.runDataset(integration.id, dataset)).status).toBe('succeeded');
    const before = await allPages<Patch>(api, '/api/v1/patches');
    expect(before.filter((p) => p.metadata['Defender.NetworkAccessible'] === true)).toEqual([]);
    expect((await api.hub.sync.runDataset(integration.id, 'vulnerabilities')).status).toBe('succeeded');
    const truth = await truthOf(sim);
    expect([...truth.values()]).toEqual(expect.arrayContaining([true, false]));
    await expectRecorded(api, truth);

    // An endpoint's findings: the CVE's attack vector beside each, and the filter.
    const endpoint = (await allPages<Endpoint>(api, '/api/v1/endpoints?sort=-risk')).find(
      (e) => e.openFindings > 5,
    );
    const path = `/api/v1/endpoints/${endpoint!.id}/vulnerabilities`;
    const findings = await allPages<Finding>(api, path);
    for (const f of findings) expect(f.networkAccessible, f.cveId).toBe(truth.get(f.cveId));
    for (const flag of [true, false])
      expect(ids(await allPages<Finding>(api, `${path}?networkAccessible=${flag}`))).toEqual(
        ids(findings.filter((f) => f.networkAccessible === flag)),
      );

    // A findings run recounts the patches with the catalog it finds stored.
    expect((await api.hub.sync.runDataset(integration.id, 'findings')).status).toBe('succeeded');
    await expectRecorded(api, truth);

    // The strategy field selects exactly those patches.
    const strategy = await api.call<{ id: number }>('POST', '/api/v1/patch-strategies', {
      name: 'reachable',
      expression: 'defender.networkaccessible = TRUE',
    });
    expect(strategy.status).toBe(201);
    const matches = await allPages<Patch>(api, `/api/v1/patch-strategies/${strategy.body.id}/matches`);
    expect(keys(matches)).toEqual(
      keys(
        (await allPages<Patch>(api, '/api/v1/patches?networkAccessible=true')).filter(
          (p) => p.endpointCount > 0,
        ),
      ),
    );
    const fields = await api.call<{ items: { name: string; type: string; scope: string }[] }>(
      'GET',
      '/api/v1/patch-strategies/fields',
    );
    expect(fields.body.items.find((f) => f.name === 'Defender.NetworkAccessible')).toMatchObject({
      type: 'boolean',
      scope: 'patch',
    });

    // A hub upgraded from before the column fills it in from the stored catalog records.
    // As the migrator runs it: on a database of no known shape.
    const db = databaseOf(api.hub.data) as unknown as Kysely<unknown>;
    await sql`alter table vulnerabilities drop column network_accessible`.execute(db);
    await sql`alter table patches drop column network_accessible`.execute(db);
    await networkAccessibleMigration(api.hub.data.engine)(db);
    await expectRecorded(api, truth);
  });
});
