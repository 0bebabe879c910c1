import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import type { RecordValidator } from '../schemas/record.js';
import type { DefenderTimestamp } from '../schemas/timestamp.js';
import { paginateByTimeWindow } from '../time-window-paging.js';

/** Graph security lists allow `$top` up to 1,000 and `$top + $skip` up to 6,000. */
const graphPageCap = 1000;
const graphSkipCap = 6000;

export interface ListGraphSecurityOptions {
  /** Raw `lastUpdateDateTime` to start from (inclusive): the sync's cursor. */
  readonly since?: string;
  /** Raw `lastUpdateDateTime` to stop at (inclusive): the run's frozen upper bound. */
  readonly until?: string;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** A Graph security list (`alerts_v2`, `incidents`), oldest update first, read past the `$skip` cap. */
export function listGraphSecurity<
  T extends { readonly id: string; readonly lastUpdateDateTime: DefenderTimestamp },
>(
  http: ApiHttp,
  url: string,
  validate: RecordValidator<T>,
  options: ListGraphSecurityOptions,
): AsyncGenerator<Batch<T>, void, undefined> {
  return paginateByTimeWindow(http, {
    request: { url, audience: 'graph', apiClass: 'graph', signal: options.signal },
    validate,
    field: 'lastUpdateDateTime',
    timestampOf: (record) => record.lastUpdateDateTime,
    idOf: (record) => record.id,
    since: options.since,
    until: options.until,
    pageSize: graphPageCap,
    // The last page of a window starts at $skip = 5000: $top + $skip is then exactly the cap, still allowed.
    windowPages: graphSkipCap / graphPageCap,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
}
