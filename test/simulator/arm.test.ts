import { describe, expect, it } from 'vitest';
import { MDE, readAllPages, SimHarness } from './helpers.js';

const ARM = 'https://management.azure.com';
const harness = await SimHarness.start({ machines: 5, seed: 61 });
const { sim } = harness;

interface TruthSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  readable: boolean;
  secureScores: { id: string; name: string; controls: string[] }[];
  assessments: { count: number; ids: string[]; byStatus: Record<string, number> };
  subAssessments: { count: number; ids: string[]; byResourceType: Record<string, number> };
}
interface Truth {
  pageSizes: Record<string, number>;
  subscriptions: TruthSubscription[];
}

const truth = await harness.json<Truth>('/_sim/truth/arm');
const readable = truth.subscriptions.filter((s) => s.readable);
const unreadable = truth.subscriptions.find((s) => !s.readable);

/** Every record under `path`, checking that each ARM `nextLink` stays on the simulator and carries a skip token. */
function readAll(
  path: string,
  token: string,
): Promise<{ records: Record<string, unknown>[]; pages: number }> {
  return readAllPages(harness, path, token, (page) => {
    if (page.nextLink !== undefined) {
      expect(page.nextLink.startsWith(`${sim.url}/`)).toBe(true);
      expect(new URL(page.nextLink).searchParams.get('$skipToken')).toMatch(/\S/);
    }
    return page.nextLink;
  });
}

