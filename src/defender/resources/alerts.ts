import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import { validateGraphAlert, validateMdeAlert, type GraphAlert, type MdeAlert } from '../schemas/alert.js';
import { updateWindowFilter, type UpdateWindow } from '../update-window.js';
import { ODataCollection, type ListOptions } from './odata-collection.js';
import { listGraphSecurity, type ListGraphSecurityOptions } from './graph-security-list.js';

/** MDE `/api/alerts` pages hold up to 10,000 alerts. */
const mdeAlertsPageCap = 10_000;

export interface ListMdeAlertsOptions extends ListOptions, UpdateWindow {
  /** `$expand=evidence`: the alerts' evidence, which the list leaves empty otherwise. */
  readonly expandEvidence?: boolean;
}

export class AlertsResource {
  readonly #http: ApiHttp;
  readonly #graph: string;
  readonly #mde: ODataCollection<MdeAlert>;

  constructor(http: ApiHttp, apiBaseUrl: string, graphBaseUrl: string) {
    this.#http = http;
    this.#graph = `${graphBaseUrl}/v1.0/security/alerts_v2`;
    this.#mde = new ODataCollection(http, `${apiBaseUrl}/api/alerts`, {
      pageCap: mdeAlertsPageCap,
      validate: validateMdeAlert,
      apiClass: 'alerts',
    });
  }

  /** Graph `alerts_v2`, oldest update first, past the `$skip` cap. */
  list(options: ListGraphSecurityOptions = {}): AsyncGenerator<Batch<GraphAlert>, void, undefined> {
    return listGraphSecurity(this.#http, this.#graph, validateGraphAlert, options);
  }

  /**
   * MDE `/api/alerts`, for apps granted Alert.Read.All rather than Graph's SecurityAlert.Read.All; `since` and
   * `until` bound `lastUpdateTime` (inclusive), on top of any `filter`. The list has no documented order.
   */
  listMde(options: ListMdeAlertsOptions = {}): AsyncGenerator<Batch<MdeAlert>, void, undefined> {
    const filter = updateWindowFilter('lastUpdateTime', options, options.filter);
    return this.#mde.list(
      {
        ...(filter === undefined ? {} : { filter }),
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      { $expand: options.expandEvidence === true ? 'evidence' : undefined },
    );
  }

  getMde(id: string, signal?: AbortSignal): Promise<MdeAlert> {
    return this.#mde.get(id, signal);
  }
}
