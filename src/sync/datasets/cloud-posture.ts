import {
  ArmAuthorizationError,
  cveIds,
  type ArmSubscription,
  type Assessment,
  type Batch,
  type SecureScore,
  type SecureScoreControl,
  type SubAssessment,
} from '../../defender/index.js';
import { HubError } from '../../errors.js';
import { type Dataset, type DatasetContext, signalOption } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { writePages } from '../write-pages.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import type { CloudStatus } from '../../domain/cloud-status.js';
import type {
  CloudAssessmentRecord,
  CloudFindingRecord,
  CloudList,
  CloudSecureScoreDayRecord,
  CloudSecureScoreRecord,
  Repositories,
} from '../../store/index.js';

/** The posture it writes: subscriptions, secure scores, assessments and sub-assessments. */
export type CloudPostureDeps = Pick<Repositories, 'cloud'>;

const statusCodes: Readonly<Record<string, CloudStatus>> = {
  Healthy: 'healthy',
  Unhealthy: 'unhealthy',
  NotApplicable: 'notApplicable',
};

function status(code: string): CloudStatus {
  return statusCodes[code] ?? 'notApplicable';
}

/**
 * The ARM resource type of a resource id: `Microsoft.Compute/virtualMachines` of
 * `/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/vm1`, nested types joined
 * (`Microsoft.Sql/servers/databases`); a resource group or subscription id answers Microsoft.Resources'.
 */
export function armResourceType(resourceId: string | null | undefined): string | null {
  if (resourceId === null || resourceId === undefined || resourceId === '') return null;
  const lower = resourceId.toLowerCase();
  const at = lower.lastIndexOf('/providers/');
  if (at >= 0) {
    const parts = resourceId
      .slice(at + '/providers/'.length)
      .split('/')
      .filter(Boolean);
    const [namespace, ...rest] = parts;
    if (namespace === undefined || rest.length === 0) return null;
    const types = rest.filter((_part, index) => index % 2 === 0);
    return [namespace, ...types].join('/');
  }
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/?$/.test(lower))
    return 'Microsoft.Resources/resourceGroups';
  if (/^\/subscriptions\/[^/]+\/?$/.test(lower)) return 'Microsoft.Resources/subscriptions';
  return null;
}

/** The resource an assessment is about: its resourceDetails id, else its own id up to /providers/Microsoft.Security. */
function assessedResource(id: string, details: { id?: string | undefined }): string | null {
  if (details.id !== undefined && details.id !== '') return details.id;
  const at = id.toLowerCase().lastIndexOf('/providers/microsoft.security/');
  return at > 0 ? id.slice(0, at) : null;
}

function stringMember(record: Record<string, unknown> | undefined, key: string): string | null {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function toAssessmentRecord(
  a: Assessment,
  integrationId: string,
  subscriptionId: string,
  runId: number,
  now: string,
): CloudAssessmentRecord {
  const p = a.properties;
  const resourceId = assessedResource(a.id, p.resourceDetails);
  return {
    integrationId,
    assessmentId: a.id,
    subscriptionId,
    name: a.name,
    resourceId,
    resourceType: armResourceType(resourceId),
    displayName: p.displayName,
    status: status(p.status.code),
    severity: p.metadata?.severity ?? null,
    remediation:
      stringMember(p.metadata, 'remediationDescription') ?? stringMember(p.status, 'description') ?? null,
    portalUrl: p.links?.azurePortalUri ?? null,
    raw: storedRecordJson(a),
    runId,
    updatedAt: now,
  };
}

function toFindingRecord(
  f: SubAssessment,
  integrationId: string,
  subscriptionId: string,
  runId: number,
  now: string,
): CloudFindingRecord {
  const p = f.properties;
  const at = f.id.toLowerCase().lastIndexOf('/subassessments/');
  const resourceId = p.resourceDetails.id ?? null;
  return {
    integrationId,
    findingId: f.id,
    subscriptionId,
    assessmentId: at > 0 ? f.id.slice(0, at) : null,
    vulnerabilityId: p.id,
    displayName: p.displayName,
    resourceId,
    resourceType: armResourceType(resourceId),
    assessedResourceType: p.additionalData?.assessedResourceType ?? null,
    cveIds: JSON.stringify(cveIds(f)),
    severity: p.status.severity,
    patchable: storedFlag(p.additionalData?.patchable),
    status: status(p.status.code),
    raw: storedRecordJson(f),
    runId,
    updatedAt: now,
  };
}

function controlBody(c: SecureScoreControl) {
  const p = c.properties;
  return {
    id: c.id,
    name: c.name,
    displayName: p.displayName,
    current: p.score.current,
    max: p.score.max,
    percentage: p.score.percentage,
    weight: p.weight,
    healthyResources: p.healthyResourceCount,
    unhealthyResources: p.unhealthyResourceCount,
    notApplicableResources: p.notApplicableResourceCount,
  };
}
export type SecureScoreControlBody = ReturnType<typeof controlBody>;

/** Every item of a list, counting its pages and malformed records. */
async function collect<T>(ctx: DatasetContext<unknown>, batches: AsyncIterable<Batch<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const batch of batches) {
    ctx.counters.read(batch);
    items.push(...batch.items);
  }
  return items;
}

