import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { armResourceType } from '../../src/sync/datasets/cloud-posture.js';

interface TruthSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  readable: boolean;
  resources: { kind: string; id: string }[];
  secureScores: {
    id: string;
    name: string;
    score: { max: number; current: number; percentage: number };
    controls: string[];
  }[];
  assessments: { count: number; ids: string[]; byStatus: Record<string, number> };
  subAssessments: {
    count: number;
    ids: string[];
    bySeverity: Record<string, number>;
    byResourceType: Record<string, number>;
  };
}
interface Truth {
  pageSizes: Record<string, number>;
  subscriptions: TruthSubscription[];
}
interface SubscriptionItem {
  subscriptionId: string;
  displayName: string;
  state: string;
  lastReadOk: boolean;
  error: { code: string; message: string } | null;
}
interface ScoreItem {
  subscriptionId: string;
  id: string;
  name: string;
  current: number;
  max: number;
  percentage: number;
  controls: { id: string }[];
  history: { day: string; current: number }[];
}
interface AssessmentItem {
  id: string;
  subscriptionId: string;
  status: string;
  severity: string | null;
  resourceId: string | null;
  resourceType: string | null;
  portalUrl: string | null;
}
interface FindingItem {
  id: string;
  subscriptionId: string;
  assessmentId: string | null;
  severity: string;
  cveIds: string[];
  assessedResourceType: string | null;
  resourceType: string | null;
}
interface ResourceItem {
  resourceId: string;
  resourceType: string | null;
  subscriptionId: string;
  assessments: number;
  unhealthy: { High: number; Medium: number; Low: number };
}
interface RunItem {
  dataset: string;
  status: string;
  complete: number;
  completeness: string;
  skipped_reasons: string;
  pages: number;
}
type ByRoute = Record<string, Record<string, number>>;

async function routeCounts(sim: RunningSimulator): Promise<ByRoute> {
  return (await simGet<{ requests: { byRoute: ByRoute } }>(sim, '/_sim/stats')).requests.byRoute;
}

/** The routes called between two snapshots of the simulator's stats. */
function calledBetween(before: ByRoute, after: ByRoute): string[] {
  const total = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
  return Object.keys(after).filter((route) => total(after[route]) > total(before[route]));
}

const isArm = (route: string): boolean => /^GET \/subscriptions/i.test(route);
/**
 * Defender for Endpoint and Graph's security data: what a cloud integration must never call. The app
 * registration's credential look (`/v1.0/applications`, the secret's expiry) is every integration's.
 */
