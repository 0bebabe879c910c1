import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { sendODataList, mdeContext } from '../http/odata-list.js';
import { boundedNumber } from '../http/odata-query.js';
import type { SimState } from '../state.js';
import type { Population } from '../world/population.js';
import { isoSecondsZ, parseIsoTicks, TICKS_PER_DAY, type Ticks } from '../time.js';
import { pageFrom, type Cursor, type GroupSource, type PageEnd } from '../world/export-cursor.js';
import {
  changeRecord,
  departedChanges,
  exportRecord,
  findingChanges,
  findingLastSeen,
  openFindings,
} from '../world/findings.js';
import { type Route, mde, VULNERABILITY_READ } from '../http/route.js';
import type { Handler } from './handler.js';

const DEFAULT_PAGE = 50_000;
const MAX_PAGE = 200_000;
const DELTA_MAX_AGE = 14 * TICKS_PER_DAY;

/** Microsoft's skiptoken is base64 JSON naming the export snapshot and where the page stopped; ours is alike. */
const SkipToken = z.object({
  ExportDefinition: z.object({
    TimePath: z.string(),
    Epoch: z.number().int().nonnegative(),
    SinceEpoch: z.number().int().nonnegative().optional(),
  }),
  ExportFileIndex: z.number().int().nonnegative(),
  LineStoppedAt: z.number().int().nonnegative(),
});
type SkipToken = z.infer<typeof SkipToken>;

