import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { jsonArrayBody } from '../http/record-bodies.js';
import { JSON_TYPE, sendChunks, sendJson } from '../http/responses.js';
import { type Route, arm, open } from '../http/route.js';
import type { SimState } from '../state.js';
import type { ArmSubscription } from '../world/arm.js';
import type { Handler } from './handler.js';

/**
 * Azure Resource Manager's Defender for Cloud reads: `GET /subscriptions` and, per subscription, secure scores,
 * their controls, assessments and sub-assessments. Every call needs a supported `api-version`; lists page by
 * ARM's `nextLink` (an absolute URL with `$skipToken`), with small pages so a test sees several.
 */

/** Records per page, small on purpose: a few dozen records per subscription should still need several pages. */
export const ARM_PAGE_SIZES = {
  subscriptions: 2,
  secureScores: 10,
  secureScoreControls: 4,
  assessments: 8,
  subAssessments: 6,
} as const;

type ArmList = keyof typeof ARM_PAGE_SIZES;

/** Supported api-versions per list, newest first (the first is what the client sends). */
const API_VERSIONS: Readonly<Record<ArmList, readonly string[]>> = {
  subscriptions: ['2022-12-01', '2021-01-01', '2020-01-01', '2016-06-01'],
  secureScores: ['2020-01-01'],
  secureScoreControls: ['2020-01-01'],
  assessments: ['2021-06-01', '2020-01-01'],
  subAssessments: ['2019-01-01-preview'],
};

/** The RBAC action each list needs, as ARM names it in an AuthorizationFailed answer. */
const ACTIONS: Readonly<Record<Exclude<ArmList, 'subscriptions'>, string>> = {
  secureScores: 'Microsoft.Security/secureScores/read',
  secureScoreControls: 'Microsoft.Security/secureScores/secureScoreControls/read',
  assessments: 'Microsoft.Security/assessments/read',
  subAssessments: 'Microsoft.Security/assessments/subAssessments/read',
};

function checkApiVersion(ex: Exchange, list: ArmList): void {
  const version = ex.url.searchParams.get('api-version');
  if (version === null || version === '') {
    throw new ApiError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const supported = API_VERSIONS[list];
  if (!supported.includes(version)) {
    throw new ApiError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${supported.join(',')}'.`,
    );
  }
}

function readableSubscription(
  state: SimState,
  ex: Exchange,
  id: string,
  list: Exclude<ArmList, 'subscriptions'>,
): ArmSubscription {
  const subscription = state.arm.subscription(id);
  if (subscription === undefined)
    throw new ApiError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
  if (!subscription.readable) {
    const { clientId, servicePrincipalId } = state.tenant.identity;
    throw new ApiError(
      403,
      'AuthorizationFailed',
      `The client '${ex.claims?.appid ?? clientId}' with object id '${ex.claims?.oid ?? servicePrincipalId}' does not have ` +
        `authorization to perform action '${ACTIONS[list]}' over scope '/subscriptions/${subscription.subscriptionId}' ` +
        'or the scope is invalid. If access was recently granted, please refresh your credentials.',
    );
  }
  return subscription;
}

/** One page of `records` from the offset in `$skipToken`; the nextLink repeats the query with the next offset. */
async function sendArmPage(
  state: SimState,
  ex: Exchange,
  list: ArmList,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  const size = ARM_PAGE_SIZES[list];
  const token = ex.url.searchParams.get('$skipToken');
  const offset = token === null ? 0 : decodeSkipToken(token);
  const end = offset + size;
  const page = records.slice(offset, end);
  let nextLink: string | undefined;
  if (end < records.length) {
    const next = new URL(`${state.baseUrl()}${ex.url.pathname}`);
    for (const [key, value] of ex.url.searchParams)
      if (key !== '$skipToken') next.searchParams.set(key, value);
    next.searchParams.set('$skipToken', encodeSkipToken(end));
    nextLink = next.href;
  }
  // Through the shared record serialiser, so the `malformed`, `trickle` and `reset` faults reach ARM lists too.
  const body = jsonArrayBody(
    '{"value":[',
    page,
    () => (nextLink === undefined ? ']}' : `],"nextLink":${JSON.stringify(nextLink)}}`),
    { request: ex.faults, faults: state.faults, expected: page.length },
  );
  await sendChunks(ex, 200, { 'content-type': JSON_TYPE, 'x-ms-request-id': ex.requestId }, body);
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // answered below
  }
  throw new ApiError(400, 'InvalidSkipToken', `The skip token '${token}' is not valid.`);
}

/** `GET /subscriptions`: every subscription the tenant has, the unreadable one included. */
const listSubscriptions: Handler = async (state, ex) => {
  checkApiVersion(ex, 'subscriptions');
  const tenantId = state.tenant.identity.tenantId;
  const records = state.arm.subscriptions.map((s) => ({
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  }));
  await sendArmPage(state, ex, 'subscriptions', records);
};

const listSecureScores: Handler = async (state, ex, [id = '']) => {
  checkApiVersion(ex, 'secureScores');
  await sendArmPage(
    state,
    ex,
    'secureScores',
    readableSubscription(state, ex, id, 'secureScores').secureScores,
  );
};

