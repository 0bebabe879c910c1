import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import {
  devicesNotImported,
  expectedExposure,
  expectedPatches,
  patchesByKey,
  truthFindings,
  type ExpectedPatch,
} from '../support/truth-findings.js';
import { isMobileOrIotPlatform } from '../../src/domain/device-platforms.js';
import { databaseOf } from '../../src/store/testing.js';

type Patch = ExpectedPatch & { key: string };
interface Cve {
  cveId: string;
  exposedEndpoints: number;
  devicesNotImported: number;
}
interface Counted {
  total: number;
  devicesNotImported: number;
}
interface Match {
  key: string;
  endpointCount: number;
  devicesNotImported: number;
  matchedEndpoints: number;
  endpoints: { id: number; machineId: string }[];
}

/** The patch tools' permission set: the findings export and the CVE catalog, no machine record. */
const patchToolRoles = ['Vulnerability.Read.All'];

/** Every CVE's exposure as GET /vulnerabilities lists it, those no device has open left out. */
async function storedExposure(api: TestApi): Promise<Map<string, Omit<Cve, 'cveId'>>> {
  const cves = await allPages<Cve>(api, '/api/v1/vulnerabilities');
  return new Map(
    cves
      .filter((c) => c.exposedEndpoints > 0)
      .map((c) => [
        c.cveId,
        { exposedEndpoints: c.exposedEndpoints, devicesNotImported: c.devicesNotImported },
      ]),
  );
}

