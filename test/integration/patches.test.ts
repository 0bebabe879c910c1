import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import {
  expectedPatches,
  patchesByKey,
  truthFindings,
  type ExpectedPatch,
} from '../support/truth-findings.js';

type Patch = ExpectedPatch & { key: string };

/** The machines imported as endpoints. */
const importedMachines = async (api: TestApi): Promise<Set<string>> =>
  new Set((await allPages<{ machineId: string }>(api, '/api/v1/endpoints')).map((e) => e.machineId));

describe.each(dialects)('patches on %s', (dialect) => {
  it("should hold one patch per fixing update with its Defender.* metadata, as the tenant's findings say", async () => {
    const sim = await useSimulator({ machines: 90, seed: 86, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);

    // Every device's findings, those of the devices the import filters left out included.
    const before = expectedPatches(await truthFindings(sim), await importedMachines(api));
    const patches = await allPages<Patch>(api, '/api/v1/patches');
    expect(patchesByKey(patches)).toEqual(before);
    // The tenant must exercise the aggregation: patches fixing several CVEs on several endpoints.
    expect(patches.some((p) => p.cveCount > 1 && p.endpointCount > 1)).toBe(true);
    expect(new Set(patches.map((p) => p.metadata['Defender.SeverityLevel'])).size).toBeGreaterThan(2);

    const urgent = await allPages<Patch>(api, '/api/v1/patches?severity=critical,HIGH&knownExploit=true');
    const wanted = patches.filter(
      (p) =>
        ['Critical', 'High'].includes(String(p.metadata['Defender.SeverityLevel'])) &&
        p.metadata['Defender.KnownExploitExists'] === true,
    );
    expect(urgent.map((p) => p.key).sort()).toEqual(wanted.map((p) => p.key).sort());
    expect(wanted.length).toBeGreaterThan(0);
    const bySeverity = await allPages<Patch>(api, '/api/v1/patches?sort=-endpoints');
    const counts = bySeverity.map((p) => p.endpointCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const bad = await api.call<{ error: { message: string } }>('GET', '/api/v1/patches?severity=Urgent');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Low, Medium, High, Critical');

    // Findings fixed and found since: the next complete run recounts every patch.
    await simPost(sim, '/_sim/advance', { hours: 24 * 20 });
    await api.hub.sync.syncIntegration(integration.id);
    const after = expectedPatches(await truthFindings(sim), await importedMachines(api));
    expect(after).not.toEqual(before);
    expect(patchesByKey(await allPages<Patch>(api, '/api/v1/patches'))).toEqual(after);
  });
});
