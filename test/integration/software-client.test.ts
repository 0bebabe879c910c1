import { describe, expect, it } from 'vitest';
import { DefenderErrorCode, DefenderPermissionError } from '../../src/defender/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

interface TruthSoftware {
  id: string;
  installedMachines: number;
  exposedMachines: number;
  weaknesses: number;
  impactScore: number;
  recommendation: boolean;
}
interface TruthSoftwareMachine {
  id: string;
  exposed: boolean;
}
interface TruthScore {
  time: string;
  score: number;
  byMachineGroups: { rbacGroupId: number; score: number }[];
}

const sim = await useSimulator({ machines: 600, seed: 77, findingsPerMachine: 8 });
const client = clientFor(sim);
const truth = await simGet<TruthSoftware[]>(sim, '/_sim/truth/software');

describe('client.software against the simulator', () => {
  it('should read the inventory with no record refused and the counts of the truth', async () => {
    const listed: { id: string; installed: number | null | undefined; exposed: number | null | undefined }[] =
      [];
    for await (const batch of client.software.list({ pageSize: 7 })) {
      expect(batch.rejected).toEqual([]);
      listed.push(
        ...batch.items.map((s) => ({ id: s.id, installed: s.installedMachines, exposed: s.exposedMachines })),
      );
    }
    expect(listed).toEqual(
      truth.map((s) => ({ id: s.id, installed: s.installedMachines, exposed: s.exposedMachines })),
    );
    const google = await drain(client.software.list({ filter: "vendor eq 'google'" }), (s) => s.id);
    expect(google.ids).toEqual(truth.filter((s) => s.id.startsWith('google-_-')).map((s) => s.id));
  });

  it('should give the devices of every software exactly as the truth has them, across pages', async () => {
    let multiPage = 0;
    for (const software of truth) {
      const expected = await simGet<TruthSoftwareMachine[]>(
        sim,
        `/_sim/truth/software/${software.id}/machines`,
      );
      const ids: string[] = [];
      for await (const batch of client.software.machineReferences(software.id, { pageSize: 100 })) {
        expect(batch.rejected).toEqual([]);
        ids.push(...batch.items.map((r) => r.id));
        if (batch.page > 1) multiPage++;
      }
      expect(ids).toEqual(expected.map((m) => m.id));
    }
    expect(multiPage).toBeGreaterThan(0);
  });

  it('should get one software, its CVEs and versions, and a machine inventory', async () => {
    const software = truth.find(
      (s) => s.weaknesses > 0 && s.exposedMachines < s.installedMachines,
    ) as TruthSoftware;
    const one = await client.software.get(software.id);
    expect(one).toMatchObject({
      id: software.id,
      weaknesses: software.weaknesses,
      impactScore: software.impactScore,
    });
    const cves = await drain(client.software.vulnerabilities(software.id), (v) => v.id);
    expect(cves.rejected).toEqual([]);
    expect(cves.ids).toHaveLength(software.weaknesses);
    const versions: number[] = [];
    for await (const batch of client.software.distributions(software.id))
      versions.push(...batch.items.map((d) => d.installations));
    expect(versions.reduce((a, b) => a + b, 0)).toBe(software.installedMachines);

    const [machine] = await simGet<TruthSoftwareMachine[]>(
      sim,
      `/_sim/truth/software/${software.id}/machines`,
    );
    const installed = await drain(client.software.machineSoftware(String(machine?.id)), (s) => s.id);
    expect(installed.rejected).toEqual([]);
    expect(installed.ids).toContain(software.id);

    await expect(client.software.get('contoso-_-nothing')).rejects.toMatchObject({
      code: DefenderErrorCode.NotFound,
    });
  });
});

describe('client.recommendations against the simulator', () => {
  it('should read the recommendations, their devices and the exposure score', async () => {
    const recommendations = await drain(client.recommendations.list(), (r) => r.id);
    expect(recommendations.rejected).toEqual([]);
    expect([...recommendations.ids].sort()).toEqual(
      truth
        .filter((s) => s.recommendation)
        .map((s) => `va-_-${s.id}`)
        .sort(),
    );
    const updates = await drain(
      client.recommendations.list({ filter: "remediationType eq 'Update'" }),
      (r) => r.id,
    );
    expect(updates.ids.length).toBeGreaterThan(0);
    expect(updates.ids.length).toBeLessThan(recommendations.ids.length);

    const software = truth.find(
      (s) => s.exposedMachines > 0 && s.exposedMachines < s.installedMachines,
    ) as TruthSoftware;
    const one = await client.recommendations.get(`va-_-${software.id}`);
    expect(one).toMatchObject({
      exposedMachinesCount: software.exposedMachines,
      totalMachineCount: software.installedMachines,
    });
    const devices = await drain(client.recommendations.machineReferences(`va-_-${software.id}`), (r) => r.id);
    const expected = await simGet<TruthSoftwareMachine[]>(
      sim,
      `/_sim/truth/software/${software.id}/machines`,
    );
    expect(devices.ids).toEqual(expected.filter((m) => m.exposed).map((m) => m.id));

    const truthScore = await simGet<TruthScore>(sim, '/_sim/truth/exposure-score');
    const score = await client.recommendations.exposureScore();
    expect(score.score).toBe(truthScore.score);
    expect(score.time.raw).toBe(truthScore.time);
    const groups: { id: unknown; score: number }[] = [];
    for await (const batch of client.recommendations.exposureScoreByMachineGroups())
      groups.push(...batch.items.map((g) => ({ id: g.rbacGroupId, score: g.score })));
    expect(groups).toEqual(truthScore.byMachineGroups.map((g) => ({ id: g.rbacGroupId, score: g.score })));
  });

  it('should surface a missing Score.Read.All as Forbidden', async () => {
    await simPost(sim, '/_sim/control', { roles: ['Machine.Read.All', 'Software.Read.All'] });
    const limited = clientFor(sim);
    try {
      const error = await limited.recommendations.exposureScore().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DefenderPermissionError);
      expect(error).toMatchObject({
        code: DefenderErrorCode.PermissionMissing,
        requiredRoles: ['Score.Read.All'],
      });
      expect((await drain(limited.software.list(), (s) => s.id)).ids.length).toBe(truth.length);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });
});
