import type { RunningSimulator, TruthMachine } from '../../src/simulator/index.js';
import { aggregatePatchMetadata, patchKey } from '../../src/domain/patch-metadata.js';
import { simGet } from './simulator.js';

/** One record of the full export, as the simulator's truth gives it. */
export interface TruthFinding {
  id: string;
  deviceId: string;
  deviceName: string | null;
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

/** A patch as the findings make it (Defender.NetworkAccessible, the catalog's, aside). */
export interface ExpectedPatch {
  metadata: Record<string, unknown>;
  cves: string[];
  cveCount: number;
  endpointCount: number;
  devicesNotImported: number;
  openFindings: number;
  maxCvss: number | null;
  softwareVersions: string[];
}

/** A CVE's exposure as the findings make it. */
export interface ExpectedExposure {
  exposedEndpoints: number;
  devicesNotImported: number;
}

/** Every record the full export returns now: each machine's, read machine by machine. */
export async function truthFindings(sim: RunningSimulator): Promise<TruthFinding[]> {
  const machines = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');
  const findings: TruthFinding[] = [];
  for (const machine of machines.filter((m) => m.findings > 0))
    findings.push(
      ...(await simGet<TruthFinding[]>(
        sim,
        `/_sim/truth/findings?machineId=${encodeURIComponent(machine.id)}`,
      )),
    );
  return findings;
}

function pushTo<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [value]);
  else group.push(value);
}

const sorted = (values: Iterable<string | null>): string[] =>
  [...new Set([...values].filter((v): v is string => typeof v === 'string'))].sort();

/** The devices among `findings` that are not in `imported`. */
const notImported = (findings: readonly TruthFinding[], imported: ReadonlySet<string>): number =>
  new Set(findings.map((f) => f.deviceId).filter((d) => !imported.has(d))).size;

/** Every patch: the findings grouped by fix, over every device, those not `imported` counted apart. */
export function expectedPatches(
  findings: readonly TruthFinding[],
  imported: ReadonlySet<string>,
): Map<string, ExpectedPatch> {
  const groups = new Map<string, TruthFinding[]>();
  for (const finding of findings) {
    const key = patchKey({
      softwareVendor: finding.softwareVendor,
      softwareName: finding.softwareName,
      fixingUpdate: finding.recommendedSecurityUpdate,
      fixingUpdateId: finding.recommendedSecurityUpdateId,
    });
    if (key !== null) pushTo(groups, key, finding);
  }
  const patches = new Map<string, ExpectedPatch>();
  for (const [key, rows] of groups) {
    const cves = sorted(rows.map((r) => r.cveId));
    const scores = rows.map((r) => r.cvssScore).filter((s): s is number => typeof s === 'number');
    patches.set(key, {
      metadata: aggregatePatchMetadata(
        rows.map((finding) => ({
          severity: finding.vulnerabilitySeverityLevel,
          exploitabilityLevel: finding.exploitabilityLevel,
          updateAvailable: finding.securityUpdateAvailable,
        })),
      ) as unknown as Record<string, unknown>,
      cves,
      cveCount: cves.length,
      endpointCount: new Set(rows.map((r) => r.deviceId)).size,
      devicesNotImported: notImported(rows, imported),
      openFindings: rows.length,
      maxCvss: scores.length === 0 ? null : Math.max(...scores),
      softwareVersions: sorted(rows.map((r) => r.softwareVersion)),
    });
  }
  return patches;
}

/** The patches an API answer lists, keyed and shaped as expectedPatches makes them. */
export function patchesByKey(
  patches: readonly (ExpectedPatch & { key: string })[],
): Map<string, ExpectedPatch> {
  return new Map(
    patches.map((p) => {
      const { 'Defender.NetworkAccessible': _catalogs, ...fromFindings } = p.metadata;
      return [
        p.key,
        {
          metadata: fromFindings,
          cves: p.cves,
          cveCount: p.cveCount,
          endpointCount: p.endpointCount,
          devicesNotImported: p.devicesNotImported,
          openFindings: p.openFindings,
          maxCvss: p.maxCvss,
          softwareVersions: p.softwareVersions,
        },
      ];
    }),
  );
}

/** Each CVE's exposure: the devices with it open, and those of them not `imported`. */
export function expectedExposure(
  findings: readonly TruthFinding[],
  imported: ReadonlySet<string>,
): Map<string, ExpectedExposure> {
  const byCve = new Map<string, TruthFinding[]>();
  for (const finding of findings) if (finding.cveId !== null) pushTo(byCve, finding.cveId, finding);
  return new Map(
    [...byCve].map(([cve, rows]) => [
      cve,
      {
        exposedEndpoints: new Set(rows.map((r) => r.deviceId)).size,
        devicesNotImported: notImported(rows, imported),
      },
    ]),
  );
}

/** Devices with a vulnerability that are not `imported`. */
export function devicesNotImported(findings: readonly TruthFinding[], imported: ReadonlySet<string>): number {
  return notImported(
    findings.filter((f) => f.cveId !== null),
    imported,
  );
}