describe('Azure Resource Manager (Defender for Cloud)', () => {
  it('should announce the ARM base URL and hold three subscriptions, one unreadable', () => {
    expect(sim.armBaseUrl).toBe(sim.url);
    expect(truth.subscriptions).toHaveLength(3);
    expect(readable).toHaveLength(2);
    expect(unreadable).toBeDefined();
  });

  it('should refuse a call without api-version, or with one it does not support, in ARM words', async () => {
    const token = await harness.token(ARM);
    const missing = await harness.call('/subscriptions', { token });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toEqual({
      error: {
        code: 'MissingApiVersionParameter',
        message: 'The api-version query parameter (?api-version=) is required for all requests.',
      },
    });
    const sub = readable[0]!.subscriptionId;
    const wrong = await harness.call(
      `/subscriptions/${sub}/providers/Microsoft.Security/assessments?api-version=2019-01-01`,
      { token },
    );
    expect(wrong.status).toBe(400);
    const body = JSON.parse(wrong.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('InvalidApiVersionParameter');
    expect(body.error.message).toBe(
      "The api-version '2019-01-01' is invalid. The supported versions are '2021-06-01,2020-01-01'.",
    );
  });

  it('should refuse a Defender token and a missing one with 401 InvalidAuthenticationToken', async () => {
    const defender = await harness.call('/subscriptions?api-version=2022-12-01', {
      token: await harness.token(MDE),
    });
    expect(defender.status).toBe(401);
    const body = JSON.parse(defender.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.message).toContain('wrong audience');
    const none = await harness.call('/subscriptions?api-version=2022-12-01');
    expect(none.status).toBe(401);
    // An ARM token is no good on the Defender API either.
    const reverse = await harness.call('/api/machines', { token: await harness.token(ARM) });
    expect(reverse.status).toBe(401);
  });

  it('should list the subscriptions across pages', async () => {
    const { records, pages } = await readAll(
      '/subscriptions?api-version=2022-12-01',
      await harness.token(ARM),
    );
    expect(pages).toBe(2);
    expect(records.map((r) => [r.subscriptionId, r.displayName, r.state])).toEqual(
      truth.subscriptions.map((s) => [s.subscriptionId, s.displayName, s.state]),
    );
  });

  it('should page assessments and sub-assessments by nextLink, each record once, as the truth says', async () => {
    const token = await harness.token(ARM);
    for (const s of readable) {
      const scope = `/subscriptions/${s.subscriptionId}/providers/Microsoft.Security`;
      const assessments = await readAll(`${scope}/assessments?api-version=2021-06-01`, token);
      expect(assessments.pages).toBe(Math.ceil(s.assessments.count / truth.pageSizes.assessments!));
      expect(assessments.pages).toBeGreaterThan(1);
      expect(assessments.records.map((r) => r.id)).toEqual(s.assessments.ids);
      for (const a of assessments.records) {
        expect(a.id).toMatch(
          new RegExp(
            `^/subscriptions/${s.subscriptionId}/resourceGroups/[^/]+/providers/.+/providers/Microsoft\\.Security/assessments/[0-9a-f-]{36}$`,
          ),
        );
        expect(a).toMatchObject({
          type: 'Microsoft.Security/assessments',
          properties: {
            resourceDetails: { source: 'Azure' },
            status: { code: expect.stringMatching(/^(Healthy|Unhealthy|NotApplicable)$/) as unknown },
            metadata: { severity: expect.stringMatching(/^(Low|Medium|High)$/) as unknown },
            links: { azurePortalUri: expect.stringMatching(/^https:\/\/portal\.azure\.com\//) as unknown },
          },
        });
      }
      const subs = await readAll(`${scope}/subAssessments?api-version=2019-01-01-preview`, token);
      expect(subs.records.map((r) => r.id)).toEqual(s.subAssessments.ids);
      expect(new Set(subs.records.map((r) => r.id)).size).toBe(s.subAssessments.count);
    }
    const all = readable.reduce((n, s) => n + s.subAssessments.count, 0);
    expect(all).toBeGreaterThan(truth.pageSizes.subAssessments!);
  });

  it('should carry CVEs and patchability on container image and server findings', async () => {
    const token = await harness.token(ARM);
    const records: Record<string, unknown>[] = [];
    for (const s of readable)
      records.push(
        ...(
          await readAll(
            `/subscriptions/${s.subscriptionId}/providers/Microsoft.Security/subAssessments?api-version=2019-01-01-preview`,
            token,
          )
        ).records,
      );
    const data = (r: Record<string, unknown>) =>
      (r.properties as { additionalData: Record<string, unknown> }).additionalData;
    const types = new Set(records.map((r) => data(r).assessedResourceType));
    expect(types).toContain('ContainerRegistryVulnerability');
    expect(types).toContain('ServerVulnerabilityAssessment');
    for (const r of records) {
      expect(r.id).toMatch(
        /\/providers\/Microsoft\.Security\/assessments\/[0-9a-f-]{36}\/subassessments\/[0-9a-f-]{36}$/,
      );
      expect(r.type).toBe('Microsoft.Security/assessments/subAssessments');
      const extra = data(r);
      if (extra.assessedResourceType === 'SqlServerVulnerability') continue;
      expect(typeof extra.patchable).toBe('boolean');
      expect((extra.cve as { title: string }[])[0]?.title).toMatch(/^CVE-\d{4}-\d+$/);
      if (extra.assessedResourceType === 'ContainerRegistryVulnerability') {
        expect(extra.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(typeof extra.repositoryName).toBe('string');
      }
    }
  });

  it('should give secure scores and their controls over pages', async () => {
    const token = await harness.token(ARM);
    const s = readable[0]!;
    const scope = `/subscriptions/${s.subscriptionId}/providers/Microsoft.Security`;
    const scores = await readAll(`${scope}/secureScores?api-version=2020-01-01`, token);
    expect(scores.records.map((r) => r.name)).toEqual(['ascScore']);
    expect(scores.records[0]).toMatchObject({
      type: 'Microsoft.Security/secureScores',
      properties: { displayName: 'ASC score', score: { max: expect.any(Number) as unknown } },
    });
    const controls = await readAll(
      `${scope}/secureScores/ascScore/secureScoreControls?api-version=2020-01-01`,
      token,
    );
    expect(controls.pages).toBeGreaterThan(1);
    expect(controls.records.map((r) => r.id)).toEqual(s.secureScores[0]?.controls);
  });

  it('should answer 403 AuthorizationFailed on the subscription the app holds no role on', async () => {
    const token = await harness.token(ARM);
    const id = unreadable!.subscriptionId;
    const reply = await harness.call(
      `/subscriptions/${id}/providers/Microsoft.Security/assessments?api-version=2021-06-01`,
      { token },
    );
    expect(reply.status).toBe(403);
    const body = JSON.parse(reply.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('AuthorizationFailed');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { oid: string };
    expect(body.error.message).toBe(
      `The client '${sim.clientId}' with object id '${claims.oid}' ` +
        `does not have authorization to perform action 'Microsoft.Security/assessments/read' over scope '/subscriptions/${id}' ` +
        'or the scope is invalid. If access was recently granted, please refresh your credentials.',
    );
    const unknown = await harness.call(
      '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Security/assessments?api-version=2021-06-01',
      { token },
    );
    expect(unknown.status).toBe(404);
  });

  it('should answer an injected 429 with Retry-After on ARM routes too', async () => {
    const token = await harness.token(ARM);
    await harness.post('/_sim/faults', { queue: [{ fault: '429', path: '/subscriptions', count: 1 }] });
    const throttled = await harness.call('/subscriptions?api-version=2022-12-01', { token });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect((JSON.parse(throttled.text) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    const after = await harness.call('/subscriptions?api-version=2022-12-01', { token });
    expect(after.status).toBe(200);
  });

  it('should derive the same estate from the same seed', async () => {
    const again = await SimHarness.open({ machines: 5, seed: 61 });
    try {
      expect(await again.json<Truth>('/_sim/truth/arm')).toEqual(truth);
    } finally {
      await again.close();
    }
  });
});