async function counted(api: TestApi, url: string): Promise<Counted> {
  const answer = await api.call<Counted>('GET', url);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** A saved strategy's matches, every page. */
async function matchesOf(api: TestApi, expression: string): Promise<Match[]> {
  const saved = await api.call<{ id: number }>('POST', '/api/v1/patch-strategies', {
    name: expression,
    expression,
  });
  expect(saved.status, saved.text).toBe(201);
  return allPages<Match>(api, `/api/v1/patch-strategies/${saved.body.id}/matches?endpointLimit=500`);
}

describe.each(dialects)('findings of devices that are not endpoints, on %s', (dialect) => {
  it('should store every finding and count it in patches and CVEs with Vulnerability.Read.All alone', async () => {
    const sim = await useSimulator({ machines: 120, seed: 91, findingsPerMachine: 8, roles: patchToolRoles });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const runs = new Map(
      (await api.hub.sync.syncIntegration(integration.id)).map((run) => [run.dataset, run]),
    );
    // No machine record is readable: nothing becomes an endpoint, and the findings do not need one.
    expect(runs.get('machines')?.status).not.toBe('succeeded');
    for (const dataset of ['vulnerabilities', 'findings'])
      expect([dataset, runs.get(dataset)?.status, runs.get(dataset)?.errorCode]).toEqual([
        dataset,
        'succeeded',
        null,
      ]);

    const truth = await truthFindings(sim);
    const none = new Set<string>();
    const findingsRun = runs.get('findings')!;
    expect(findingsRun.recordsIn).toBe(truth.length);
    expect(findingsRun.upserted).toBe(truth.length);
    expect([findingsRun.skipped, findingsRun.skippedReasons]).toEqual([0, {}]);
    const stored = await databaseOf(api.hub.data)
      .selectFrom('findings')
      .select(['finding_key', 'imported'])
      .where('status', '=', 'open')
      .execute();
    expect(stored.map((f) => f.finding_key).sort()).toEqual(truth.map((f) => f.id).sort());
    expect(stored.every((f) => f.imported === 0)).toBe(true);

    // The patch list is the truth's findings grouped by fix; every device counts, none of them an endpoint.
    const patches = await allPages<Patch>(api, '/api/v1/patches');
    const expected = expectedPatches(truth, none);
    expect(expected.size).toBeGreaterThan(10);
    expect(patchesByKey(patches)).toEqual(expected);
    expect(patches.every((p) => p.devicesNotImported === p.endpointCount)).toBe(true);

    // CVE exposure counts every device too.
    expect(await storedExposure(api)).toEqual(expectedExposure(truth, none));
    const notImported = devicesNotImported(truth, none);
    expect(notImported).toBeGreaterThan(100);
    const first = patches[0]!.cves[0]!;
    const detail = await api.call<Cve & { integrations: Omit<Cve, 'cveId'>[] }>(
      'GET',
      `/api/v1/vulnerabilities/${first}`,
    );
    expect(detail.body.integrations.map((i) => i.devicesNotImported)).toEqual([
      expectedExposure(truth, none).get(first)?.devicesNotImported,
    ]);
    for (const url of ['/api/v1/vulnerabilities', '/api/v1/patches', '/api/v1/endpoints'])
      expect((await counted(api, url)).devicesNotImported, url).toBe(notImported);
    expect((await counted(api, '/api/v1/endpoints')).total).toBe(0);

    // Strategies select them: on patch fields alone, and where their endpoint part holds without endpoint fields.
    const urgent = await matchesOf(api, 'Defender.SeverityLevel >= "High"');
    const high = patches.filter((p) =>
      ['High', 'Critical'].includes(String(p.metadata['Defender.SeverityLevel'])),
    );
    expect(urgent.map((m) => m.key).sort()).toEqual(high.map((p) => p.key).sort());
    expect(urgent.every((m) => m.matchedEndpoints === m.endpointCount && m.endpoints.length === 0)).toBe(
      true,
    );
    const untagged = await matchesOf(api, 'Defender.SeverityLevel >= "High" and not Endpoint.Tag = "VIP"');
    expect(untagged.map((m) => [m.key, m.matchedEndpoints])).toEqual(
      urgent.map((m) => [m.key, m.devicesNotImported]),
    );
    expect(await matchesOf(api, 'Endpoint.RiskLevel >= "None"')).toEqual([]);
  });

  it('should count the findings of devices the import filters leave out, and keep them out of the endpoint views', async () => {
    const sim = await useSimulator({ machines: 160, seed: 92, findingsPerMachine: 6 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);

    const endpoints = await allPages<{ id: number; machineId: string; osPlatform: string | null }>(
      api,
      '/api/v1/endpoints',
    );
    const imported = new Set(endpoints.map((e) => e.machineId));
    const truth = await truthFindings(sim);
    const left = truth.filter((f) => !imported.has(f.deviceId));
    expect(left.length, 'the default filters leave devices with findings out').toBeGreaterThan(0);
    expect(endpoints.some((e) => isMobileOrIotPlatform(e.osPlatform))).toBe(false);

    const patches = await allPages<Patch>(api, '/api/v1/patches');
    expect(patchesByKey(patches)).toEqual(expectedPatches(truth, imported));
    expect(patches.some((p) => p.devicesNotImported > 0 && p.devicesNotImported < p.endpointCount)).toBe(
      true,
    );
    expect(await storedExposure(api)).toEqual(expectedExposure(truth, imported));
    const notImported = devicesNotImported(truth, imported);
    for (const url of [
      '/api/v1/vulnerabilities',
      `/api/v1/patches?integration=${integration.id}`,
      '/api/v1/endpoints?riskLevel=Critical',
    ])
      expect((await counted(api, url)).devicesNotImported, url).toBe(notImported);
    expect((await counted(api, '/api/v1/patches?integration=another')).devicesNotImported).toBe(0);

    // Endpoint views: an endpoint's vulnerabilities and risk are its own; the dashboard counts endpoints only.
    const dashboard = await api.call<{ endpointsByRisk: Record<string, number> }>('GET', '/api/v1/dashboard');
    expect(Object.values(dashboard.body.endpointsByRisk).reduce((a, b) => a + b, 0)).toBe(endpoints.length);
    const one = endpoints.find((e) => truth.some((f) => f.deviceId === e.machineId && f.cveId !== null))!;
    const own = await allPages<{ findingKey: string }>(api, `/api/v1/endpoints/${one.id}/vulnerabilities`);
    expect(own.map((f) => f.findingKey).sort()).toEqual(
      truth
        .filter((f) => f.deviceId === one.machineId && f.cveId !== null)
        .map((f) => f.id)
        .sort(),
    );

    // A strategy on an endpoint field lists and counts endpoints only; one on patch fields counts every device.
    const endpointIds = new Set(endpoints.map((e) => e.id));
    const risky = await matchesOf(api, 'Endpoint.RiskLevel >= "None"');
    expect(risky.length).toBeGreaterThan(0);
    for (const match of risky) {
      expect(match.matchedEndpoints).toBe(match.endpointCount - match.devicesNotImported);
      expect(match.endpoints.every((e) => endpointIds.has(e.id))).toBe(true);
      expect(match.endpoints).toHaveLength(match.matchedEndpoints);
    }
    const all = await matchesOf(api, 'Patch.CveCount >= 1');
    expect(all.map((m) => [m.key, m.matchedEndpoints]).sort()).toEqual(
      patches
        .filter((p) => p.cveCount >= 1)
        .map((p) => [p.key, p.endpointCount])
        .sort(),
    );

    // The findings export names a device that is not an endpoint by the export's name.
    const names = new Map(left.map((f) => [f.deviceId, f.deviceName]));
    let exported = 0;
    for await (const record of api.hub.data.exports.findings.records({}))
      if (record.imported === false) {
        expect(record.computerDnsName).toBe(names.get(String(record.machineId)));
        exported++;
      }
    expect(exported).toBe(left.filter((f) => f.cveId !== null).length);
  });
});
