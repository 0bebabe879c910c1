import {
  apiNames,
  DefenderPermissionError,
  type Audience,
  type Batch,
  type ClockProbe,
  type DefenderClient,
  type DefenderTimestamp,
  type RecordResult,
} from '../defender/index.js';
import type { ActivitySource } from '../domain/activity-vocabulary.js';
import { HubError } from '../errors.js';

/** One alert or incident of any source, in the form the store takes (less the time it is written). */
export interface ActivityRecord<Row> {
  readonly id: string;
  readonly lastUpdate: DefenderTimestamp;
  readonly row: Row;
}

/** The part of the last-update range one run reads: from the cursor (less an overlap) to the service's now. */
export interface ActivityWindow {
  readonly since?: string;
  readonly until: string;
  readonly signal?: AbortSignal;
}

/** One API an activity dataset can read through, and the permission that opens it. */
export interface ActivityReader<Row> {
  readonly source: ActivitySource;
  /** What the run reads, in the words of its completeness line, e.g. "Defender's /api/alerts". */
  readonly describe: string;
  /** The token it reads with, and the app roles of which any one lets it read. */
  readonly audience: Audience;
  readonly roles: readonly string[];
  /** The one-record read that gives the service's clock. */
  readonly probe: ClockProbe;
  /**
   * Whether records arrive oldest update first, so the cursor may move with each stored batch. An unordered list
   * knows its newest record only once it has been read to the end.
   */
  readonly ordered: boolean;
  list(client: DefenderClient, window: ActivityWindow): AsyncIterable<Batch<ActivityRecord<Row>>>;
}

/**
 * The first reader, in the order given (best source first), whose token carries one of its roles. Reading the
 * roles costs no call to the API: the tokens are the ones the read will use. Without any, the error names every
 * permission that would do and what the app has; a sign-in that failed for every audience is that failure.
 */
export async function chooseReader<Row>(
  client: Pick<DefenderClient, 'grantedRoles' | 'config'>,
  readers: readonly ActivityReader<Row>[],
  what: string,
  signal: AbortSignal | undefined,
): Promise<ActivityReader<Row>> {
  const granted = new Map<Audience, readonly string[]>();
  const failures = new Map<Audience, unknown>();
  for (const reader of readers) {
    if (!granted.has(reader.audience) && !failures.has(reader.audience)) {
      try {
        granted.set(reader.audience, await client.grantedRoles(reader.audience, signal));
      } catch (error) {
        failures.set(reader.audience, error);
      }
    }
    const roles = granted.get(reader.audience) ?? [];
    if (reader.roles.some((role) => roles.includes(role))) return reader;
  }
  if (granted.size === 0 && failures.size > 0) throw [...failures.values()][0];
  const options = readers.map((r) => `${r.roles.join(' or ')} (${apiNames[r.audience]})`).join(', or ');
  const held = [...new Set(readers.map((r) => r.audience))]
    .map((audience) => `${apiNames[audience]}: ${carried(granted.get(audience), failures.get(audience))}`)
    .join('; ');
  throw new DefenderPermissionError(
    `Reading ${what} needs ${options}, as an application permission; the app's tokens carry ${held}. ` +
      `Add one under "API permissions" of app ${client.config.clientId} and grant admin consent.`,
    {
      requiredRoles: readers.flatMap((r) => r.roles),
      grantedRoles: [...new Set([...granted.values()].flat())],
    },
  );
}

/** What one token carries, in words; a sign-in that failed says its code (a tenant may lack that API). */
function carried(roles: readonly string[] | undefined, failure: unknown): string {
  if (roles !== undefined) return roles.length === 0 ? 'none' : roles.join(', ');
  return failure instanceof HubError ? `sign-in failed, ${failure.code}` : 'sign-in failed';
}

/** A list's batches with each record mapped; a record the mapping refuses joins the batch's refused ones. */
export async function* mapBatches<T, R>(
  batches: AsyncIterable<Batch<T>>,
  map: (record: T) => RecordResult<R>,
): AsyncGenerator<Batch<R>, void, undefined> {
  for await (const batch of batches) {
    const items: R[] = [];
    const rejected = [...batch.rejected];
    for (const record of batch.items) {
      const result = map(record);
      if (result.ok) items.push(result.value);
      else rejected.push(result.rejected);
    }
    yield { items, rejected, page: batch.page };
  }
}
