import type {
  Batch,
  ClockProbe,
  DefenderClient,
  DefenderTimestamp,
  RecordResult,
} from '../defender/index.js';
import type { ActivitySource } from '../domain/activity-vocabulary.js';
import { HubError } from '../errors.js';
import { storedRecordJson } from './stored-record.js';
import { permittedSource, type Feature, type TokenApi, type TokenRoles } from '../domain/permissions.js';

/** One alert or incident of any source, in the form the store takes (less the time it is written). */
export interface ActivityRecord<Row> {
  readonly id: string;
  readonly lastUpdate: DefenderTimestamp;
  readonly row: Row;
}

/** The part of the last-update range one run reads: from the cursor (less an overlap) to the service's now. */
export interface ActivityWindow {
  readonly since?: string;
  /** The run's frozen upper bound; absent (a connection test's first look), the list is not bounded. */
  readonly until?: string;
  /** Records per batch; a connection test asks for one. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * One API an activity dataset can read through. Which permissions open it is the permission table's to say
 * (domain/permissions.ts): the reader names its API, the table that API's permissions for the feature.
 */
export interface ActivityReader<Row> {
  readonly source: ActivitySource;
  /** What the run reads, in the words of its completeness line, e.g. "Defender's /api/alerts". */
  readonly describe: string;
  /** The token it reads with. */
  readonly audience: TokenApi;
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
 * The reader of the first source, best first as the permission table orders them, whose token carries one of its
 * permissions: a choice from the roles alone, no call to the API. Asked only once the feature is known to be
 * permitted (a run's access, a connection test's step), and every source of the table has a reader (a unit test),
 * so finding none is the hub's own mistake.
 */
export function chooseReader<Row>(
  readers: readonly ActivityReader<Row>[],
  feature: Feature,
  roles: TokenRoles,
): ActivityReader<Row> {
  const source = permittedSource(feature, roles);
  const reader = source === undefined ? undefined : readers.find((r) => r.audience === source.api);
  if (reader === undefined)
    throw new HubError(
      'SYNC_NO_READER',
      `No reader serves a permitted source of ${feature}: the permission table and the readers disagree.`,
    );
  return reader;
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

/** What every alert and incident record carries: when Defender made and last changed it, and the record itself. */
export function activityFacts(
  record: unknown,
  created: DefenderTimestamp | null | undefined,
  lastUpdate: DefenderTimestamp,
  source: ActivitySource,
) {
  return {
    createdAtRaw: created?.raw ?? null,
    lastUpdateRaw: lastUpdate.raw,
    lastUpdateAt: lastUpdate.date.toISOString(),
    raw: storedRecordJson(record),
    source,
  };
}
