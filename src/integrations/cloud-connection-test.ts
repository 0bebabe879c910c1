import {
  ARM_READ_ROLE,
  ArmAuthorizationError,
  DefenderErrorCode,
  type ArmSubscription,
  type DefenderClient,
} from '../defender/index.js';
import { HubError } from '../errors.js';
import { skippedStep, timed, type ConnectionStep } from './connection-steps.js';

/**
 * The Defender for Cloud half of a connection test: after the ARM sign-in, which subscriptions the app sees
 * (`subscriptions`), then one cheap Microsoft.Security read per subscription it is to read (`securityReader`),
 * the same calls the cloudPosture sync starts with. Never calls the Defender for Endpoint API.
 */

/** A subscription the app sees, as the UI offers it for choosing; `readable` null: not tried (not chosen). */
export interface VisibleSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  readable: boolean | null;
}

export const CloudTestErrorCode = {
  NoSubscriptionsVisible: 'CLOUD_NO_SUBSCRIPTIONS_VISIBLE',
  SubscriptionsNotVisible: 'CLOUD_SUBSCRIPTIONS_NOT_VISIBLE',
} as const;

/** Reads at once: hundreds of subscriptions finish in seconds, far below ARM's 12,000 reads an hour. */
const READS_AT_ONCE = 4;

/** What to do, the same words wherever a subscription is missing: `where` is "it", "each of them", … */
function assignHint(where: string): string {
  return (
    `assign the app the ${ARM_READ_ROLE} role on ${where} (the subscription's "Access control (IAM)" → ` +
    '"Add role assignment"); role assignments can take a few minutes to apply.'
  );
}

export interface CloudStepsResult {
  steps: ConnectionStep[];
  subscriptions: VisibleSubscription[];
}

/** `chosen`: the integration's subscription ids (lower case); empty means every one the app sees. */
export async function cloudSteps(
  client: DefenderClient,
  chosen: readonly string[],
  signal: AbortSignal | undefined,
): Promise<CloudStepsResult> {
  const clientId = client.config.clientId;
  let visible: ArmSubscription[] = [];
  const listed = await timed('subscriptions', async () => {
    visible = await listSubscriptions(client, signal);
    checkVisible(clientId, visible, chosen);
  });
  const targets = chosen.length === 0 ? visible : visible.filter((s) => chosen.includes(idOf(s)));
  const readable = new Map<string, boolean>();
  const read =
    targets.length === 0
      ? skippedStep(
          'securityReader',
          listed.ok ? 'no subscription to read.' : 'no chosen subscription is visible.',
        )
      : await timed('securityReader', () => readEach(client, targets, readable, signal));
  return {
    steps: [listed, read],
    subscriptions: visible.map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName,
      state: s.state,
      readable: readable.get(idOf(s)) ?? null,
    })),
  };
}

function idOf(subscription: ArmSubscription): string {
  return subscription.subscriptionId.toLowerCase();
}

async function listSubscriptions(
  client: DefenderClient,
  signal: AbortSignal | undefined,
): Promise<ArmSubscription[]> {
  const all: ArmSubscription[] = [];
  for await (const batch of client.defenderForCloud.subscriptions(signal === undefined ? {} : { signal }))
    all.push(...batch.items);
  return all;
}

/** Fails when the app sees no subscription at all, or not every one the integration names. */
function checkVisible(
  clientId: string,
  visible: readonly ArmSubscription[],
  chosen: readonly string[],
): void {
  if (visible.length === 0)
    throw new HubError(
      CloudTestErrorCode.NoSubscriptionsVisible,
      `App ${clientId} sees no Azure subscription: ${assignHint('each subscription it should read')}`,
    );
  const seen = new Set(visible.map(idOf));
  const missing = chosen.filter((id) => !seen.has(id));
  if (missing.length > 0)
    throw new HubError(
      CloudTestErrorCode.SubscriptionsNotVisible,
      `App ${clientId} does not see ${missing.length === 1 ? 'subscription' : 'subscriptions'} ${missing.join(', ')} ` +
        `of this integration (it sees ${visible.length}). Check the subscription IDs, or ${assignHint(missing.length === 1 ? 'it' : 'each of them')}`,
      { details: { subscriptions: missing } },
    );
}

/**
 * One secure-scores read per subscription (a handful of records, the cheapest Microsoft.Security list), keeping
 * whether each was allowed; fails naming every refused one. Another error (ARM down) fails the step as itself.
 */
async function readEach(
  client: DefenderClient,
  targets: readonly ArmSubscription[],
  readable: Map<string, boolean>,
  signal: AbortSignal | undefined,
): Promise<void> {
  await eachAtOnce(targets, READS_AT_ONCE, async (s) => {
    readable.set(idOf(s), await mayRead(client, s.subscriptionId, signal));
  });
  const refused = targets.filter((s) => readable.get(idOf(s)) === false);
  if (refused.length === 0) return;
  const names = refused.map((s) => `"${s.displayName}" (${s.subscriptionId})`).join(', ');
  throw new HubError(
    DefenderErrorCode.PermissionMissing,
    `App ${client.config.clientId} may not read Defender for Cloud on ${refused.length} of ${targets.length} ` +
      `subscriptions: ${names}. To read ${refused.length === 1 ? 'it' : 'them'}, ${assignHint(refused.length === 1 ? 'it' : 'each of them')}`,
    { details: { subscriptions: refused.map((s) => s.subscriptionId), requiredRole: ARM_READ_ROLE } },
  );
}

async function mayRead(
  client: DefenderClient,
  subscriptionId: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const options = { batchSize: 1, ...(signal === undefined ? {} : { signal }) };
  try {
    // Leaving the loop closes the generator, which frees the connection mid-page.
    for await (const _batch of client.defenderForCloud.secureScores(subscriptionId, options)) break;
    return true;
  } catch (error) {
    if (error instanceof ArmAuthorizationError) return false;
    throw error;
  }
}

/**
 * Runs `work` on every item, `limit` at a time. Every started read ends before this returns (the caller closes
 * the client next), and the first failure is thrown then.
 */
async function eachAtOnce<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
