import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from '../server/api-harness.js';
import { aggregatePatchMetadata, patchKey } from '../../src/domain/patch-metadata.js';

interface Patch {
  key: string;
  metadata: Record<string, unknown>;
  cves: string[];
  cveCount: number;
  endpointCount: number;
  openFindings: number;
  maxCvss: number | null;
  softwareVersions: string[];
}
interface TruthFinding {
  cveId: string | null;
  softwareVendor: string | null;
  softwareName: string | null;
  softwareVersion: string | null;
  vulnerabilitySeverityLevel: string | null;
  exploitabilityLevel: string | null;
  cvssScore: number | null;
  recommendedSecurityUpdate: string | null;
  recommendedSecurityUpdateId: string | null;
  securityUpdateAvailable: boolean | null;
}

type Sim = Awaited<ReturnType<typeof useSimulator>>;

const sorted = (values: Iterable<string | null>): string[] =>
  [...new Set([...values].filter((v): v is string => typeof v === 'string'))].sort();

/** Every patch worked out from the simulator's truth: each imported machine's open findings, grouped by fix. */
async function expectedPatches(
  sim: Sim,
  machineIds: readonly string[],
): Promise<Map<string, Omit<Patch, 'key'>>> {
  const groups = new Map<string, { machine: string; finding: TruthFinding }[]>();
  for (const machine of machineIds) {
    const findings = await simGet<TruthFinding[]>(
      sim,
      `/_sim/truth/findings?machineId=${encodeURIComponent(machine)}`,
    );
    for (const finding of findings) {
      const key = patchKey({
        softwareVendor: finding.softwareVendor,
        softwareName: finding.softwareName,
        fixingUpdate: finding.recommendedSecurityUpdate,
        fixingUpdateId: finding.recommendedSecurityUpdateId,
      });
      if (key !== null) groups.set(key, [...(groups.get(key) ?? []), { machine, finding }]);
    }
  }
  const patches = new Map<string, Omit<Patch, 'key'>>();
  for (const [key, rows] of groups) {
    const cves = sorted(rows.map((r) => r.finding.cveId));
    const scores = rows.map((r) => r.finding.cvssScore).filter((s): s is number => typeof s === 'number');
    patches.set(key, {
      metadata: aggregatePatchMetadata(
        rows.map(({ finding }) => ({
          severity: finding.vulnerabilitySeverityLevel,
          exploitabilityLevel: finding.exploitabilityLevel,
          updateAvailable: finding.securityUpdateAvailable,
        })),
      ) as unknown as Record<string, unknown>,
      cves,
      cveCount: cves.length,
      endpointCount: new Set(rows.map((r) => r.machine)).size,
      openFindings: rows.length,
      maxCvss: scores.length === 0 ? null : Math.max(...scores),
      softwareVersions: sorted(rows.map((r) => r.finding.softwareVersion)),
    });
  }
  return patches;
}

/** The patches as the findings make them: Defender.NetworkAccessible is the catalog's (network-accessible.test.ts). */
const byKey = (patches: readonly Patch[]) =>
  new Map(
    patches.map(
      ({ key, metadata, cves, cveCount, endpointCount, openFindings, maxCvss, softwareVersions }) => {
        const { 'Defender.NetworkAccessible': _catalogs, ...fromFindings } = metadata;
        return [
          key,
          { metadata: fromFindings, cves, cveCount, endpointCount, openFindings, maxCvss, softwareVersions },
        ];
      },
    ),
  );

describe.each(dialects)('patches on %s', (dialect) => {
  it("should hold one patch per fixing update with its Defender.* metadata, as the tenant's findings say", async () => {
    const sim = await useSimulator({ machines: 90, seed: 86, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);
    const machines = (await allPages<{ machineId: string }>(api, '/api/v1/endpoints')).map(
      (e) => e.machineId,
    );

    const before = await expectedPatches(sim, machines);
    const patches = await allPages<Patch>(api, '/api/v1/patches');
    expect(byKey(patches)).toEqual(before);
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
    const later = (await allPages<{ machineId: string }>(api, '/api/v1/endpoints')).map((e) => e.machineId);
    const after = await expectedPatches(sim, later);
    expect(after).not.toEqual(before);
    expect(byKey(await allPages<Patch>(api, '/api/v1/patches'))).toEqual(after);
  });
});