const listSecureScoreControls: Handler = async (state, ex, [id = '', name = '']) => {
  checkApiVersion(ex, 'secureScoreControls');
  const subscription = readableSubscription(state, ex, id, 'secureScoreControls');
  const controls = [...subscription.controls].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (controls === undefined) {
    throw new ApiError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Security/secureScores/${name}' under resource group '<null>' was not found.`,
    );
  }
  await sendArmPage(state, ex, 'secureScoreControls', controls);
};

const listAssessments: Handler = async (state, ex, [id = '']) => {
  checkApiVersion(ex, 'assessments');
  await sendArmPage(state, ex, 'assessments', readableSubscription(state, ex, id, 'assessments').assessments);
};

const listSubAssessments: Handler = async (state, ex, [id = '']) => {
  checkApiVersion(ex, 'subAssessments');
  const subscription = readableSubscription(state, ex, id, 'subAssessments');
  await sendArmPage(state, ex, 'subAssessments', subscription.subAssessments);
};

const idsOf = (records: readonly Record<string, unknown>[]): string[] => records.map((r) => String(r.id));

function countBy(records: readonly Record<string, unknown>[], pick: (r: Record<string, unknown>) => unknown) {
  const out: Record<string, number> = {};
  for (const record of records) {
    const key = String(pick(record));
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const props = (r: Record<string, unknown>): Record<string, unknown> =>
  (r.properties ?? {}) as Record<string, unknown>;
const status = (r: Record<string, unknown>): Record<string, unknown> =>
  (props(r).status ?? {}) as Record<string, unknown>;

const additionalData = (r: Record<string, unknown>): Record<string, unknown> =>
  (props(r).additionalData ?? {}) as Record<string, unknown>;
const resourceOf = (r: Record<string, unknown>): unknown =>
  (props(r).resourceDetails as Record<string, unknown> | undefined)?.id ?? null;

/** What a test needs of an assessment to rate its resource. */
function assessmentTruth(a: Record<string, unknown>) {
  const metadata = (props(a).metadata ?? {}) as Record<string, unknown>;
  return { id: a.id, resourceId: resourceOf(a), status: status(a).code, severity: metadata.severity ?? null };
}

/** What a test needs of a sub-assessment to join it by CVE: its resource, health, severity and CVE titles. */
function subAssessmentTruth(f: Record<string, unknown>) {
  const cve = (additionalData(f).cve ?? []) as { title?: unknown }[];
  return {
    id: f.id,
    resourceId: resourceOf(f),
    status: status(f).code,
    severity: status(f).severity,
    patchable: additionalData(f).patchable ?? null,
    cves: cve.map((c) => c.title),
  };
}

/** `GET /_sim/truth/arm`: per subscription, exactly what the ARM lists hold (the unreadable one included). */
const truthArm: Handler = async (state, ex) => {
  const subscriptions = state.arm.subscriptions.map((s) => ({
    subscriptionId: s.subscriptionId,
    displayName: s.displayName,
    state: s.state,
    readable: s.readable,
    resourceGroups: s.resourceGroups,
    resources: s.resources.map((r) => ({
      kind: r.kind,
      id: r.id,
      ...(r.kind === 'containerRegistry' ? { images: r.images } : {}),
    })),
    secureScores: s.secureScores.map((score) => ({
      id: score.id,
      name: score.name,
      score: props(score).score ?? null,
      controls: idsOf(s.controls.get(String(score.name)) ?? []),
    })),
    assessments: {
      count: s.assessments.length,
      ids: idsOf(s.assessments),
      byStatus: countBy(s.assessments, (a) => status(a).code),
      records: s.assessments.map(assessmentTruth),
    },
    subAssessments: {
      count: s.subAssessments.length,
      ids: idsOf(s.subAssessments),
      bySeverity: countBy(s.subAssessments, (a) => status(a).severity),
      byResourceType: countBy(s.subAssessments, (a) => additionalData(a).assessedResourceType),
      records: s.subAssessments.map(subAssessmentTruth),
    },
  }));
  await sendJson(ex, 200, { pageSizes: ARM_PAGE_SIZES, subscriptions });
};

const SECURITY = String.raw`\/subscriptions\/([^/]+)\/providers\/Microsoft\.Security`;

/** The ARM routes (paths ignore case, as ARM's do), for the simulator's route table. */
export const armRoutes: readonly Route[] = [
  arm('/subscriptions', /^\/subscriptions\/?$/i, listSubscriptions),
  arm(
    '/subscriptions/{id}/providers/Microsoft.Security/secureScores',
    new RegExp(`^${SECURITY}\\/secureScores$`, 'i'),
    listSecureScores,
  ),
  arm(
    '/subscriptions/{id}/providers/Microsoft.Security/secureScores/{name}/secureScoreControls',
    new RegExp(`^${SECURITY}\\/secureScores\\/([^/]+)\\/secureScoreControls$`, 'i'),
    listSecureScoreControls,
  ),
  arm(
    '/subscriptions/{id}/providers/Microsoft.Security/assessments',
    new RegExp(`^${SECURITY}\\/assessments$`, 'i'),
    listAssessments,
  ),
  arm(
    '/subscriptions/{id}/providers/Microsoft.Security/subAssessments',
    new RegExp(`^${SECURITY}\\/subAssessments$`, 'i'),
    listSubAssessments,
  ),
  open('GET', '/_sim/truth/arm', /^\/_sim\/truth\/arm$/, 'sim', truthArm),
];