const isMde = (route: string): boolean =>
  /^[A-Z]+ \/(api|v1\.0|beta)\//.test(route) && route !== 'GET /v1.0/applications';

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe.each(dialects)('Defender for Cloud posture sync on %s', (dialect) => {
  it('should store what every readable subscription holds, record the unreadable one, and call only its own APIs', async () => {
    const sim = await useSimulator({ machines: 5, seed: 62, subscriptions: 4, retryAfterSeconds: 0 });
    const api = await useApi(dialect);
    const truth = await simGet<Truth>(sim, '/_sim/truth/arm');
    const readable = truth.subscriptions.filter((s) => s.readable);
    const unreadable = truth.subscriptions.filter((s) => !s.readable);
    expect(readable.length).toBeGreaterThan(1);
    expect(unreadable).toHaveLength(1);

    // An endpoint integration never reads ARM …
    const endpoint = await api.hub.integrations.create(simulatorSettings(sim, { name: 'mde' }));
    const beforeEndpoint = await routeCounts(sim);
    const endpointRuns = await api.hub.sync.syncIntegration(endpoint.id);
    expect(endpointRuns.map((r) => r.dataset)).not.toContain('cloudPosture');
    const endpointCalls = calledBetween(beforeEndpoint, await routeCounts(sim));
    expect(endpointCalls.filter(isMde).length).toBeGreaterThan(0);
    expect(endpointCalls.filter(isArm)).toEqual([]);

    // … and a cloud integration reads nothing else.
    const created = await api.call<{ id: string; armBaseUrl: string | null; subscriptions: string[] }>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'mdc', product: 'cloud', armBaseUrl: sim.armBaseUrl }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ armBaseUrl: sim.armBaseUrl, subscriptions: [] });
    const cloudId = created.body.id;
    const beforeCloud = await routeCounts(sim);
    const runs = await api.hub.sync.syncIntegration(cloudId);
    const cloudCalls = calledBetween(beforeCloud, await routeCounts(sim));
    expect(cloudCalls.filter(isArm).length).toBeGreaterThan(0);
    expect(cloudCalls.filter(isMde)).toEqual([]);

    expect(runs.map((r) => r.dataset)).toEqual(['cloudPosture']);
    const run = runs[0]!;
    expect(run.status).toBe('succeeded');
    expect(run.complete).toBe(false);
    expect(run.completeness).toContain(unreadable[0]!.subscriptionId);
    expect(run.skippedReasons).toEqual({
      [`subscription not readable: ${unreadable[0]!.subscriptionId}`]: 1,
    });
    expect(run.pages).toBeGreaterThan(1);
    const listed = await api.call<{ items: RunItem[] }>('GET', `/api/v1/sync-runs?integration=${cloudId}`);
    expect(listed.status).toBe(200);

    // Subscriptions: every one, the unreadable one with its error.
    const subscriptions = await allPages<SubscriptionItem>(
      api,
      `/api/v1/cloud/subscriptions?integration=${cloudId}`,
    );
    expect(sorted(subscriptions.map((s) => s.subscriptionId))).toEqual(
      sorted(truth.subscriptions.map((s) => s.subscriptionId)),
    );
    for (const s of subscriptions) {
      const t = truth.subscriptions.find((x) => x.subscriptionId === s.subscriptionId)!;
      expect(s).toMatchObject({ displayName: t.displayName, state: t.state, lastReadOk: t.readable });
      if (t.readable) expect(s.error).toBeNull();
      else {
        expect(s.error?.code).toBe('DEFENDER_PERMISSION_MISSING');
        expect(s.error?.message).toContain(t.subscriptionId);
      }
    }

    await expectStored(api, cloudId, readable);

    // Filters and paging.
    const first = readable[0]!;
    const page1 = await api.call<{ items: AssessmentItem[]; total: number }>(
      'GET',
      `/api/v1/cloud/assessments?integration=${cloudId}&subscription=${first.subscriptionId.toUpperCase()}&pageSize=3`,
    );
    expect(page1.status).toBe(200);
    expect(page1.body.total).toBe(first.assessments.count);
    expect(page1.body.items).toHaveLength(Math.min(3, first.assessments.count));
    for (const [code, count] of Object.entries(first.assessments.byStatus)) {
      const status = code === 'Healthy' ? 'healthy' : code === 'Unhealthy' ? 'unhealthy' : 'notApplicable';
      const answer = await api.call<{ total: number }>(
        'GET',
        `/api/v1/cloud/assessments?integration=${cloudId}&subscription=${first.subscriptionId}&status=${status}`,
      );
      expect(answer.body.total).toBe(count);
    }
    for (const [severity, count] of Object.entries(first.subAssessments.bySeverity)) {
      const answer = await api.call<{ total: number }>(
        'GET',
        `/api/v1/cloud/findings?integration=${cloudId}&subscription=${first.subscriptionId}&severity=${severity}`,
      );
      expect(answer.body.total).toBe(count);
    }
    for (const [type, count] of Object.entries(first.subAssessments.byResourceType)) {
      const answer = await api.call<{ total: number }>(
        'GET',
        `/api/v1/cloud/findings?integration=${cloudId}&subscription=${first.subscriptionId}&resourceType=${type}`,
      );
      expect(answer.body.total).toBe(count);
    }
    const findings = await allPages<FindingItem>(api, `/api/v1/cloud/findings?integration=${cloudId}`);
    const withCve = findings.find((f) => f.cveIds.length > 0)!;
    expect(withCve).toBeDefined();
    const cve = withCve.cveIds[0]!;
    const byCve = await allPages<FindingItem>(
      api,
      `/api/v1/cloud/findings?integration=${cloudId}&cve=${cve.toLowerCase()}`,
    );
    expect(sorted(byCve.map((f) => f.id))).toEqual(
      sorted(findings.filter((f) => f.cveIds.includes(cve)).map((f) => f.id)),
    );
    expect((await api.call('GET', '/api/v1/cloud/findings?cve=nope')).status).toBe(400);

    // Resources: the truth's resources of the readable subscriptions, unhealthy counts from the assessments.
    const assessments = await allPages<AssessmentItem>(
      api,
      `/api/v1/cloud/assessments?integration=${cloudId}`,
    );
    const resources = await allPages<ResourceItem>(api, `/api/v1/cloud/resources?integration=${cloudId}`);
    expect(sorted(resources.map((r) => r.resourceId))).toEqual(
      sorted([...new Set(assessments.map((a) => a.resourceId!))]),
    );
    for (const r of resources) {
      const own = assessments.filter((a) => a.resourceId === r.resourceId);
      expect(r.assessments).toBe(own.length);
      expect(r.resourceType).toBe(armResourceType(r.resourceId));
      for (const severity of ['High', 'Medium', 'Low'] as const)
        expect(r.unhealthy[severity]).toBe(
          own.filter((a) => a.status === 'unhealthy' && a.severity === severity).length,
        );
    }
    const vmType = 'Microsoft.Compute/virtualMachines';
    const vms = await allPages<ResourceItem>(
      api,
      `/api/v1/cloud/resources?integration=${cloudId}&resourceType=${vmType.toLowerCase()}`,
    );
    expect(vms.length).toBeGreaterThan(0);
    expect(vms.every((r) => r.resourceType === vmType)).toBe(true);

    // A second run keeps one reading a day and the same records; one no longer listed goes.
    const gone = `${first.assessments.ids[0]!}-gone`;
    await api.hub.data.cloud.upsertAssessments([
      {
        integrationId: cloudId,
        assessmentId: gone,
        subscriptionId: first.subscriptionId,
        name: 'gone',
        resourceId: null,
        resourceType: null,
        displayName: 'No longer listed',
        status: 'unhealthy',
        severity: 'High',
        remediation: null,
        portalUrl: null,
        raw: '{}',
        runId: run.id,
        updatedAt: new Date().toISOString(),
      },
    ]);
    const again = await api.hub.sync.syncIntegration(cloudId);
    expect(again[0]?.status).toBe('succeeded');
    expect(again[0]?.removed).toBe(1);
    await expectStored(api, cloudId, readable);

    // Limited to one subscription: the others go.
    const limited = await api.call('PATCH', `/api/v1/integrations/${cloudId}`, {
      subscriptions: [first.subscriptionId.toUpperCase()],
    });
    expect(limited.status).toBe(200);
    const third = await api.hub.sync.syncIntegration(cloudId, { force: true });
    expect(third[0]).toMatchObject({ status: 'succeeded', complete: true });
    const left = await allPages<SubscriptionItem>(api, `/api/v1/cloud/subscriptions?integration=${cloudId}`);
    expect(left.map((s) => s.subscriptionId)).toEqual([first.subscriptionId]);
    await expectStored(api, cloudId, [first]);

    // A dataset of the other product is refused by name.
    const wrong = await api.call<{ error: { code: string } }>(
      'POST',
      `/api/v1/integrations/${cloudId}/sync`,
      {
        dataset: 'machines',
      },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('SYNC_DATASET_NOT_FOR_PRODUCT');
  });

  it('should describe the cloud routes in the OpenAPI document', async () => {
    const api = await useApi(dialect);
    const { status, body } = await api.call<{
      paths: Record<string, { get?: { parameters?: { name: string; description?: string }[] } }>;
    }>('GET', '/api/openapi.json');
    expect(status).toBe(200);
    for (const path of ['subscriptions', 'secure-scores', 'assessments', 'findings', 'resources']) {
      const route = body.paths[`/api/v1/cloud/${path}`]?.get;
      expect(route, path).toBeDefined();
      for (const parameter of route?.parameters ?? [])
        expect(parameter.description, parameter.name).toBeTruthy();
    }
    const assessments = body.paths['/api/v1/cloud/assessments']?.get?.parameters?.map((p) => p.name);
    expect(assessments).toEqual(
      expect.arrayContaining(['subscription', 'status', 'severity', 'resourceType', 'page', 'pageSize']),
    );
    const findings = body.paths['/api/v1/cloud/findings']?.get?.parameters?.map((p) => p.name);
    expect(findings).toEqual(expect.arrayContaining(['subscription', 'severity', 'cve', 'resourceType']));
  });

  it('should refuse an armBaseUrl that is not an https URL', async () => {
    const sim = await useSimulator({ machines: 1, seed: 3 });
    const api = await useApi(dialect);
    for (const armBaseUrl of ['http://management.azure.com', 'not a url']) {
      const answer = await api.call<{ error: { code: string; message: string } }>(
        'POST',
        '/api/v1/integrations',
        simulatorSettings(sim, { name: `bad-${armBaseUrl.length}`, product: 'cloud', armBaseUrl }),
      );
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('armBaseUrl');
    }
  });
});