/** Reads one subscription's lists, writing each page as it comes; returns the removal notes. */
async function readSubscription(
  ctx: DatasetContext<CloudPostureDeps>,
  subscriptionId: string,
): Promise<string[]> {
  const { integration, client, deps, runId, counters } = ctx;
  const mdc = client.defenderForCloud;
  const options = signalOption(ctx);
  const now = new Date().toISOString();

  const scores: SecureScore[] = await collect(ctx, mdc.secureScores(subscriptionId, options));
  const scoreRecords: CloudSecureScoreRecord[] = [];
  const dayRecords: CloudSecureScoreDayRecord[] = [];
  for (const score of scores) {
    const controls = await collect(ctx, mdc.secureScoreControls(subscriptionId, score.name, options));
    const s = score.properties.score;
    scoreRecords.push({
      integrationId: integration.id,
      subscriptionId,
      name: score.name,
      scoreId: score.id,
      displayName: score.properties.displayName,
      current: s.current,
      max: s.max,
      percentage: s.percentage,
      weight: score.properties.weight,
      controls: JSON.stringify(controls.map(controlBody)),
      readAt: now,
      runId,
    });
    dayRecords.push({
      integrationId: integration.id,
      subscriptionId,
      name: score.name,
      day: now.slice(0, 10),
      current: s.current,
      max: s.max,
      percentage: s.percentage,
      readAt: now,
    });
  }
  await deps.cloud.recordScores(scoreRecords, dayRecords);
  counters.upserted += scoreRecords.length;

  await writePages(ctx, mdc.assessments(subscriptionId, options), async (items) => {
    await deps.cloud.upsertAssessments(
      items.map((a) => toAssessmentRecord(a, integration.id, subscriptionId, runId, now)),
    );
    return items.length;
  });
  await writePages(ctx, mdc.subAssessments(subscriptionId, options), async (items) => {
    await deps.cloud.upsertFindings(
      items.map((f) => toFindingRecord(f, integration.id, subscriptionId, runId, now)),
    );
    return items.length;
  });

  const notes: string[] = [];
  const lists: [CloudList, string][] = [
    ['secureScores', 'secure scores'],
    ['assessments', 'assessments'],
    ['findings', 'sub-assessments'],
  ];
  for (const [list, what] of lists) {
    const { total, unseen } = await deps.cloud.counts(list, integration.id, subscriptionId, runId);
    const { removed, note } = await reconcile(ctx, {
      what: `${what} of ${subscriptionId}`,
      unseen,
      of: total,
      remove: () => deps.cloud.removeNotSeen(list, integration.id, subscriptionId, runId),
    });
    // Only a refusal is told: removals are in the run's count.
    if (!removed) notes.push(note);
  }
  return notes;
}

function wanted(integrationSubscriptions: readonly string[], s: ArmSubscription): boolean {
  return (
    integrationSubscriptions.length === 0 || integrationSubscriptions.includes(s.subscriptionId.toLowerCase())
  );
}

/**
 * Defender for Cloud posture (product cloud): the subscriptions the app sees (or the integration's list of
 * them) and, per subscription, the secure scores with their controls, the assessments and the sub-assessments,
 * written page by page. A subscription the app may not read (403) is recorded on its row and among the run's
 * skipped reasons; the others are read all the same. A subscription's records no longer listed are removed
 * once its lists were read whole.
 */
export const cloudPostureDataset: Dataset<CloudPostureDeps> = {
  name: 'cloudPosture',
  product: 'cloud',
  enabled: () => true,
  async run(ctx) {
    const { integration, client, deps, runId, counters } = ctx;
    const options = signalOption(ctx);
    const listed = await collect(ctx, client.defenderForCloud.subscriptions(options));
    const subscriptions = listed.filter((s) => wanted(integration.subscriptions, s));
    const seen = new Set(subscriptions.map((s) => s.subscriptionId.toLowerCase()));
    for (const id of integration.subscriptions)
      if (!seen.has(id)) counters.skip(`subscription not listed: ${id}`);

    const unreadable: string[] = [];
    const notes: string[] = [];
    for (const s of subscriptions) {
      const subscription = {
        integrationId: integration.id,
        subscriptionId: s.subscriptionId,
        displayName: s.displayName,
        state: s.state,
        runId,
      };
      try {
        notes.push(...(await readSubscription(ctx, s.subscriptionId)));
        await deps.cloud.upsertSubscription({
          ...subscription,
          lastReadAt: new Date().toISOString(),
          lastReadOk: 1,
          errorCode: null,
          errorMessage: null,
        });
      } catch (caught) {
        if (!(caught instanceof ArmAuthorizationError)) throw caught;
        unreadable.push(s.subscriptionId);
        counters.skip(`subscription not readable: ${s.subscriptionId}`);
        await deps.cloud.upsertSubscription({
          ...subscription,
          lastReadAt: new Date().toISOString(),
          lastReadOk: 0,
          errorCode: caught instanceof HubError ? caught.code : 'DEFENDER_PERMISSION_MISSING',
          errorMessage: caught.message,
        });
      }
    }
    counters.removed += await deps.cloud.removeSubscriptionsNotSeen(integration.id, runId);

    const read = subscriptions.length - unreadable.length;
    // As for the other datasets, complete means every page was read; a refused removal is told, not a gap.
    const summary =
      unreadable.length === 0
        ? `complete: ${read} subscriptions read`
        : `incomplete: ${read} of ${subscriptions.length} subscriptions read; not readable (the app needs the Security Reader role): ${unreadable.join(', ')}.`;
    return { complete: unreadable.length === 0, completeness: [summary, ...notes].join(' ') };
  },
};
