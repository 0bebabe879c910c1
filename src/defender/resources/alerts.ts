import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { paginateByTimeWindow } from '../time-window-paging.js';
import { validateGraphAlert, validateMdeAlert, type GraphAlert, type MdeAlert } from '../schemas/alert.js';
import { singleRecord } from './single-record.js';

/** Graph security lists allow `$top` up to 1,000 and `$top + $skip` up to 6,000. */
export const graphPageCap = 1000;
export const graphSkipCap = 6000;

export interface ListAlertsOptions {
  /** Raw `lastUpdateDateTime` to start from (inclusive): the sync's cursor. */
  readonly since?: string;
  /** Raw `lastUpdateDateTime` to stop at (inclusive): the run's frozen upper bound. */
  readonly until?: string;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export class AlertsResource {
  readonly #http: ApiHttp;
  readonly #graph: string;
  readonly #mde: string;

  constructor(http: ApiHttp, apiBaseUrl: string, graphBaseUrl: string) {
    this.#http = http;
    this.#graph = `${graphBaseUrl}/v1.0/security/alerts_v2`;
    this.#mde = `${apiBaseUrl}/api/alerts`;
  }

  /** Graph `alerts_v2`, oldest update first, past the `$skip` cap. */
  list(options: ListAlertsOptions = {}): AsyncGenerator<Batch<GraphAlert>, void, undefined> {
    return paginateByTimeWindow(this.#http, {
      request: { url: this.#graph, audience: 'graph', apiClass: 'graph', signal: options.signal },
      validate: validateGraphAlert,
      field: 'lastUpdateDateTime',
      timestampOf: (a) => a.lastUpdateDateTime,
      idOf: (a) => a.id,
      since: options.since,
      until: options.until,
      pageSize: graphPageCap,
      windowRecords: graphSkipCap - graphPageCap,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  /** MDE `/api/alerts`, for tenants where Graph is not permitted; `expandEvidence` adds the evidence list. */
  listMde(
    options: { filter?: string; expandEvidence?: boolean; batchSize?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<Batch<MdeAlert>, void, undefined> {
    const url = withQuery(this.#mde, {
      $filter: options.filter,
      $expand: options.expandEvidence === true ? 'evidence' : undefined,
    });
    return paginate(this.#http, {
      request: { url, audience: 'defender', apiClass: 'default', signal: options.signal },
      mode: { kind: 'skip', pageSize: 10_000 },
      validate: validateMdeAlert,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  getMde(id: string, signal?: AbortSignal): Promise<MdeAlert> {
    return singleRecord(
      this.#http,
      `${this.#mde}/${encodeURIComponent(id)}`,
      'default',
      validateMdeAlert,
      signal,
    );
  }
}