/** Secure scores, assessments and sub-assessments stored exactly as the truth holds them. */
async function expectStored(
  api: TestApi,
  integrationId: string,
  subscriptions: readonly TruthSubscription[],
) {
  const scores = await api.call<{ items: ScoreItem[] }>(
    'GET',
    `/api/v1/cloud/secure-scores?integration=${integrationId}&days=7`,
  );
  expect(scores.status).toBe(200);
  expect(sorted(scores.body.items.map((s) => s.id))).toEqual(
    sorted(subscriptions.flatMap((s) => s.secureScores.map((x) => x.id))),
  );
  for (const s of subscriptions)
    for (const t of s.secureScores) {
      const stored = scores.body.items.find((x) => x.id === t.id)!;
      expect(stored).toMatchObject({ subscriptionId: s.subscriptionId, name: t.name, ...t.score });
      expect(stored.controls.map((c) => c.id)).toEqual(t.controls);
      expect(stored.history).toHaveLength(1);
      expect(stored.history[0]?.current).toBe(t.score.current);
    }

  const assessments = await allPages<AssessmentItem>(
    api,
    `/api/v1/cloud/assessments?integration=${integrationId}`,
  );
  expect(sorted(assessments.map((a) => a.id))).toEqual(
    sorted(subscriptions.flatMap((s) => s.assessments.ids)),
  );
  const findings = await allPages<FindingItem>(api, `/api/v1/cloud/findings?integration=${integrationId}`);
  expect(sorted(findings.map((f) => f.id))).toEqual(
    sorted(subscriptions.flatMap((s) => s.subAssessments.ids)),
  );
  const assessmentIds = new Set(assessments.map((a) => a.id));
  for (const f of findings) expect(assessmentIds.has(f.assessmentId!)).toBe(true);
  for (const s of subscriptions) {
    const own = assessments.filter((a) => a.subscriptionId === s.subscriptionId);
    const byStatus: Record<string, number> = {};
    for (const a of own) {
      const code =
        a.status === 'healthy' ? 'Healthy' : a.status === 'unhealthy' ? 'Unhealthy' : 'NotApplicable';
      byStatus[code] = (byStatus[code] ?? 0) + 1;
    }
    expect(byStatus).toEqual(s.assessments.byStatus);
    const ownFindings = findings.filter((f) => f.subscriptionId === s.subscriptionId);
    const bySeverity: Record<string, number> = {};
    const byType: Record<string, number> = {};
    for (const f of ownFindings) {
      bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      byType[f.assessedResourceType!] = (byType[f.assessedResourceType!] ?? 0) + 1;
    }
    expect(bySeverity).toEqual(s.subAssessments.bySeverity);
    expect(byType).toEqual(s.subAssessments.byResourceType);
  }
  expect(assessments.every((a) => a.portalUrl?.startsWith('https://portal.azure.com/') === true)).toBe(true);
}
