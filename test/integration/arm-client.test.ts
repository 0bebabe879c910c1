import { describe, expect, it } from 'vitest';
import {
  ARM_READ_ROLE,
  ArmAuthorizationError,
  DefenderErrorCode,
  cveIds,
  type DefenderClient,
} from '../../src/defender/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

interface TruthSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  readable: boolean;
  secureScores: { id: string; name: string; controls: string[] }[];
  assessments: { count: number; ids: string[] };
  subAssessments: { count: number; ids: string[] };
}
interface Truth {
  pageSizes: Record<string, number>;
  subscriptions: TruthSubscription[];
}

const sim = await useSimulator({ machines: 5, seed: 62, retryAfterSeconds: 0 });
const truth = await simGet<Truth>(sim, '/_sim/truth/arm');
const readable = truth.subscriptions.filter((s) => s.readable);
const unreadable = truth.subscriptions.find((s) => !s.readable)!;

function armClient(): DefenderClient {
  return clientFor(sim, { armBaseUrl: sim.armBaseUrl });
}

async function pagesOf(batches: AsyncIterable<{ page: number }>): Promise<number> {
  let last = 0;
  for await (const batch of batches) last = Math.max(last, batch.page);
  return last;
}

describe('Defender for Cloud through the client', () => {
  it('should default to the public ARM host and its audience', () => {
    const client = clientFor(sim);
    expect(client.config.armBaseUrl).toBe('https://management.azure.com');
    expect(client.config.armAudience).toBe('https://management.azure.com');
    expect(armClient().config.armBaseUrl).toBe(sim.url);
  });

  it('should list every subscription, the unreadable one too', async () => {
    const client = armClient();
    const subscriptions: [string, string, string][] = [];
    for await (const batch of client.defenderForCloud.subscriptions()) {
      expect(batch.rejected).toEqual([]);
      for (const s of batch.items) subscriptions.push([s.subscriptionId, s.displayName, s.state]);
    }
    expect(subscriptions).toEqual(truth.subscriptions.map((s) => [s.subscriptionId, s.displayName, s.state]));
    expect(await pagesOf(client.defenderForCloud.subscriptions())).toBeGreaterThan(1);
  });

  it("should read exactly the simulator's records of each readable subscription, across pages", async () => {
    const client = armClient();
    const { defenderForCloud: mdc } = client;
    let assessmentPages = 0;
    let findingPages = 0;
    let cves = 0;
    for (const s of readable) {
      const scores = await drain(mdc.secureScores(s.subscriptionId), (x) => x.id);
      expect(scores).toEqual({ ids: s.secureScores.map((x) => x.id), rejected: [] });
      for (const score of s.secureScores) {
        const controls = await drain(mdc.secureScoreControls(s.subscriptionId, score.name), (x) => x.id);
        expect(controls).toEqual({ ids: score.controls, rejected: [] });
      }
      const assessments = await drain(mdc.assessments(s.subscriptionId), (x) => x.id);
      expect(assessments).toEqual({ ids: s.assessments.ids, rejected: [] });
      const findings = await drain(mdc.subAssessments(s.subscriptionId), (x) => x.id);
      expect(findings).toEqual({ ids: s.subAssessments.ids, rejected: [] });
      assessmentPages += await pagesOf(mdc.assessments(s.subscriptionId));
      findingPages += await pagesOf(mdc.subAssessments(s.subscriptionId));
      for await (const batch of mdc.subAssessments(s.subscriptionId))
        for (const finding of batch.items) cves += cveIds(finding).length;
    }
    expect(assessmentPages).toBeGreaterThan(readable.length);
    expect(findingPages).toBeGreaterThan(readable.length);
    expect(cves).toBeGreaterThan(0);
  });

  it('should say the app needs Security Reader on the subscription it cannot read', async () => {
    const client = armClient();
    const error = await drain(
      client.defenderForCloud.assessments(unreadable.subscriptionId),
      (x) => x.id,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArmAuthorizationError);
    expect(error).toMatchObject({
      code: DefenderErrorCode.PermissionMissing,
      status: 403,
      subscriptionId: unreadable.subscriptionId,
      action: 'Microsoft.Security/assessments/read',
      requiredRoles: [ARM_READ_ROLE],
    });
    expect((error as Error).message).toContain(
      `needs the Security Reader role on subscription ${unreadable.subscriptionId}`,
    );
    await expect(
      drain(client.defenderForCloud.secureScores(unreadable.subscriptionId), (x) => x.id),
    ).rejects.toBeInstanceOf(ArmAuthorizationError);
    await expect(
      drain(client.defenderForCloud.subAssessments(unreadable.subscriptionId), (x) => x.id),
    ).rejects.toMatchObject({ action: 'Microsoft.Security/assessments/subAssessments/read' });
  });

  it('should retry a throttled page and still read every record once', async () => {
    const client = armClient();
    const s = readable[0]!;
    const before = client.stats.retries;
    // The second page of the assessments is throttled twice: the pager must retry it, not restart or skip.
    await simPost(sim, '/_sim/faults', {
      queue: [
        {
          fault: '429',
          path: `/subscriptions/${s.subscriptionId}/providers/Microsoft.Security/assessments`,
          count: 2,
        },
      ],
    });
    const assessments = await drain(client.defenderForCloud.assessments(s.subscriptionId), (x) => x.id);
    expect(assessments.ids).toEqual(s.assessments.ids);
    expect(client.stats.retries - before).toBe(2);
    expect(client.stats.byStatus['429']).toBe(2);
  });

  it('should skip a malformed record with its reason and keep the rest', async () => {
    const client = armClient();
    const s = readable[0]!;
    await simPost(sim, '/_sim/faults', {
      queue: [
        {
          fault: 'malformed',
          path: `/subscriptions/${s.subscriptionId}/providers/Microsoft.Security/subAssessments`,
          count: 1,
        },
      ],
    });
    const findings = await drain(client.defenderForCloud.subAssessments(s.subscriptionId), (x) => x.id);
    expect(findings.rejected).toHaveLength(1);
    expect(findings.rejected[0]).toMatch(/^id: /);
    expect(findings.ids).toEqual(s.subAssessments.ids.slice(1));
  });
});
