import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import { validateIncident, type Incident } from '../schemas/incident.js';
import { validateXdrIncident, type XdrIncident } from '../schemas/xdr-incident.js';
import { updateWindowFilter, type UpdateWindow } from '../update-window.js';
import { listGraphSecurity, type ListGraphSecurityOptions } from './graph-security-list.js';
import { ODataCollection } from './odata-collection.js';

/** The Microsoft 365 Defender incidents list: `$top` at most 100. */
const xdrIncidentsPageCap = 100;

export interface ListXdrIncidentsOptions extends UpdateWindow {
  readonly pageSize?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export class IncidentsResource {
  readonly #http: ApiHttp;
  readonly #url: string;
  readonly #xdr: ODataCollection<XdrIncident>;

  constructor(http: ApiHttp, graphBaseUrl: string, xdrBaseUrl: string) {
    this.#http = http;
    this.#url = `${graphBaseUrl}/v1.0/security/incidents`;
    this.#xdr = new ODataCollection(http, `${xdrBaseUrl}/api/incidents`, {
      pageCap: xdrIncidentsPageCap,
      validate: validateXdrIncident,
      apiClass: 'incidents',
      audience: 'xdr',
    });
  }

  /** Graph incidents, oldest update first; `since` is the raw `lastUpdateDateTime` cursor (inclusive). */
  list(options: ListGraphSecurityOptions = {}): AsyncGenerator<Batch<Incident>, void, undefined> {
    return listGraphSecurity(this.#http, this.#url, validateIncident, options);
  }

  /**
   * The Microsoft 365 Defender incidents API (Incident.Read.All), each incident with its alerts, for apps without
   * Graph's SecurityIncident.Read.All; `since` and `until` bound `lastUpdateTime` (inclusive). Newest first.
   */
  listXdr(options: ListXdrIncidentsOptions = {}): AsyncGenerator<Batch<XdrIncident>, void, undefined> {
    const filter = updateWindowFilter('lastUpdateTime', options);
    return this.#xdr.list({
      ...(filter === undefined ? {} : { filter }),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
}