function timePath(ticks: Ticks): string {
  const iso = isoSecondsZ(ticks);
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}${iso.slice(14, 16)}/`;
}

function decodeSkipToken(state: SimState, raw: string): SkipToken {
  try {
    const token = SkipToken.parse(JSON.parse(Buffer.from(raw, 'base64').toString('utf8')));
    if (token.ExportDefinition.Epoch <= state.tenant.epoch) return token;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(
    400,
    'InvalidInput',
    'Invalid $skiptoken: pass the @odata.nextLink of the previous page unchanged.',
  );
}

function encodeSkipToken(token: SkipToken): string {
  return encodeURIComponent(Buffer.from(JSON.stringify(token)).toString('base64'));
}

interface PageLimits {
  readonly pageSize: number;
  /** `$top` returns that many records and never a nextLink. */
  readonly top: number | undefined;
}

function pageLimits(ex: Parameters<Handler>[1]): PageLimits {
  const pageSize = boundedNumber(ex.query, 'pageSize', 1, MAX_PAGE, DEFAULT_PAGE);
  const top =
    ex.query.get('$top') === undefined ? undefined : boundedNumber(ex.query, '$top', 0, MAX_PAGE, MAX_PAGE);
  return { pageSize, top };
}

/** Full snapshot: one group per machine alive at the snapshot epoch. */
function snapshotSource(state: SimState, epoch: number): GroupSource<Record<string, unknown>> {
  const alive = state.tenant.population.alive(epoch);
  const tenant = state.tenant;
  return {
    groupCount: alive.length,
    items: (group) => {
      const core = tenant.machine(alive[group] ?? 0);
      return openFindings(tenant, core, epoch).map((slot) =>
        exportRecord(tenant, core, slot, findingLastSeen(tenant, core, slot, epoch), 'full'),
      );
    },
  };
}

/**
 * Delta: one group per (bucket epoch, machine alive in it or leaving at it), buckets from `since` to the snapshot
 * epoch. Only where each bucket starts is kept, not its machines: a live clock puts 672 buckets in the 14 days a
 * delta may span, so the pages fetch a bucket's machine list again (the population caches the last few) as they
 * reach it.
 */
function changesSource(
  state: SimState,
  sinceEpoch: number,
  epoch: number,
): GroupSource<Record<string, unknown>> {
  const tenant = state.tenant;
  // Pages walk the buckets in order: the last bucket's list is all a page needs at a time.
  let last: { bucket: number; machines: Int32Array } | undefined;
  const machinesOf = (bucket: number): Int32Array => {
    if (last?.bucket !== bucket) last = { bucket, machines: bucketMachines(tenant.population, bucket) };
    return last.machines;
  };
  const offsets: number[] = [];
  let total = 0;
  for (let bucket = sinceEpoch; bucket <= epoch; bucket++) {
    offsets.push(total);
    total += machinesOf(bucket).length;
  }
  return {
    groupCount: total,
    items: (group) => {
      const position = lastAtOrBefore(offsets, group);
      const bucketEpoch = sinceEpoch + position;
      const index = machinesOf(bucketEpoch)[group - (offsets[position] ?? 0)];
      if (index === undefined) return [];
      const core = tenant.machine(index);
      const changes = tenant.population.isAlive(index, bucketEpoch)
        ? findingChanges(tenant, core, bucketEpoch)
        : departedChanges(tenant, core, bucketEpoch);
      return changes.map((change) => changeRecord(tenant, core, change, bucketEpoch));
    },
  };
}

/** The machines alive at the bucket's epoch or at the one before (those that left at it), ascending. */
function bucketMachines(population: Population, epoch: number): Int32Array {
  const now = population.alive(epoch);
  if (epoch === 0) return now;
  const before = population.alive(epoch - 1);
  const merged = new Int32Array(now.length + before.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < now.length || j < before.length) {
    const a = now[i] ?? Infinity;
    const b = before[j] ?? Infinity;
    merged[n++] = Math.min(a, b);
    if (a <= b) i++;
    if (b <= a) j++;
  }
  return merged.subarray(0, n);
}

/** The last position of ascending `values` holding at most `target` (empty buckets share an offset). */
function lastAtOrBefore(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((values[middle] ?? Number.POSITIVE_INFINITY) <= target) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * `GET /api/machines/SoftwareVulnerabilitiesByMachine`: the full export as JSON, `pageSize` records a page
 * (default 50,000, max 200,000), paged by an `@odata.nextLink` with lower-case `pagesize` and a `$skiptoken`.
 * Each page is streamed with backpressure, never built as one string.
 */
const exportByMachine: Handler = async (state, ex) => {
  const { pageSize, top } = pageLimits(ex);
  const raw = ex.query.get('$skiptoken');
  const token = raw === undefined ? undefined : decodeSkipToken(state, raw);
  const epoch = token?.ExportDefinition.Epoch ?? state.tenant.epoch;
  const end: PageEnd = { next: undefined };
  const limit = top ?? pageSize;
  await sendODataList(
    state,
    ex,
    mdeContext(state, 'Collection(microsoft.windowsDefenderATP.api.AssetVulnerability)'),
    pageFrom(snapshotSource(state, epoch), cursorOf(token), limit, end),
    limit,
    () => {
      if (top !== undefined || end.next === undefined) return {};
      const next = encodeSkipToken({
        ExportDefinition: { TimePath: timePath(state.tenant.clock.epochStart(epoch)), Epoch: epoch },
        ExportFileIndex: end.next.group,
        LineStoppedAt: end.next.line,
      });
      return {
        '@odata.nextLink': `${state.baseUrl()}/api/machines/SoftwareVulnerabilitiesByMachine?pagesize=${pageSize}&$skiptoken=${next}`,
      };
    },
  );
};

function cursorOf(token: SkipToken | undefined): Cursor {
  return token === undefined
    ? { group: 0, line: 0 }
    : { group: token.ExportFileIndex, line: token.LineStoppedAt };
}

/**
 * `GET /api/machines/SoftwareVulnerabilityChangesByMachine?sinceTime=…`: New/Fixed events since `sinceTime`. The
 * simulator's "6-hour buckets" are its epochs (an advance, or a live clock's 30-minute step): `sinceTime` selects
 * the epoch it falls in and all later.
 */
const exportChanges: Handler = async (state, ex) => {
  const { pageSize, top } = pageLimits(ex);
  const sinceText = ex.query.get('sinceTime');
  if (sinceText === undefined)
    throw new ApiError(400, 'InvalidInput', 'sinceTime is required, e.g. sinceTime=2026-11-20T00:00:00Z');
  const since = parseIsoTicks(sinceText);
  if (since === undefined)
    throw new ApiError(400, 'InvalidInput', `sinceTime '${sinceText}' is not an ISO 8601 date-time`);
  const clock = state.tenant.clock;
  if (since < clock.now - DELTA_MAX_AGE) {
    throw new ApiError(
      400,
      'InvalidInput',
      `sinceTime '${sinceText}' is more than 14 days in the past; run a full export instead.`,
    );
  }
  const raw = ex.query.get('$skiptoken');
  const token = raw === undefined ? undefined : decodeSkipToken(state, raw);
  const epoch = token?.ExportDefinition.Epoch ?? state.tenant.epoch;
  const sinceEpoch = token?.ExportDefinition.SinceEpoch ?? Math.max(1, clock.firstEpochNotBefore(since));
  const end: PageEnd = { next: undefined };
  const limit = top ?? pageSize;
  await sendODataList(
    state,
    ex,
    mdeContext(state, 'Collection(microsoft.windowsDefenderATP.api.DeltaAssetVulnerability)'),
    pageFrom(changesSource(state, sinceEpoch, epoch), cursorOf(token), limit, end),
    limit,
    () => {
      if (top !== undefined || end.next === undefined) return {};
      const next = encodeSkipToken({
        ExportDefinition: {
          TimePath: timePath(clock.epochStart(epoch)),
          Epoch: epoch,
          SinceEpoch: sinceEpoch,
        },
        ExportFileIndex: end.next.group,
        LineStoppedAt: end.next.line,
      });
      return {
        '@odata.nextLink': `${state.baseUrl()}/api/machines/SoftwareVulnerabilityChangesByMachine?sincetime=${encodeURIComponent(sinceText)}&pagesize=${pageSize}&$skiptoken=${next}`,
      };
    },
  );
};

/** The JSON exports by machine (full and changes). */
export const exportJsonRoutes: readonly Route[] = [
  mde(
    '/api/machines/SoftwareVulnerabilitiesByMachine',
    /^\/api\/machines\/SoftwareVulnerabilitiesByMachine$/i,
    VULNERABILITY_READ,
    'exportJson',
    exportByMachine,
  ),
  mde(
    '/api/machines/SoftwareVulnerabilityChangesByMachine',
    /^\/api\/machines\/SoftwareVulnerabilityChangesByMachine$/i,
    VULNERABILITY_READ,
    'exportJson',
    exportChanges,
  ),
];
