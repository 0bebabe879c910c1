import type { ApiHttp, ApiRequest } from './api-http.js';
import { paginateUpTo, withQuery, type Batch } from './paging.js';
import type { RecordValidator } from './schemas/record.js';
import type { DefenderTimestamp } from './schemas/timestamp.js';
import { DefenderError, DefenderErrorCode } from './errors.js';
import { updateWindowFilter } from './update-window.js';

export interface TimeWindowOptions<T> {
  readonly request: ApiRequest;
  readonly validate: RecordValidator<T>;
  /** The timestamp member the list is filtered and ordered on, e.g. `lastUpdateDateTime`. */
  readonly field: string;
  readonly timestampOf: (record: T) => DefenderTimestamp;
  readonly idOf: (record: T) => string;
  /** Raw timestamp to start from (inclusive); everything when absent. */
  readonly since?: string | undefined;
  /**
   * Raw timestamp to stop at (inclusive), fixed for the whole read: records updated while we page do not
   * shift the pages under us, and are read by the next run.
   */
  readonly until?: string | undefined;
  readonly pageSize: number;
  /** Pages one window may read before `$skip` would pass the service's cap. */
  readonly windowPages: number;
  readonly batchSize?: number;
}

/**
 * Reads a time-ordered Graph list past its `$top + $skip` cap: pages by next link inside a window, and when a
 * window is full starts a new one at the last timestamp seen (`ge`), skipping the records at that timestamp it
 * already delivered. The raw timestamp string is the boundary, so seven-digit precision is kept.
 */
export async function* paginateByTimeWindow<T>(
  http: ApiHttp,
  options: TimeWindowOptions<T>,
): AsyncGenerator<Batch<T>, void, undefined> {
  let since = options.since;
  let atBoundary = new Set<string>();
  let page = 0;
  for (;;) {
    const url = withQuery(options.request.url, {
      $filter: updateWindowFilter(options.field, { since, until: options.until }),
      $orderby: `${options.field} asc`,
      $top: options.pageSize,
    });
    let inWindow = 0;
    let lastRaw: string | undefined;
    let lastMs = Number.NEGATIVE_INFINITY;
    let boundaryIds = new Set<string>();
    const pages = paginateUpTo(
      http,
      {
        request: { ...options.request, url },
        mode: { kind: 'nextLink' },
        validate: options.validate,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      },
      options.windowPages,
    );
    let next = await pages.next();
    try {
      for (; next.done !== true; next = await pages.next()) {
        const batch = next.value;
        inWindow += batch.items.length + batch.rejected.length;
        const fresh = batch.items.filter((r) => !atBoundary.has(options.idOf(r)));
        for (const record of fresh) {
          const ts = options.timestampOf(record);
          if (ts.date.getTime() > lastMs || (ts.date.getTime() === lastMs && ts.raw > (lastRaw ?? ''))) {
            lastMs = ts.date.getTime();
            lastRaw = ts.raw;
            boundaryIds = new Set();
          }
          if (ts.raw === lastRaw) boundaryIds.add(options.idOf(record));
        }
        yield { items: fresh, rejected: batch.rejected, page: page + batch.page };
      }
    } finally {
      // A caller that stops early frees the page being read.
      if (next.done !== true) await pages.return(false);
    }
    page += Math.ceil(inWindow / options.pageSize);
    // A window ends with the list unless the service had a page past it: only then does a new one start.
    const more = next.value;
    if (!more || lastRaw === undefined) return;
    if (since === lastRaw && boundaryIds.size === 0) {
      throw new DefenderError(
        DefenderErrorCode.InvalidResponse,
        `More than ${options.windowPages * options.pageSize} records share the timestamp ${lastRaw}; the list cannot be paged past them.`,
      );
    }
    // Records sharing the boundary timestamp are read again in the next window; skip the ones we have.
    atBoundary = since === lastRaw ? new Set([...atBoundary, ...boundaryIds]) : boundaryIds;
    since = lastRaw;
  }
}
